import { describe, expect, it } from 'vitest';
import {
  AccountRole,
  type Blockhash,
  type Instruction,
  type Signature,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  getU32Decoder,
  getU64Decoder,
} from '@solana/kit';
import { KEYS } from './fixtures';
import {
  BlockhashExpiredError,
  COMPUTE_BUDGET_PROGRAM,
  type Clock,
  EXPIRED_MESSAGE,
  FEE_PERCENTILE,
  InvalidComputeUnitPriceError,
  type LandingRpc,
  MAX_COMPUTE_UNITS,
  RESEND_INTERVAL_MS,
  blockhashOf,
  budgetedTransaction,
  compileWire,
  feePercentile,
  limitWithMargin,
  sendUntilLanded,
  setComputeUnitLimit,
  setComputeUnitPrice,
  unitPriceOverride,
  writableAccounts,
} from './landing';

/** A blockhash for transactions built in these tests. */
const BLOCKHASH = { blockhash: 'EkSnNWid2cvwEVnVx9aBqawnmiCNiDgp3gUdkDPTKN1N' as Blockhash, lastValidBlockHeight: 150n };

/** An instruction of some program writing `writable` and reading `readonly`. */
function instruction(writable: string[], readonly: string[] = []): Instruction {
  return {
    programAddress: KEYS.other,
    accounts: [
      ...writable.map((a) => ({ address: a as never, role: AccountRole.WRITABLE })),
      ...readonly.map((a) => ({ address: a as never, role: AccountRole.READONLY })),
    ],
    data: new Uint8Array([7]),
  };
}

/** The instructions compiled into the wire bytes `wire`: program address and data. */
function decodeInstructions(wire: Uint8Array): Array<{ program: string; data: Uint8Array }> {
  const message = getCompiledTransactionMessageDecoder().decode(getTransactionDecoder().decode(wire).messageBytes);
  if (!('instructions' in message)) throw new Error('not a legacy or v0 message');
  return message.instructions.map((i) => ({ program: message.staticAccounts[i.programAddressIndex], data: new Uint8Array(i.data ?? []) }));
}

/** A clock whose sleeps only advance its own time. */
function fakeClock(): Clock & { slept: number } {
  const clock = {
    t: 0,
    slept: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
      clock.slept += ms;
    },
  };
  return clock;
}

/** A request object of the RPC: `.send()` answers `value`. */
function answer<T>(value: T) {
  return { send: async () => value };
}

describe('compute budget', () => {
  it('asks for the simulated units plus 10% (and 1,000), never above the maximum', () => {
    expect(limitWithMargin(100_000n)).toBe(111_000);
    expect(limitWithMargin(0)).toBe(1_000);
    expect(limitWithMargin(1_300_000n)).toBe(MAX_COMPUTE_UNITS);
  });

  it('prices at a high percentile of the recent fees, 0 on a quiet cluster', () => {
    expect(FEE_PERCENTILE).toBe(75);
    expect(feePercentile([], FEE_PERCENTILE)).toBe(0n);
    expect(feePercentile([0n, 0n, 0n], FEE_PERCENTILE)).toBe(0n);
    expect(feePercentile([40n, 10n, 30n, 20n], 75)).toBe(30n);
    expect(feePercentile([5n], 75)).toBe(5n);
    const hundred = Array.from({ length: 100 }, (_, i) => BigInt(100 - i));
    expect(feePercentile(hundred, 75)).toBe(75n);
    expect(feePercentile(hundred, 100)).toBe(100n);
  });

  it('encodes SetComputeUnitLimit and SetComputeUnitPrice for the Compute Budget program', () => {
    const limit = setComputeUnitLimit(111_000);
    expect(limit.programAddress).toBe(COMPUTE_BUDGET_PROGRAM);
    expect(limit.data![0]).toBe(2);
    expect(getU32Decoder().decode(limit.data!.slice(1))).toBe(111_000);
    expect(limit.data!.length).toBe(5);
    const price = setComputeUnitPrice(12_345n);
    expect(price.data![0]).toBe(3);
    expect(getU64Decoder().decode(price.data!.slice(1))).toBe(12_345n);
    expect(price.data!.length).toBe(9);
  });

  it('asks the fees of the accounts the transaction writes, each once', () => {
    const written = writableAccounts([instruction([KEYS.admin, KEYS.oracle], [KEYS.other]), instruction([KEYS.oracle, KEYS.costaker])]);
    expect(written).toEqual([KEYS.admin, KEYS.oracle, KEYS.costaker]);
  });

  it('reads the ?cuPrice= override and names a bad one', () => {
    expect(unitPriceOverride('')).toBeNull();
    expect(unitPriceOverride('?rpc=x&cuPrice=5000')).toBe(5_000n);
    expect(unitPriceOverride('?cuPrice=0')).toBe(0n);
    for (const bad of ['?cuPrice=abc', '?cuPrice=-1', '?cuPrice=1.5', '?cuPrice=', '?cuPrice=18446744073709551616']) {
      expect(() => unitPriceOverride(bad)).toThrow(InvalidComputeUnitPriceError);
    }
    expect(() => unitPriceOverride('?cuPrice=abc')).toThrow(/cuPrice/);
  });
});

