import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EventsTable } from '../components/History';
import { AppContext, type AppContextValue } from '../context';
import { type DeviceEarnings, type HistoryEvent, chartDays, dailyFromEarnings, explorerTx, localDay, rowAmount } from './history';

// The history API's answers shaped for the pages: a bar per local day of the span (days without
// rewards at zero), the owner's part and each position's, and the 7-day average for estimates.
const NOW = Math.floor(new Date(2026, 10, 30, 15, 0, 0).getTime() / 1000); // 30 Nov 2026, 15:00 local
const day = (offset: number) => localDay(NOW - offset * 86_400);

const earnings: DeviceEarnings = {
  device: 'D',
  since: NOW - 7 * 86_400,
  owner: [
    { day: day(0), start: 0, amount: '260000', blocks: 1 },
    { day: day(2), start: 0, amount: '520000', blocks: 2 },
  ],
  positions: [
    { seq: 3, costaker: 'C', points: [{ day: day(0), start: 0, amount: '740000', blocks: 1 }] },
    { seq: 4, costaker: 'E', points: [{ day: day(2), start: 0, amount: '100', blocks: 1 }, { day: day(40), start: 0, amount: '5', blocks: 1 }] },
  ],
  totals: { owner: '780000', positions: '740100', blocks: 3, skipped: 0 },
};

describe('earnings per local day', () => {
  it('has a bar for each of the last 7 days, oldest first, with the owner’s and each position’s part', () => {
    const bars = chartDays(earnings, 7, NOW);
    expect(bars.map((b) => b.day)).toEqual([6, 5, 4, 3, 2, 1, 0].map(day));
    expect(bars[6].owner).toBe(260_000n);
    expect(bars[6].positions.get(3)).toBe(740_000n);
    expect(bars[4].owner).toBe(520_000n);
    expect(bars[4].positions.get(4)).toBe(100n);
    expect(bars[5].owner).toBe(0n);
    expect(bars.flatMap((b) => [...b.positions.values()]).reduce((a, b) => a + b, 0n)).toBe(740_100n); // the point 40 days back is outside
  });

  it('has 30 bars for 30 days, and only one position’s part when asked', () => {
    const bars = chartDays(earnings, 30, NOW, 4);
    expect(bars).toHaveLength(30);
    expect(bars.every((b) => b.owner === 0n && !b.positions.has(3))).toBe(true);
    expect(bars[27].positions.get(4)).toBe(100n);
  });

  it('averages the whole reward (owner and positions) over the span for the offer estimate', () => {
    expect(dailyFromEarnings(earnings, 7)).toBe((780_000n + 740_100n) / 7n);
  });
});

describe('explorer links', () => {
  it('name the cluster, a local validator by its URL', () => {
    expect(explorerTx('SIG', 'http://127.0.0.1:8899')).toBe('https://explorer.solana.com/tx/SIG?cluster=custom&customUrl=http%3A%2F%2F127.0.0.1%3A8899');
    expect(explorerTx('SIG', 'https://api.devnet.solana.com')).toBe('https://explorer.solana.com/tx/SIG?cluster=devnet');
    expect(explorerTx('SIG', 'https://api.mainnet-beta.solana.com')).toBe('https://explorer.solana.com/tx/SIG');
  });
});

