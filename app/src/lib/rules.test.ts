import { describe, expect, it } from 'vitest';
import { INELIGIBLE, costakerDaily, dailyAverage, ineligibleReason, offerBounds, unstakePreview, yearlyPercent } from './rules';

const IO = 1_000_000n;

describe('offer bounds (R9)', () => {
  it('caps the request at max_costake_bps of the total stake', () => {
    // 50%: owner 800 -> at most 800 more (800 of 1,600 is 50%)
    expect(offerBounds(800n * IO, 800n * IO, 5_000)).toEqual({ min: 1n, max: 800n * IO });
    // 20%: owner 800 -> at most 200 (200 of 1,000)
    expect(offerBounds(800n * IO, 800n * IO, 2_000)).toEqual({ min: 1n, max: 200n * IO });
  });
  it('asks for at least what the owner is short of the minimum', () => {
    expect(offerBounds(600n * IO, 1_000n * IO, 5_000)).toEqual({ min: 400n * IO, max: 600n * IO });
  });
  it('has no room when the cap is below the shortfall', () => {
    expect(offerBounds(300n * IO, 1_000n * IO, 5_000)).toBeNull();
  });
});

describe('reward estimate', () => {
  it('splits the device rewards at the share, rounding down (R21)', () => {
    expect(costakerDaily(100n * IO, 7_400)).toBe(74n * IO);
    expect(costakerDaily(3n, 5_000)).toBe(1n);
  });
  it('averages receipts of the last 7 days only', () => {
    const now = 10_000_000;
    const receipts = [
      { at: now - 3_600, amount: 70n * IO },
      { at: now - 6 * 86_400, amount: 70n * IO },
      { at: now - 8 * 86_400, amount: 700n * IO },
    ];
    expect(dailyAverage(receipts, now)).toBe(20n * IO);
  });
  it('gives a yearly percentage', () => {
    expect(yearlyPercent(1n * IO, 365n * IO)).toBeCloseTo(100);
    expect(yearlyPercent(1n, 0n)).toBe(0);
  });
});

describe('unstake preview (R15)', () => {
  it('unlocks the ticket after the cooldown and positions at the earlier of theirs and that', () => {
    const preview = unstakePreview(1_000, 14 * 86_400, [
      { costaker: 'a', principal: 5n, stage: 'filled', unlockAt: 0 },
      { costaker: 'b', principal: 7n, stage: 'exiting', unlockAt: 1_000 + 3 * 86_400 },
      { costaker: 'c', principal: 9n, stage: 'exiting', unlockAt: 1_000 + 20 * 86_400 },
    ]);
    expect(preview.ticketUnlock).toBe(1_000 + 14 * 86_400);
    expect(preview.positions.map((p) => p.newUnlock)).toEqual([1_000 + 14 * 86_400, 1_000 + 3 * 86_400, 1_000 + 14 * 86_400]);
  });
});

describe('why a device does not earn (R5)', () => {
  it('gives the reason that matters most', () => {
    expect(ineligibleReason(INELIGIBLE.TERMINATED | INELIGIBLE.NO_STAKE | INELIGIBLE.BELOW_MINIMUM, '5 IO')).toBe('the device is terminated');
    expect(ineligibleReason(INELIGIBLE.UNSTAKING | INELIGIBLE.NO_STAKE, '5 IO')).toBe('you are unstaking');
    expect(ineligibleReason(INELIGIBLE.NO_STAKE | INELIGIBLE.BELOW_MINIMUM, '5 IO')).toBe('nothing is staked');
    expect(ineligibleReason(INELIGIBLE.BELOW_MINIMUM, '5 IO')).toBe('counted stake is 5 IO short of the minimum');
    expect(ineligibleReason(0, '0 IO')).toBeNull();
  });
});