/** A fake RPC for budgetedTransaction: the simulation consumes `units` (or refuses with `err`), the fees are `fees`. */
function budgetRpc(units: bigint, fees: bigint[], err: unknown = null) {
  const seen = { feeAddresses: [] as string[][], simulated: [] as Uint8Array[] };
  const rpc = {
    getLatestBlockhash: () => answer({ value: BLOCKHASH }),
    getRecentPrioritizationFees: (addresses: string[]) => {
      seen.feeAddresses.push([...addresses]);
      return answer(fees.map((f, slot) => ({ prioritizationFee: f, slot: BigInt(slot) })));
    },
    simulateTransaction: (encoded: string) => {
      seen.simulated.push(new Uint8Array(getBase64Encoder().encode(encoded)));
      return answer({ value: { err, logs: err ? ['Program log: refused'] : [], unitsConsumed: units } });
    },
  } as unknown as LandingRpc;
  return { rpc, seen };
}

describe('budgetedTransaction', () => {
  it('puts the simulated units plus the margin and the 75th percentile price before the instructions', async () => {
    const { rpc, seen } = budgetRpc(50_000n, [0n, 100n, 300n, 200n]);
    const own = instruction([KEYS.costaker], [KEYS.admin]);
    const built = await budgetedTransaction(rpc, KEYS.oracle, [own], null);
    if (built.refused) throw new Error('refused');
    expect(built.unitLimit).toBe(56_000);
    expect(built.unitPrice).toBe(200n);
    expect(seen.feeAddresses).toEqual([[KEYS.costaker]]);
    // the simulation ran with the highest limit and the same price
    const probe = decodeInstructions(seen.simulated[0]);
    expect(getU32Decoder().decode(probe[0].data.slice(1))).toBe(MAX_COMPUTE_UNITS);
    expect(getU64Decoder().decode(probe[1].data.slice(1))).toBe(200n);
    const sent = decodeInstructions(built.wire);
    expect(sent.map((i) => i.program)).toEqual([COMPUTE_BUDGET_PROGRAM, COMPUTE_BUDGET_PROGRAM, KEYS.other]);
    expect(sent[0].data[0]).toBe(2);
    expect(getU32Decoder().decode(sent[0].data.slice(1))).toBe(56_000);
    expect(sent[1].data[0]).toBe(3);
    expect(getU64Decoder().decode(sent[1].data.slice(1))).toBe(200n);
    expect(sent[2].data).toEqual(new Uint8Array([7]));
    expect(blockhashOf(built.wire)).toBe(BLOCKHASH.blockhash);
  });

  it('uses the given price without asking the fees', async () => {
    const { rpc, seen } = budgetRpc(10_000n, [999n]);
    const built = await budgetedTransaction(rpc, KEYS.oracle, [instruction([KEYS.costaker])], 7n);
    if (built.refused) throw new Error('refused');
    expect(built.unitPrice).toBe(7n);
    expect(seen.feeAddresses).toEqual([]);
  });

  it('prices at 0 on a quiet cluster', async () => {
    const { rpc } = budgetRpc(10_000n, []);
    const built = await budgetedTransaction(rpc, KEYS.oracle, [instruction([KEYS.costaker])], null);
    if (built.refused) throw new Error('refused');
    expect(built.unitPrice).toBe(0n);
  });

  it('returns the simulation refusal with its logs, building nothing to sign', async () => {
    const err = { InstructionError: [2, { Custom: 6010 }] };
    const { rpc } = budgetRpc(3_000n, [], err);
    const built = await budgetedTransaction(rpc, KEYS.oracle, [instruction([KEYS.costaker])], null);
    expect(built.refused).toEqual({ err, logs: ['Program log: refused'] });
    expect('wire' in built).toBe(false);
  });
});

/** The signature the loop watches in these tests. */
const SIGNATURE = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW' as Signature;

/**
 * A fake RPC for the re-send loop: the transaction is seen confirmed at the `landsAtPoll`th status
 * read (never with null, failed with `err`), the blockhash valid until `validFor` ms of the clock.
 */
function landingRpc(clock: Clock, landsAtPoll: number | null, validFor: number, err: unknown = null) {
  const seen = { sends: [] as string[], polls: 0, sendTimes: [] as number[], validityChecks: 0 };
  const rpc = {
    sendTransaction: (encoded: string, config: { skipPreflight: boolean; maxRetries: bigint }) => {
      expect(config.skipPreflight).toBe(true);
      expect(config.maxRetries).toBe(0n);
      seen.sends.push(encoded);
      seen.sendTimes.push(clock.now());
      return answer(SIGNATURE);
    },
    getSignatureStatuses: (signatures: string[]) => {
      expect(signatures).toEqual([SIGNATURE]);
      seen.polls += 1;
      const landed = landsAtPoll !== null && seen.polls >= landsAtPoll;
      return answer({ value: [landed ? { err, confirmationStatus: 'confirmed', confirmations: 0n, slot: 1n } : null] });
    },
    isBlockhashValid: (blockhash: string, config: { commitment: string }) => {
      expect(blockhash).toBe(BLOCKHASH.blockhash);
      expect(config.commitment).toBe('processed');
      seen.validityChecks += 1;
      return answer({ value: clock.now() < validFor });
    },
  } as unknown as LandingRpc;
  return { rpc, seen };
}

