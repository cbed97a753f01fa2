// A batch action's run: its items packed into as few transactions as fit, then each transaction
// sent in turn through the app's `run` (simulated first, signed by the wallet), stopping at the
// first refusal.
import { type Address, type TransactionSigner, createNoopSigner } from '@solana/kit';
import { useState } from 'react';
import { useApp } from '../context';
import { packPayments } from '../lib/actions';
import type { BatchItem } from '../lib/batch';

/** One batch action: its button's text, the devices it covers, and how to build their items. */
export interface BatchPlan {
  /** The button's text. */
  title: string;
  /** What each transaction's notice says. */
  label: string;
  /** The final notice. */
  done: string;
  /** The devices (items) it covers. */
  count: number;
  /** What one item is, e.g. "device" (the default) or "position". */
  noun?: string;
  /** Whether it pays the signer (its token account is then created first when missing). */
  pays: boolean;
  /** The items, with the wallet's signer. */
  items: (signer: TransactionSigner) => Promise<BatchItem[]>;
}

/** Runs a batch: packs it, then sends each transaction in turn (each simulated first); stops at the first refusal. */
export function useBatch() {
  const { rpc, config, wallet, run } = useApp();
  const [outcome, setOutcome] = useState<string | null>(null);
  const start = async (plan: BatchPlan) => {
    if (!wallet) return;
    setOutcome(null);
    const signer = createNoopSigner(wallet as Address);
    let packed;
    try {
      packed = await packPayments(rpc, signer, config, await plan.items(signer), plan.pays);
    } catch (e) {
      setOutcome(`${plan.title}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const total = packed.length;
    const noun = plan.noun ?? 'device';
    const many = (n: number) => `${n} ${noun}${n === 1 ? '' : 's'}`;
    for (const [i, t] of packed.entries()) {
      const of = total > 1 ? ` (transaction ${i + 1} of ${total}, ${many(t.items.length)})` : ` (${many(t.items.length)})`;
      const last = i + 1 === total;
      const ok = await run({
        label: `${plan.label}${of}`,
        build: async () => t.instructions,
        done: last ? `${plan.done}: ${many(plan.count)} in ${total} transaction${total === 1 ? '' : 's'}` : `${plan.label}: transaction ${i + 1} of ${total} confirmed`,
      });
      if (!ok) {
        setOutcome(`${plan.title}: stopped at transaction ${i + 1} of ${total}${i > 0 ? `; the ${i} before it went through` : ''}.`);
        return;
      }
    }
    setOutcome(`${plan.done}: ${many(plan.count)} in ${total} transaction${total === 1 ? '' : 's'}.`);
  };
  return { start, outcome };
}

