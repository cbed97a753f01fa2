// Transactions that land on a busy cluster, as the CLI sends them: a compute-unit limit from the
// simulation plus a margin, a compute-unit price (`?cuPrice=`, else the 75th percentile of the
// recent prioritization fees paid for the accounts the transaction writes), and the same signed
// transaction re-sent every 2 s until it is confirmed or its blockhash expires.
import {
  type Address,
  type Base64EncodedWireTransaction,
  type Blockhash,
  type Instruction,
  type Signature,
  type TransactionError,
  address,
  appendTransactionMessageInstructions,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  getBase64Decoder,
  getCompiledTransactionMessageDecoder,
  getSignatureFromTransaction,
  getTransactionDecoder,
  getTransactionEncoder,
  getU32Encoder,
  getU64Encoder,
  isWritableRole,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit';
import { type AppRpc, COMMITMENT } from './chain';

/** The Compute Budget program. */
export const COMPUTE_BUDGET_PROGRAM = address('ComputeBudget111111111111111111111111111111');

/** The highest compute-unit limit a transaction may ask for (the simulation runs with it). */
export const MAX_COMPUTE_UNITS = 1_400_000;

/** The percentile of the recent prioritization fees a transaction pays by default. */
export const FEE_PERCENTILE = 75;

/** How often a transaction not yet confirmed is sent again (ms). */
export const RESEND_INTERVAL_MS = 2_000;

/** How often the transaction's status is read while waiting (ms). */
export const POLL_INTERVAL_MS = 400;

/** getRecentPrioritizationFees takes at most this many addresses. */
const MAX_FEE_ADDRESSES = 128;

/** What people are told when a transaction expired without landing. */
export const EXPIRED_MESSAGE = 'The transaction did not land before its blockhash expired; nothing changed; try again';

/** A transaction that was sent but never landed before its blockhash expired: nothing changed. */
export class BlockhashExpiredError extends Error {
  override readonly name = 'BlockhashExpired';
  constructor(
    readonly signature: Signature,
    readonly sends: number,
  ) {
    super(EXPIRED_MESSAGE);
  }
}

/** A `?cuPrice=` that is not a whole number of micro-lamports per compute unit. */
export class InvalidComputeUnitPriceError extends Error {
  override readonly name = 'InvalidComputeUnitPrice';
  constructor(readonly given: string) {
    super(`The compute-unit price (?cuPrice=) must be a whole number of micro-lamports per compute unit, not "${given}"`);
  }
}

/** The compute-unit limit for a transaction the simulation measured at `units`: +10% and 1,000, at most the maximum. */
export function limitWithMargin(units: bigint | number): number {
  const measured = BigInt(units);
  const withMargin = measured + measured / 10n + 1_000n;
  return withMargin > BigInt(MAX_COMPUTE_UNITS) ? MAX_COMPUTE_UNITS : Number(withMargin);
}

/** The `percentile` (0-100) of `fees`, nearest rank; 0 when there are none (a quiet cluster). */
export function feePercentile(fees: readonly bigint[], percentile: number): bigint {
  if (fees.length === 0) return 0n;
  const sorted = [...fees].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const p = Math.min(Math.max(percentile, 0), 100);
  const rank = Math.max(Math.ceil((p * sorted.length) / 100), 1);
  return sorted[rank - 1];
}

/** ComputeBudget SetComputeUnitLimit(`units`). */
export function setComputeUnitLimit(units: number): Instruction {
  return { programAddress: COMPUTE_BUDGET_PROGRAM, data: new Uint8Array([2, ...getU32Encoder().encode(units)]) };
}

/** ComputeBudget SetComputeUnitPrice(`microLamports` per compute unit). */
export function setComputeUnitPrice(microLamports: bigint): Instruction {
  return { programAddress: COMPUTE_BUDGET_PROGRAM, data: new Uint8Array([3, ...getU64Encoder().encode(microLamports)]) };
}

/** The two compute budget instructions, to go before a transaction's own. */
export function budgetInstructions(unitLimit: number, unitPrice: bigint): Instruction[] {
  return [setComputeUnitLimit(unitLimit), setComputeUnitPrice(unitPrice)];
}

/** The accounts `instructions` write, each once, in order (at most what the fee RPC takes). */
export function writableAccounts(instructions: readonly Instruction[]): Address[] {
  const seen = new Set<string>();
  for (const instruction of instructions) {
    for (const meta of instruction.accounts ?? []) {
      if ('role' in meta && isWritableRole(meta.role)) seen.add(meta.address);
    }
  }
  return ([...seen] as Address[]).slice(0, MAX_FEE_ADDRESSES);
}

/** The compute-unit price given as `?cuPrice=` in `search` (a location's query), or null when not given. */
export function unitPriceOverride(search: string): bigint | null {
  const given = new URLSearchParams(search).get('cuPrice');
  if (given === null) return null;
  if (!/^\d+$/.test(given.trim())) throw new InvalidComputeUnitPriceError(given);
  const price = BigInt(given.trim());
  if (price >= 2n ** 64n) throw new InvalidComputeUnitPriceError(given);
  return price;
}

/** The RPC methods the landing needs (the app's RPC, or a fake in tests). */
export type LandingRpc = Pick<
  AppRpc,
  'getRecentPrioritizationFees' | 'getLatestBlockhash' | 'simulateTransaction' | 'sendTransaction' | 'getSignatureStatuses' | 'isBlockhashValid'
>;

/**
 * The price per compute unit for `instructions`: `override` when given, else the
 * [`FEE_PERCENTILE`]th percentile of the recent prioritization fees paid for the accounts they write.
 */
export async function unitPrice(rpc: LandingRpc, instructions: readonly Instruction[], override: bigint | null): Promise<bigint> {
  if (override !== null) return override;
  const fees = await rpc.getRecentPrioritizationFees(writableAccounts(instructions)).send();
  return feePercentile(
    fees.map((f) => BigInt(f.prioritizationFee)),
    FEE_PERCENTILE,
  );
}

/** The unsigned wire bytes of `instructions` paid by `feePayer` with `blockhash`. */
export function compileWire(feePayer: Address, blockhash: { blockhash: Blockhash; lastValidBlockHeight: bigint }, instructions: readonly Instruction[]): Uint8Array {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(createNoopSigner(feePayer), m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  return new Uint8Array(getTransactionEncoder().encode(compileTransaction(message)));
}

/** A simulation's verdict: the refusal (with its logs) or the compute units consumed. */
export type Simulated = { err: TransactionError; logs: readonly string[] | null } | { err: null; units: bigint };

/** A transaction ready for the wallet: with its compute budget, or the simulation's refusal. */
export type Budgeted = { refused: { err: TransactionError; logs: readonly string[] | null } } | { refused: null; wire: Uint8Array; unitLimit: number; unitPrice: bigint };

/**
 * Builds `instructions` for `feePayer` with a compute budget: simulated with the highest limit and
 * the price, then compiled with the simulation's units plus the margin. A refusal in the simulation
 * is returned (nothing was signed or sent).
 */
export async function budgetedTransaction(rpc: LandingRpc, feePayer: Address, instructions: readonly Instruction[], priceOverride: bigint | null): Promise<Budgeted> {
  const [{ value: blockhash }, price] = await Promise.all([rpc.getLatestBlockhash({ commitment: COMMITMENT }).send(), unitPrice(rpc, instructions, priceOverride)]);
  const probe = compileWire(feePayer, blockhash, [...budgetInstructions(MAX_COMPUTE_UNITS, price), ...instructions]);
  const simulated = await simulateBytes(rpc, probe);
  if (simulated.err !== null) return { refused: simulated };
  const unitLimit = limitWithMargin(simulated.units);
  const wire = compileWire(feePayer, blockhash, [...budgetInstructions(unitLimit, price), ...instructions]);
  return { refused: null, wire, unitLimit, unitPrice: price };
}

/** Simulates the wire bytes `wire` as they are (no signature check); a refusal or the units consumed. */
export async function simulateBytes(rpc: LandingRpc, wire: Uint8Array): Promise<Simulated> {
  const encoded = getBase64Decoder().decode(wire) as Base64EncodedWireTransaction;
  const { value } = await rpc.simulateTransaction(encoded, { encoding: 'base64', sigVerify: false, replaceRecentBlockhash: false, commitment: COMMITMENT }).send();
  if (value.err) return { err: value.err, logs: value.logs };
  return { err: null, units: value.unitsConsumed ?? 0n };
}

/** The fee payer's signature of the signed wire bytes `wire`. */
export function signatureOf(wire: Uint8Array): Signature {
  return getSignatureFromTransaction(getTransactionDecoder().decode(wire));
}

/** The blockhash the wire bytes `wire` (signed or not) were built with. */
export function blockhashOf(wire: Uint8Array): Blockhash {
  const transaction = getTransactionDecoder().decode(wire);
  return getCompiledTransactionMessageDecoder().decode(transaction.messageBytes).lifetimeToken as Blockhash;
}

/** Time for the re-send loop (a fake one in tests). */
export interface Clock {
  /** Milliseconds since some start. */
  now(): number;
  /** Waits `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The wall clock. */
export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** Where a sent transaction ended: confirmed (`err` null), or landed and failed with `err`. */
export interface Landed {
  signature: Signature;
  /** The runtime's or program's error when it landed and failed; null when it succeeded. */
  err: TransactionError | null;
  /** How many times it was sent (by the app; 0 when the wallet sent it). */
  sends: number;
}

/** Whether `signature` landed: its error or null when it did, undefined when not yet seen at the app's commitment. */
async function status(rpc: LandingRpc, signature: Signature): Promise<TransactionError | null | undefined> {
  const { value } = await rpc.getSignatureStatuses([signature]).send();
  const found = value[0];
  if (found?.err) return found.err;
  if (found?.confirmationStatus === 'confirmed' || found?.confirmationStatus === 'finalized') return null;
  return undefined;
}

/** Sends the signed `wire` once, without the node's own retries (the loop re-sends it). */
async function sendOnce(rpc: LandingRpc, wire: Uint8Array): Promise<void> {
  const encoded = getBase64Decoder().decode(wire) as Base64EncodedWireTransaction;
  await rpc.sendTransaction(encoded, { encoding: 'base64', skipPreflight: true, maxRetries: 0n }).send();
}

/**
 * Waits for the transaction `signature` (built with `blockhash`) to land: with `signed` (its
 * signed wire bytes) it is sent first and again every [`RESEND_INTERVAL_MS`]; without (a wallet
 * sent it and re-sends it itself) it is only watched. Returns when it is confirmed or failed; when
 * its blockhash is no longer valid (one last look after) it throws [`BlockhashExpiredError`]: it
 * never landed and nothing changed.
 */
export async function sendUntilLanded(
  rpc: LandingRpc,
  signature: Signature,
  blockhash: Blockhash,
  signed: Uint8Array | null,
  clock: Clock = realClock,
): Promise<Landed> {
  let sends = 0;
  if (signed) {
    await sendOnce(rpc, signed);
    sends = 1;
  }
  let lastSent = clock.now();
  for (;;) {
    const seen = await status(rpc, signature);
    if (seen !== undefined) return { signature, err: seen, sends };
    if (clock.now() - lastSent >= RESEND_INTERVAL_MS) {
      const { value: valid } = await rpc.isBlockhashValid(blockhash, { commitment: 'processed' }).send();
      if (!valid) {
        // the last chance: it may have landed since the last look
        await clock.sleep(POLL_INTERVAL_MS);
        const last = await status(rpc, signature);
        if (last !== undefined) return { signature, err: last, sends };
        throw new BlockhashExpiredError(signature, sends);
      }
      if (signed) {
        try {
          await sendOnce(rpc, signed);
          sends += 1;
        } catch {
          // a node busy for a moment: the next round sends it again
        }
      }
      lastSent = clock.now();
    }
    await clock.sleep(POLL_INTERVAL_MS);
  }
}