/** Signed-looking wire bytes: the loop sends them as they are. */
const SIGNED = compileWire(KEYS.oracle, BLOCKHASH, [instruction([KEYS.costaker])]);

describe('sendUntilLanded', () => {
  it('re-sends the same bytes every 2 s until the transaction is confirmed', async () => {
    const clock = fakeClock();
    // a look every 400 ms: confirmed at the 17th, 6.4 s after the first send
    const { rpc, seen } = landingRpc(clock, 17, 60_000);
    const landed = await sendUntilLanded(rpc, SIGNATURE, BLOCKHASH.blockhash, SIGNED, clock);
    expect(landed).toEqual({ signature: SIGNATURE, err: null, sends: 4 });
    expect(new Set(seen.sends).size).toBe(1);
    expect(seen.sends[0]).toBe(Buffer.from(SIGNED).toString('base64'));
    expect(seen.sendTimes).toEqual([0, RESEND_INTERVAL_MS, 2 * RESEND_INTERVAL_MS, 3 * RESEND_INTERVAL_MS]);
  });

  it('stops with the expiry message when the blockhash expires before it lands', async () => {
    const clock = fakeClock();
    const { rpc, seen } = landingRpc(clock, null, 5_000);
    const failure = await sendUntilLanded(rpc, SIGNATURE, BLOCKHASH.blockhash, SIGNED, clock).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BlockhashExpiredError);
    expect((failure as BlockhashExpiredError).name).toBe('BlockhashExpired');
    expect((failure as Error).message).toBe(EXPIRED_MESSAGE);
    expect(EXPIRED_MESSAGE).toBe('The transaction did not land before its blockhash expired; nothing changed; try again');
    // sent at 0, 2 and 4 s; at 6 s the blockhash was no longer valid: not sent again
    expect(seen.sendTimes).toEqual([0, 2_000, 4_000]);
    expect((failure as BlockhashExpiredError).sends).toBe(3);
    expect(seen.validityChecks).toBe(3);
  });

  it('takes a landing seen at the last look after the blockhash expired', async () => {
    const clock = fakeClock();
    // 0..2000 ms: polls 1-6; the check at 2 s finds the blockhash expired; the last look is poll 7
    const { rpc } = landingRpc(clock, 7, 1_000);
    const landed = await sendUntilLanded(rpc, SIGNATURE, BLOCKHASH.blockhash, SIGNED, clock);
    expect(landed.err).toBeNull();
  });

  it('returns the error of a transaction that landed and failed', async () => {
    const clock = fakeClock();
    const err = { InstructionError: [2, { Custom: 6001 }] };
    const { rpc } = landingRpc(clock, 2, 60_000, err);
    const landed = await sendUntilLanded(rpc, SIGNATURE, BLOCKHASH.blockhash, SIGNED, clock);
    expect(landed.err).toEqual(err);
  });

  it('only watches a transaction a wallet sent (the wallet re-sends it), and still names its expiry', async () => {
    const clock = fakeClock();
    const { rpc, seen } = landingRpc(clock, 5, 60_000);
    expect(await sendUntilLanded(rpc, SIGNATURE, BLOCKHASH.blockhash, null, clock)).toEqual({ signature: SIGNATURE, err: null, sends: 0 });
    expect(seen.sends).toEqual([]);
    const later = fakeClock();
    const expired = landingRpc(later, null, 0);
    await expect(sendUntilLanded(expired.rpc, SIGNATURE, BLOCKHASH.blockhash, null, later)).rejects.toThrow(EXPIRED_MESSAGE);
    expect(expired.seen.sends).toEqual([]);
  });

  it('keeps going when one re-send fails (a node busy for a moment)', async () => {
    const clock = fakeClock();
    const { rpc, seen } = landingRpc(clock, 12, 60_000);
    const send = rpc.sendTransaction.bind(rpc);
    let calls = 0;
    (rpc as { sendTransaction: unknown }).sendTransaction = (...args: Parameters<typeof send>) => {
      calls += 1;
      if (calls === 2) return { send: async () => Promise.reject(new Error('busy')) };
      return send(...args);
    };
    const landed = await sendUntilLanded(rpc, SIGNATURE, BLOCKHASH.blockhash, SIGNED, clock);
    expect(landed.err).toBeNull();
    expect(calls).toBe(3);
    expect(seen.sends.length).toBe(2);
  });
});
