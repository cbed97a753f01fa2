// One transaction from the app: simulated first (a refusal is explained before the wallet is
// asked) and given a compute budget (landing.ts: the simulation's units plus a margin, a price from
// `?cuPrice=` or the recent fees), then signed by the wallet and sent again every 2 s until it is
// confirmed or its blockhash expires. A wallet that only signs and sends (no
// `solana:signTransaction`) gets the budgeted bytes to sign and send (and re-send) itself. A
// transaction built and partly signed elsewhere (a registration the oracle co-signed) goes as it
// is, without a compute budget: it is never rebuilt, so the other signatures stay valid; it is
// still re-sent until confirmed.
import {
  type Address,
  type Instruction,
  type Signature,
  createNoopSigner,
  getBase58Decoder,
} from '@solana/kit';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import { SolanaSignAndSendTransaction, SolanaSignTransaction, type SolanaSignAndSendTransactionFeature } from '@solana/wallet-standard-features';
import { type AppRpc, COMMITMENT } from './chain';
import { explain, type Refusal } from './explain';
import { blockhashOf, budgetedTransaction, signatureOf, simulateBytes, sendUntilLanded, unitPriceOverride } from './landing';
import { signWithWallet } from './wallet';

/** Marks an instruction list that stands for a transaction already built (see `prebuilt`). */
const PREBUILT = Symbol('prebuilt transaction');

/** An instruction list carrying a transaction's wire bytes and its expiry. */
type PrebuiltList = Instruction[] & { [PREBUILT]?: { wire: Uint8Array; lastValidBlockHeight: bigint } };

/**
 * Stands for the transaction `wire` (built and partly signed elsewhere) where an action's
 * instructions go: `send` simulates it, has the wallet add its signature and sends it as it is.
 * `lastValidBlockHeight` is when its blockhash expires (the wait asks the node whether the blockhash
 * is still valid).
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

/** The compute-unit price the page's address gives (`?cuPrice=`), or null. */
function pagePriceOverride(): bigint | null {
  return typeof window !== 'undefined' ? unitPriceOverride(window.location.search) : null;
}

/**
 * Simulates `instructions` and gives them a compute budget, asks the wallet to sign, sends until
 * confirmed; returns the signature. A blockhash that expires before the transaction lands throws
 * `BlockhashExpiredError` (nothing changed).
 */
export async function send(sender: Sender, instructions: Instruction[], onStage: (stage: SendStage) => void = () => {}): Promise<Signature> {
  const { rpc, wallet, account, chain } = sender;
  onStage('simulating');
  const given = (instructions as PrebuiltList)[PREBUILT];
  let wire: Uint8Array;
  if (given) {
    // co-signed elsewhere: sent as it is (a compute budget would void the other signatures)
    const simulated = await simulateBytes(rpc, given.wire);
    if (simulated.err !== null) throw new RefusedError(explain(simulated.err, simulated.logs), true);
    wire = given.wire;
  } else {
    const budgeted = await budgetedTransaction(rpc, account.address as Address, instructions, pagePriceOverride());
    if (budgeted.refused) throw new RefusedError(explain(budgeted.refused.err, budgeted.refused.logs), true);
    wire = budgeted.wire;
  }

  onStage('signing');
  let landing: Promise<Awaited<ReturnType<typeof sendUntilLanded>>>;
  if (onlySignsAndSends(wallet)) {
    const signature = await signAndSendWithWallet(wallet, account, wire, chain);
    onStage('sending');
    landing = sendUntilLanded(rpc, signature, blockhashOf(wire), null);
  } else {
    const signed = await signWithWallet(wallet, account, wire, chain);
    onStage('sending');
    landing = sendUntilLanded(rpc, signatureOf(signed), blockhashOf(signed), signed);
  }
  onStage('confirming');
  const landed = await landing;
  if (landed.err) {
    const tx = await rpc.getTransaction(landed.signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: COMMITMENT }).send();
    throw new RefusedError(explain(landed.err, tx?.meta?.logMessages), false);
  }
  return landed.signature;
}