// A position's events as the API returns them (`/wallets/{wallet}/positions`): the event's
// `amount` is its whole amount (a block's whole reward, a slash's total), the position's own
// part is in its fields.
const event = (name: string, amount: string | null, data: Record<string, unknown>, eventIndex = 0): HistoryEvent => ({
  seq: 9,
  signature: `SIG${name}${eventIndex}`,
  slot: 100,
  blockTime: NOW,
  instructionIndex: 0,
  eventIndex,
  name,
  device: 'D',
  wallets: ['O', 'C'],
  positionSeq: (data.positionSeq ?? data.seq ?? data.stoppedSeq ?? null) as number | null,
  amount,
  data,
});
const paid = event('RewardPaid', '100000000', { blockId: 7, amount: '100000000', ownerPart: '26000000', positionPart: '74000000', positionSeq: 3, positionLeft: false });
const paidAfterLeaving = event('RewardPaid', '100000000', { blockId: 8, amount: '100000000', ownerPart: '26000000', positionPart: '74000000', positionSeq: 3, positionLeft: true }, 1);
const slashed = event('Slashed', '50000000', { total: '50000000', fromOwnerStake: '30000000', fromTicket: '0', fromPositions: [{ seq: 2, amount: '5000000' }, { seq: 3, amount: '15000000' }] }, 2);
const unstaked = event('Unstaked', '400000000', { ticketSeq: 1, amount: '400000000', stoppedSeq: 3, positionsRecapped: 1 }, 3);
const claimed = event('RewardsClaimed', '74000000', { seq: 3, costaker: 'C', amount: '74000000' }, 4);

describe('a position’s events show what the position got or lost', () => {
  it('R21: a paid block shows the position’s part, with the block’s whole reward as context', () => {
    expect(rowAmount(paid, 3)).toEqual({ amount: 74_000_000n, context: { kind: 'block', whole: 100_000_000n } });
  });

  it('R21: a block paid after the position had left shows nothing earned (its part was not paid)', () => {
    expect(rowAmount(paidAfterLeaving, 3)).toEqual({ amount: 0n, context: { kind: 'left', whole: 100_000_000n } });
  });

  it('a slash shows the part taken from this position, not the total nor another position’s', () => {
    expect(rowAmount(slashed, 3)).toEqual({ amount: 15_000_000n, context: { kind: 'slash', whole: 50_000_000n } });
    expect(rowAmount(slashed, 2).amount).toBe(5_000_000n);
  });

  it('the owner’s unstake that stopped the position is no amount of the position’s', () => {
    expect(rowAmount(unstaked, 3)).toEqual({ amount: null, context: { kind: 'ownerUnstake', whole: 400_000_000n } });
  });

  it('the position’s own events (a claim) and a device’s table keep the event’s amount', () => {
    expect(rowAmount(claimed, 3)).toEqual({ amount: 74_000_000n, context: null });
    expect(rowAmount(paid, null)).toEqual({ amount: 100_000_000n, context: null });
    expect(rowAmount(slashed, null)).toEqual({ amount: 50_000_000n, context: null });
  });
});

/** The events table rendered to HTML with a mint of 6 decimals; each row's cells as text. */
function tableRows(events: HistoryEvent[], positionSeq?: number): string[][] {
  const app = { config: { mintDecimals: 6 } } as unknown as AppContextValue;
  const html = renderToStaticMarkup(createElement(AppContext.Provider, { value: app }, createElement(EventsTable, { events, positionSeq })));
  const text = (cell: string) => cell.replace(/<[^>]+>/g, '').replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, ' ').trim();
  return [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map(([, row]) => [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map(([, cell]) => text(cell)));
}

describe('the events table', () => {
  it('R21: a position’s RewardPaid row shows what the position earned from the block, the block’s amount as context', () => {
    const [head, row] = tableRows([paid], 3);
    expect(head[3]).toBe('Position’s amount');
    expect(row.slice(1, 4)).toEqual(['RewardPaid', '#3', '74 IO of the block’s 100 IO']);
  });

  it('a position’s rows: not paid after it left, its part of a slash, the owner’s unstake as context only', () => {
    const rows = tableRows([paidAfterLeaving, slashed, unstaked, claimed], 3).slice(1);
    expect(rows.map((r) => r[3])).toEqual([
      '0 IO of the block’s 100 IO, not paid: the position had left',
      '15 IO of 50 IO slashed',
      'the owner unstaked 400 IO',
      '74 IO',
    ]);
  });

  it('a device’s table shows each event’s whole amount', () => {
    const [head, row] = tableRows([paid]);
    expect(head[3]).toBe('Amount');
    expect(row[3]).toBe('100 IO');
  });
});
