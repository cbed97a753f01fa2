// One transaction from the app: simulated first (a refusal is explained before the wallet is
// asked), then signed by the wallet, sent, and confirmed.
import { type Address, type Base64EncodedWireTransaction, type Instruction, type Signature, createNoopSigner, getBase64Decoder } from '@solana/kit';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import { type AppRpc, COMMITMENT, simulateWire, unsignedTransaction } from './chain';
import { explain, type Refusal } from './explain';
import { signWithWallet } from './wallet';

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
  const { wire, lastValidBlockHeight } = await unsignedTransaction(rpc, account.address as Address, instructions);
  const simulation = await simulateWire(rpc, wire);
  if (simulation.err) {
    throw new RefusedError(explain(simulation.err, simulation.logs), true);
  }

  onStage('signing');
  const signed = await signWithWallet(wallet, account, wire, chain);

  onStage('sending');
  const signature = await rpc
    .sendTransaction(getBase64Decoder().decode(signed) as Base64EncodedWireTransaction, { encoding: 'base64', skipPreflight: true })
    .send();

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
