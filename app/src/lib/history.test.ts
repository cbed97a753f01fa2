import { describe, expect, it } from 'vitest';
import { type DeviceEarnings, chartDays, dailyFromEarnings, explorerTx, localDay } from './history';

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
