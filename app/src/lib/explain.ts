// A refused transaction in plain words: the program's named error (from the logs Anchor
// writes), else the token program's or the runtime's reason.

/** Why a transaction was (or would be) refused. */
export interface Refusal {
  /** The error's name, e.g. `BelowMinimum` (or the runtime's error kind). */
  name: string;
  /** A sentence for people. */
  message: string;
  /** The program's error number, when the program refused. */
  code?: number;
}

/** Runtime errors people meet, in words. */
const RUNTIME: Record<string, string> = {
  AccountNotFound: 'The paying wallet has no SOL on this cluster yet',
  InsufficientFundsForFee: 'The wallet does not have enough SOL to pay the fee',
  InsufficientFundsForRent: 'The wallet does not have enough SOL for the new account’s rent',
  BlockhashNotFound: 'The transaction expired before it landed; try again',
  AlreadyProcessed: 'This transaction was already sent',
};

/** Reads the refusal out of a simulation or confirmation `err` and the program logs. */
export function explain(err: unknown, logs: readonly string[] | null | undefined): Refusal {
  const lines = logs ?? [];
  // Anchor: "AnchorError ... Error Code: BelowMinimum. Error Number: 6010. Error Message: ...."
  for (const line of lines) {
    const anchor = /Error Code: (\w+)\. Error Number: (\d+)\. Error Message: (.*?)\.?$/.exec(line);
    if (anchor) return { name: anchor[1], code: Number(anchor[2]), message: anchor[3] };
  }
  // SPL Token: "Program log: Error: insufficient funds"
  for (const line of lines) {
    const token = /Program log: Error: (.+)$/.exec(line);
    if (token) {
      const text = token[1];
      if (/insufficient funds/i.test(text)) return { name: 'InsufficientFunds', message: 'Your wallet does not hold that many tokens' };
      return { name: 'TokenError', message: text.charAt(0).toUpperCase() + text.slice(1) };
    }
  }
  if (typeof err === 'string') return { name: err, message: RUNTIME[err] ?? err };
  if (err && typeof err === 'object') {
    const [kind] = Object.keys(err as object);
    if (kind === 'InstructionError') {
      const [, detail] = (err as { InstructionError: [number, unknown] }).InstructionError;
      if (detail && typeof detail === 'object' && 'Custom' in (detail as object)) {
        const code = Number((detail as { Custom: number | bigint }).Custom);
        return { name: `Error${code}`, code, message: `The program refused with error ${code}` };
      }
      return { name: String(detail), message: `The program refused: ${String(detail)}` };
    }
    if (kind) return { name: kind, message: RUNTIME[kind] ?? kind };
  }
  return { name: 'Unknown', message: 'The transaction failed for an unknown reason' };
}
