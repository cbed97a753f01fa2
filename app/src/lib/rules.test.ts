import { describe, expect, it } from 'vitest';
import { PositionState } from '../generated';
import { configFixture, DEFAULT_PARAMS } from './fixtures';
import { INELIGIBLE, costakerDaily, dailyAverage, ineligibleReasons, offerBounds, paramsAt, positionStanding, unstakePreview, yearlyPercent } from './rules';

const IO = 1_000_000n;

describe('offer bounds (R9)', () => {
  it('caps the request at max_costake_bps of the total stake', () => {
    // 50%: owner 800 -> at most 800 more (800 of 1,600 is 50%); at least 1% of the minimum
    expect(offerBounds(800n * IO, 800n * IO, 5_000, 100)).toEqual({ min: 8n * IO, max: 800n * IO });
    // 20%: owner 800 -> at most 200 (200 of 1,000)
    expect(offerBounds(800n * IO, 800n * IO, 2_000, 100)).toEqual({ min: 8n * IO, max: 200n * IO });
  });
  it('asks for at least what the owner is short of the minimum', () => {
    expect(offerBounds(600n * IO, 1_000n * IO, 5_000, 100)).toEqual({ min: 400n * IO, max: 600n * IO });
  });
  it('asks for at least min_offer_bps of the minimum, rounded up (no dust positions)', () => {
    expect(offerBounds(1_000n * IO, 1_000n * IO, 5_000, 2_500)?.min).toBe(250n * IO);
    expect(offerBounds(3n, 3n, 5_000, 5_000)?.min).toBe(2n);
  });
  it('has no room when the cap is below the shortfall or the smallest offer', () => {
    expect(offerBounds(300n * IO, 1_000n * IO, 5_000, 100)).toBeNull();
    expect(offerBounds(1_000n * IO, 1_000n * IO, 1_000, 5_000)).toBeNull();
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

describe('parameters in force (R33)', () => {
  it('switches to the pending set at its time, not a second before', () => {
    const pendingParams = { ...DEFAULT_PARAMS, cooldownSecs: 30n };
    const config = configFixture({ pendingParams, paramsEffectiveAt: 1_000n });
    expect(paramsAt(config, 999).cooldownSecs).toBe(1_209_600n);
    expect(paramsAt(config, 1_000).cooldownSecs).toBe(30n);
  });
  it('ignores the pending set when none is proposed', () => {
    const config = configFixture({ pendingParams: { ...DEFAULT_PARAMS, cooldownSecs: 30n }, paramsEffectiveAt: 0n });
    expect(paramsAt(config, 10_000).cooldownSecs).toBe(1_209_600n);
  });
});

describe('unstake preview (R15)', () => {
  it('unlocks the ticket after the cooldown; the filled position stops earning; every wait ends now; unlocks come no later than the ticket', () => {
    const now = 1_000;
    const preview = unstakePreview(now, 14 * 86_400, [
      { costaker: 'a', principal: 5n, state: PositionState.Filled, waitEnd: 0, unlockAt: 0 },
      { costaker: 'b', principal: 7n, state: PositionState.Exiting, waitEnd: now + 86_400, unlockAt: now + 3 * 86_400 },
      { costaker: 'c', principal: 9n, state: PositionState.Exiting, waitEnd: now + 6 * 86_400, unlockAt: now + 20 * 86_400 },
      { costaker: 'd', principal: 9n, state: PositionState.Cooling, waitEnd: now - 1, unlockAt: now + 86_400 },
    ]);
    expect(preview.ticketUnlock).toBe(now + 14 * 86_400);
    expect(preview.positions.map((p) => p.newUnlock)).toEqual([now + 14 * 86_400, now + 3 * 86_400, now + 14 * 86_400, now + 86_400]);
    expect(preview.positions.map((p) => p.stopsEarning)).toEqual([true, false, false, false]);
    expect(preview.positions.map((p) => p.waitCut)).toEqual([false, true, true, false]);
  });
});

describe('why a device does not earn (R5)', () => {
  it('gives every reason that does not follow from another, for the owner', () => {
    expect(ineligibleReasons(INELIGIBLE.TERMINATED | INELIGIBLE.NO_STAKE | INELIGIBLE.BELOW_MINIMUM, '5 IO', 'owner')).toEqual(['the device is terminated']);
    expect(ineligibleReasons(INELIGIBLE.TERMINATED | INELIGIBLE.UNSTAKING | INELIGIBLE.NO_STAKE, '5 IO', 'owner')).toEqual(['the device is terminated', 'you are unstaking']);
    expect(ineligibleReasons(INELIGIBLE.UNSTAKING | INELIGIBLE.NO_STAKE, '5 IO', 'owner')).toEqual(['you are unstaking']);
    expect(ineligibleReasons(INELIGIBLE.NO_STAKE | INELIGIBLE.BELOW_MINIMUM, '5 IO', 'owner')).toEqual(['nothing is staked']);
    expect(ineligibleReasons(INELIGIBLE.BELOW_MINIMUM, '5 IO', 'owner')).toEqual(['counted stake is 5 IO short of the minimum']);
    expect(ineligibleReasons(0, '0 IO', 'owner')).toEqual([]);
  });
  it('names the owner for a co-staker', () => {
    expect(ineligibleReasons(INELIGIBLE.UNSTAKING, '0 IO', 'costaker')).toEqual(['the owner is unstaking']);
  });
});

describe('a position’s standing (R5, R13, R15, R16)', () => {
  it('earns only when filled on an eligible device', () => {
    expect(positionStanding(PositionState.Filled, true, false)).toEqual({ label: 'Earning', tone: 'good', earning: true });
    expect(positionStanding(PositionState.Filled, false, false)).toMatchObject({ label: 'Not earning', earning: false });
  });
  it('never earns once stopped, whatever the device', () => {
    for (const state of [PositionState.Exiting, PositionState.Cooling, PositionState.Ripe]) {
      expect(positionStanding(state, true, false).earning).toBe(false);
    }
    expect(positionStanding(PositionState.Exiting, true, false).label).toBe('Cancelled: wait period');
    expect(positionStanding(PositionState.Cooling, true, true).label).toBe('Unstaked with the owner');
    expect(positionStanding(PositionState.Cooling, true, false).label).toBe('In cooldown');
    expect(positionStanding(PositionState.Ripe, false, true).label).toBe('Ready to withdraw');
  });
});
