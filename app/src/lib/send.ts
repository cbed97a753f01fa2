// One transaction from the app: simulated first (a refusal is explained before the wallet is
// asked), then signed by the wallet, sent, and confirmed. A wallet that only signs and sends
// (no `solana:signTransaction`) gets the simulated bytes to sign and send itself. A transaction
// built and partly signed elsewhere (a registration the oracle co-signed) goes as it is: it is
// never rebuilt, so the other signatures stay valid.
import {
  type Address,
  type Base64EncodedWireTransaction,
  type Instruction,
  type Signature,
  createNoopSigner,
  getBase58Decoder,
  getBase64Decoder,
} from '@solana/kit';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import { SolanaSignAndSendTransaction, SolanaSignTransaction, type SolanaSignAndSendTransactionFeature } from '@solana/wallet-standard-features';
import { type AppRpc, COMMITMENT, simulateWire, unsignedTransaction } from './chain';
import { explain, type Refusal } from './explain';
import { signWithWallet } from './wallet';

/** Marks an instruction list that stands for a transaction already built (see `prebuilt`). */
const PREBUILT = Symbol('prebuilt transaction');

/** An instruction list carrying a transaction's wire bytes and its expiry. */
type PrebuiltList = Instruction[] & { [PREBUILT]?: { wire: Uint8Array; lastValidBlockHeight: bigint } };

/**
 * Stands for the transaction `wire` (built and partly signed elsewhere) where an action's
 * instructions go: `send` simulates it, has the wallet add its signature and sends it as it is.
 * `lastValidBlockHeight` is when its blockhash expires (for the confirmation's wait).
 */
export function prebuilt(wire: Uint8Array, lastValidBlockHeight: bigint): Instruction[] {
  const list: PrebuiltList = [];
  list[PREBUILT] = { wire, lastValidBlockHeight };
  return list;
}

/** Whether `wallet` can only sign and send (it has no separate signing). */
export function onlySignsAndSends(wallet: Wallet): boolean {
  return !(SolanaSignTransaction in wallet.features) && SolanaSignAndSendTransaction in wallet.features;
}

/** Has a sign-and-send wallet sign `wire` and send it; returns the signature. */
async function signAndSendWithWallet(wallet: Wallet, account: WalletAccount, wire: Uint8Array, chain: `${string}:${string}`): Promise<Signature> {
  const feature = wallet.features[SolanaSignAndSendTransaction] as SolanaSignAndSendTransactionFeature[typeof SolanaSignAndSendTransaction];
  const [sent] = await feature.signAndSendTransaction({ account, transaction: wire, chain, options: { skipPreflight: true } });
  return getBase58Decoder().decode(sent.signature) as Signature;
}

/** Where a transaction stands, for the progress line. */
export type SendStage = 'simulating' | 'signing' | 'sending' | 'confirming';

/** A transaction the program (or runtime) refused; `simulated` when the wallet was never asked. */
export class RefusedError extends Error {
  constructor(
    readonly refusal: Refusal,
    readonly simulated: boolean,
  ) {
    super(refusal.message);
  }
}

/** What the app needs to send for the connected wallet. */
export interface Sender {
  /** The RPC. */
  rpc: AppRpc;
  /** The wallet and the account signing. */
  wallet: Wallet;
  /** The connected account. */
  account: WalletAccount;
  /** The Wallet Standard chain, e.g. `solana:localnet`. */
  chain: `${string}:${string}`;
}

/** A signer for instruction builders: the wallet signs later, on the wire bytes. */
export function walletSigner(account: WalletAccount) {
  return createNoopSigner(account.address as Address);
}

/** Simulates, asks the wallet to sign, sends and confirms `instructions`; returns the signature. */
export async function send(sender: Sender, instructions: Instruction[], onStage: (stage: SendStage) => void = () => {}): Promise<Signature> {
  const { rpc, wallet, account, chain } = sender;
  onStage('simulating');
  const given = (instructions as PrebuiltList)[PREBUILT];
  const { wire, lastValidBlockHeight } = given ?? (await unsignedTransaction(rpc, account.address as Address, instructions));
  const simulation = await simulateWire(rpc, wire);
  if (simulation.err) {
    throw new RefusedError(explain(simulation.err, simulation.logs), true);
  }

  onStage('signing');
  let signature: Signature;
  if (onlySignsAndSends(wallet)) {
    signature = await signAndSendWithWallet(wallet, account, wire, chain);
    onStage('sending');
  } else {
    const signed = await signWithWallet(wallet, account, wire, chain);
    onStage('sending');
    signature = await rpc
      .sendTransaction(getBase64Decoder().decode(signed) as Base64EncodedWireTransaction, { encoding: 'base64', skipPreflight: true })
      .send();
  }

  onStage('confirming');
  return confirm(rpc, signature, lastValidBlockHeight);
}

/** Waits until `signature` is confirmed, fails, or its blockhash expires. */
async function confirm(rpc: AppRpc, signature: Signature, lastValidBlockHeight: bigint): Promise<Signature> {
  for (;;) {
    const { value } = await rpc.getSignatureStatuses([signature]).send();
    const status = value[0];
    if (status?.err) {
      const tx = await rpc.getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: COMMITMENT }).send();
      throw new RefusedError(explain(status.err, tx?.meta?.logMessages), false);
    }
    if (status?.confirmationStatus === 'confirmed' || status?.confirmationStatus === 'finalized') return signature;
    const height = await rpc.getBlockHeight({ commitment: COMMITMENT }).send();
    if (height > lastValidBlockHeight) throw new RefusedError(explain('BlockhashNotFound', []), false);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}
