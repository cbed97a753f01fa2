// The few protocol rules the pages need before anything is sent: the bounds of an offer (R9),
// the reward estimate shown beside the share slider, and what unstaking does (R15). The program
// stays the judge: every transaction is simulated before the wallet is asked to sign.

/** Basis points in one. */
export const BPS = 10_000;

/** The amounts an owner may request in an offer (R9), in base units; `null` when none. */
export function offerBounds(ownerStake: bigint, minRequired: bigint, maxCostakeBps: number): { min: bigint; max: bigint } | null {
  // amount <= max_costake_bps * (owner_stake + amount)  <=>  amount <= owner_stake * bps / (BPS - bps)
  const max = maxCostakeBps >= BPS ? ownerStake * 1_000_000n : (ownerStake * BigInt(maxCostakeBps)) / BigInt(BPS - maxCostakeBps);
  // owner_stake + amount >= min_required, and amount > 0
  const shortfall = minRequired - ownerStake;
  const min = shortfall > 1n ? shortfall : 1n;
  return min <= max ? { min, max } : null;
}

/** What a co-staker earns per day at `shareBps` of a device earning `deviceDaily` per day (R21). */
export function costakerDaily(deviceDaily: bigint, shareBps: number): bigint {
  return (deviceDaily * BigInt(shareBps)) / BigInt(BPS);
}

/** Yearly return of `daily` earnings on `principal`, as a percentage (0 when nothing is staked). */
export function yearlyPercent(daily: bigint, principal: bigint): number {
  if (principal <= 0n) return 0;
  return (Number(daily) * 365 * 100) / Number(principal);
}

/** Reward income per day averaged over a window, from (unix time, amount) receipts. */
export function dailyAverage(receipts: ReadonlyArray<{ at: number; amount: bigint }>, now: number, windowDays = 7): bigint {
  const since = now - windowDays * 86_400;
  const total = receipts.filter((r) => r.at >= since && r.at <= now).reduce((sum, r) => sum + r.amount, 0n);
  return total / BigInt(windowDays);
}

/** A co-stake position as the unstake preview needs it. */
export interface PositionForUnstake {
  /** The co-staker's wallet. */
  costaker: string;
  /** Principal after slashing. */
  principal: bigint;
  /** `filled` (earning) or `exiting` (cancelled, in its wait). */
  stage: 'filled' | 'exiting';
  /** The recorded unlock of an exiting position (unix seconds). */
  unlockAt: number;
}

/** What `unstake` will do (R15), for the confirmation a device owner reads before signing. */
export interface UnstakePreview {
  /** When the owner's ticket unlocks. */
  ticketUnlock: number;
  /** Each position's new unlock. */
  positions: Array<PositionForUnstake & { newUnlock: number }>;
}

/** R15: the owner's ticket unlocks after the cooldown; every position unlocks at the earlier of its own unlock and that. */
export function unstakePreview(now: number, cooldownSecs: number, positions: PositionForUnstake[]): UnstakePreview {
  const ticketUnlock = now + cooldownSecs;
  return {
    ticketUnlock,
    positions: positions.map((p) => ({ ...p, newUnlock: p.stage === 'exiting' ? Math.min(p.unlockAt, ticketUnlock) : ticketUnlock })),
  };
}

/** `device_status`'s reasons for not earning (R5, R54), as the program numbers them. */
export const INELIGIBLE = { TERMINATED: 1, UNSTAKING: 2, NO_STAKE: 4, BELOW_MINIMUM: 8 } as const;

/**
 * Why a device does not earn, in words: the reason that matters most (a terminated or unstaking
 * device has nothing counted either; that goes without saying). `shortBy` is the shortfall as
 * text, e.g. "200 IO". `null` when no flag is set.
 */
export function ineligibleReason(flags: number, shortBy: string): string | null {
  if (flags & INELIGIBLE.TERMINATED) return 'the device is terminated';
  if (flags & INELIGIBLE.UNSTAKING) return 'you are unstaking';
  if (flags & INELIGIBLE.NO_STAKE) return 'nothing is staked';
  if (flags & INELIGIBLE.BELOW_MINIMUM) return `counted stake is ${shortBy} short of the minimum`;
  return null;
}
