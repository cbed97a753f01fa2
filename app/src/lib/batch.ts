// Batch actions over many devices, packed into as few transactions as fit: a transaction's wire
// size (1,232 bytes), its compute budget (1,400,000 units) and its account locks (64) bound each
// one. Each item (a device's instructions) stays whole inside one transaction; instructions every
// transaction needs first (the signer's token account created when missing) open each of them.
// Every packed transaction is then simulated before the wallet is asked, like any other action.
import {
  type Address,
  type Blockhash,
  type Instruction,
  appendTransactionMessageInstructions,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  getTransactionEncoder,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit';

/** The largest wire transaction the cluster takes. */
export const MAX_TRANSACTION_BYTES = 1232;
/** The most compute units one transaction may use. */
export const MAX_TRANSACTION_UNITS = 1_400_000;
/** The most accounts one transaction may lock (without lookup tables). */
export const MAX_ACCOUNT_LOCKS = 64;

/** One device's share of a batch: instructions that go together, and what they cost at most. */
export interface BatchItem {
  /** What it does, for people (e.g. "claim #3 on gpu-1"). */
  label: string;
  /** Its instructions, in order, never split across transactions. */
  instructions: Instruction[];
  /** The compute units it uses at most (a generous bound from the benchmarks). */
  units: number;
}

/** One packed transaction: its instructions and the items in it. */
export interface PackedTransaction {
  /** Every instruction, the shared ones first. */
  instructions: Instruction[];
  /** The items it carries. */
  items: BatchItem[];
  /** Its wire size in bytes. */
  bytes: number;
}

/** Any valid blockhash: sizes do not depend on it. */
const SIZING_BLOCKHASH = '11111111111111111111111111111111' as Blockhash;

/** The wire size and the number of accounts of a v0 transaction of `instructions` paid by `feePayer`. */
export function measure(feePayer: Address, instructions: Instruction[]): { bytes: number; accounts: number } {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(createNoopSigner(feePayer), m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: SIZING_BLOCKHASH, lastValidBlockHeight: 0n }, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const accounts = new Set<string>([feePayer]);
  for (const ix of instructions) {
    accounts.add(ix.programAddress);
    for (const meta of ix.accounts ?? []) accounts.add(meta.address);
  }
  return { bytes: getTransactionEncoder().getSizeFromValue(compileTransaction(message)), accounts: accounts.size };
}

/** Limits of one transaction (the cluster's by default). */
export interface PackLimits {
  bytes: number;
  units: number;
  accounts: number;
}

/** The cluster's limits. */
export const CLUSTER_LIMITS: PackLimits = { bytes: MAX_TRANSACTION_BYTES, units: MAX_TRANSACTION_UNITS, accounts: MAX_ACCOUNT_LOCKS };

/**
 * Packs `items` in order into as few transactions as fit `limits`, each opened by `shared`
 * (with `sharedUnits`). An item too large for a transaction of its own is an error naming it.
 */
export function pack(feePayer: Address, items: BatchItem[], shared: Instruction[] = [], sharedUnits = 0, limits: PackLimits = CLUSTER_LIMITS): PackedTransaction[] {
  const out: PackedTransaction[] = [];
  let current: BatchItem[] = [];
  let bytes = 0;
  let units = sharedUnits;
  const fits = (candidate: BatchItem[], candidateUnits: number) => {
    const all = [...shared, ...candidate.flatMap((i) => i.instructions)];
    const size = measure(feePayer, all);
    return size.bytes <= limits.bytes && size.accounts <= limits.accounts && candidateUnits <= limits.units ? size.bytes : null;
  };
  const close = () => {
    if (current.length > 0) out.push({ instructions: [...shared, ...current.flatMap((i) => i.instructions)], items: current, bytes });
    current = [];
    units = sharedUnits;
    bytes = 0;
  };
  for (const item of items) {
    let size = fits([...current, item], units + item.units);
    if (size === null && current.length > 0) {
      close();
      size = fits([item], units + item.units);
    }
    if (size === null) throw new Error(`${item.label} does not fit in one transaction`);
    current.push(item);
    units += item.units;
    bytes = size;
  }
  close();
  return out;
}
