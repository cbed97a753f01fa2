import { type Address, type Instruction, AccountRole, address, createNoopSigner, getAddressDecoder } from '@solana/kit';
import { describe, expect, it } from 'vitest';
import type { Config, Device } from '../generated';
import { BATCH_UNITS, claimItems } from './actions';
import { createAssociatedTokenIdempotentIx } from './ata';
import { type BatchItem, CLUSTER_LIMITS, MAX_TRANSACTION_BYTES, measure, pack } from './batch';
import type { Located } from './chain';

// Batch actions over many devices: as few transactions as fit the cluster's limits, each device's
// instructions whole, the shared creation of the signer's token account opening every one.
const WALLET = address('G7quQ8GBtANoLHwYp9zrvfrma1Sj7eXaNuqrJXc2cgF6');
const MINT = address('3agfdfoF5Rzdg4Eustk5noeXe9dPReY1K96BdVzj3r2k');
const TOKEN_PROGRAM = address('TokenkegQfeZyiNwAJbNbGC5JGx3ZxyTnCvUJ6kVPZd');
const config = { mint: MINT, tokenProgram: TOKEN_PROGRAM } as Config;
const signer = createNoopSigner(WALLET);

/** A distinct address per number. */
function key(n: number): Address {
  const bytes = new Uint8Array(32);
  bytes[0] = 1 + (n % 250);
  bytes[1] = Math.floor(n / 250);
  return getAddressDecoder().decode(bytes);
}

/** `count` devices, each with its own overflow vault. */
function devices(count: number): Located<Device>[] {
  return Array.from({ length: count }, (_, i) => ({ address: key(2 * i), data: { overflowVault: key(2 * i + 1) } as Device }));
}

describe('packing a batch into transactions', () => {
  it('claims of 40 positions on 40 devices: a few full transactions, every claim once and in order, each within the limits', async () => {
    const items = await claimItems(signer, config, devices(40).map((device, i) => ({ device, seq: BigInt(i), label: `device ${i}` })));
    const packed = pack(WALLET, items);
    expect(packed.length).toBeGreaterThan(1);
    expect(packed.length).toBeLessThan(40);
    expect(packed.flatMap((t) => t.items)).toEqual(items);
    for (const t of packed) {
      expect(t.bytes).toBeLessThanOrEqual(MAX_TRANSACTION_BYTES);
      expect(measure(WALLET, t.instructions).bytes).toBe(t.bytes);
      expect(t.items.length * BATCH_UNITS.claim).toBeLessThanOrEqual(CLUSTER_LIMITS.units);
    }
    // as few as fit: no transaction but the last could have taken the next one's first claim
    for (let i = 0; i + 1 < packed.length; i++) {
      const grown = [...packed[i].instructions, ...packed[i + 1].items[0].instructions];
      expect(measure(WALLET, grown).bytes).toBeGreaterThan(MAX_TRANSACTION_BYTES);
    }
  });

  it('opens every transaction with the shared instructions', async () => {
    const create = createAssociatedTokenIdempotentIx(signer, key(999), WALLET, MINT, TOKEN_PROGRAM);
    const items = await claimItems(signer, config, devices(30).map((device, i) => ({ device, seq: BigInt(i), label: `device ${i}` })));
    const packed = pack(WALLET, items, [create], BATCH_UNITS.createAccount);
    expect(packed.length).toBeGreaterThan(1);
    for (const t of packed) expect(t.instructions[0]).toBe(create);
  });

  it('is bound by compute when instructions are small but costly', () => {
    const tiny = (n: number): BatchItem => ({
      label: `item ${n}`,
      instructions: [{ programAddress: key(5000), accounts: [{ address: WALLET, role: AccountRole.WRITABLE_SIGNER }], data: Uint8Array.of(n) } as Instruction],
      units: 300_000,
    });
    const packed = pack(WALLET, Array.from({ length: 10 }, (_, n) => tiny(n)));
    expect(packed.map((t) => t.items.length)).toEqual([4, 4, 2]);
  });

  it('names an item too large for a transaction of its own', () => {
    const huge: BatchItem = { label: 'the huge one', instructions: [{ programAddress: key(5000), data: new Uint8Array(1300) } as Instruction], units: 1 };
    expect(() => pack(WALLET, [huge])).toThrow('the huge one does not fit in one transaction');
  });
});
