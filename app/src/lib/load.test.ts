import { describe, expect, it } from 'vitest';
import { type DeviceStatus, PositionState } from '../generated';
import { KEYS, deviceFixture } from './fixtures';
import { filledPosition } from './actions';
import { joinPositions, usedPositions } from './load';

/** device_status's view of positions `seqs` (the rest of the status does not matter here). */
function statusOf(seqs: bigint[]): DeviceStatus {
  return {
    positions: seqs.map((seq) => ({ seq, state: PositionState.Cooling, principal: 1n, rewards: 0n, rewardShareBps: 1, counts: false, waitEnd: 0n, unlockAt: 0n, slashAllowance: 0n })),
  } as unknown as DeviceStatus;
}

describe('the device’s position table', () => {
  const device = deviceFixture({
    2: { seq: 4n, costaker: KEYS.costaker, principal: 100n, filledAt: 10n, stoppedAt: 20n, waitEnd: 20n, unlockAt: 50n },
    5: { seq: 6n, costaker: KEYS.oracle, principal: 300n, filledAt: 30n },
  });
  it('holds positions in used slots only (a free slot’s co-staker is the default key)', () => {
    expect(usedPositions(device).map((p) => [p.seq, p.costaker])).toEqual([
      [4n, KEYS.costaker],
      [6n, KEYS.oracle],
    ]);
  });
  it('has one filled position: the one not stopped', () => {
    expect(filledPosition(device)?.seq).toBe(6n);
    expect(filledPosition(deviceFixture({}))).toBeUndefined();
  });
  it('joins the table with device_status by sequence number', () => {
    const joined = joinPositions(device, statusOf([6n, 4n]));
    expect(joined.map((r) => [r.position.seq, r.status.seq])).toEqual([
      [4n, 4n],
      [6n, 6n],
    ]);
    expect(joinPositions(device, statusOf([4n])).map((r) => r.position.seq)).toEqual([4n]);
  });
});
