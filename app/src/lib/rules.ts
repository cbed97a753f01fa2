// The few protocol rules the pages need before anything is sent: the bounds of an offer (R9),
// the reward estimate shown beside the share slider, what unstaking does (R15), the parameters in
// force (R33), and how a position and a device's eligibility read in words (R5, R54). The program
// stays the judge: every transaction is simulated before the wallet is asked to sign, and
// eligibility, overflow, position states and slash allowances come from `device_status`.
import { type Config, type Params, PositionState } from '../generated';

/** Basis points in one. */
export const BPS = 10_000;

/**
 * The amounts an owner may request in an offer (R9), in base units; `null` when none: at least
 * what the owner lacks of the minimum and at least `minOfferBps` of the minimum, at most what
 * keeps co-stake within `maxCostakeBps` of the total.
 */
export function offerBounds(ownerStake: bigint, minRequired: bigint, maxCostakeBps: number, minOfferBps: number): { min: bigint; max: bigint } | null {
  // amount <= max_costake_bps * (owner_stake + amount)  <=>  amount <= owner_stake * bps / (BPS - bps)
  const max = maxCostakeBps >= BPS ? ownerStake * 1_000_000n : (ownerStake * BigInt(maxCostakeBps)) / BigInt(BPS - maxCostakeBps);
  // owner_stake + amount >= min_required; amount * BPS >= min_required * min_offer_bps; amount > 0
  const shortfall = minRequired - ownerStake;
  const smallest = (minRequired * BigInt(minOfferBps) + BigInt(BPS - 1)) / BigInt(BPS);
  const min = [shortfall, smallest, 1n].reduce((a, b) => (a > b ? a : b));
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

/** R33: the parameters in force at `now`: a proposal applies by time alone. */
export function paramsAt(config: Pick<Config, 'params' | 'pendingParams' | 'paramsEffectiveAt'>, now: number): Params {
  return config.paramsEffectiveAt !== 0n && BigInt(now) >= config.paramsEffectiveAt ? config.pendingParams : config.params;
}

/** A position of the device's table as the unstake preview needs it. */
export interface PositionForUnstake {
  /** The co-staker's wallet. */
  costaker: string;
  /** Principal after slashing. */
  principal: bigint;
  /** Where it stands now (device_status). */
  state: PositionState;
  /** Its recorded end of wait (unix seconds; 0 while filled). */
  waitEnd: number;
  /** Its recorded unlock (unix seconds; 0 while filled). */
  unlockAt: number;
}

/** What `unstake` will do to one position (R15). */
export interface UnstakedPosition extends PositionForUnstake {
  /** When it unlocks afterwards. */
  newUnlock: number;
  /** Whether it stops earning now (it was filled). */
  stopsEarning: boolean;
  /** Whether its running wait ends now (its principal stops counting). */
  waitCut: boolean;
}

/** What `unstake` will do (R15), for the confirmation a device owner reads before signing. */
export interface UnstakePreview {
  /** When the owner's ticket unlocks. */
  ticketUnlock: number;
  /** Each position of the table, as it will be. */
  positions: UnstakedPosition[];
}

/**
 * R15: the owner's ticket unlocks after the cooldown; the filled position stops earning and
 * unlocks with the ticket; every other position's wait ends now at the latest and it unlocks at
 * the earlier of its own unlock and the ticket's.
 */
export function unstakePreview(now: number, cooldownSecs: number, positions: PositionForUnstake[]): UnstakePreview {
  const ticketUnlock = now + cooldownSecs;
  return {
    ticketUnlock,
    positions: positions.map((p) => {
      const filled = p.state === PositionState.Filled;
      return {
        ...p,
        newUnlock: filled ? ticketUnlock : Math.min(p.unlockAt, ticketUnlock),
        stopsEarning: filled,
        waitCut: !filled && now < p.waitEnd,
      };
    }),
  };
}

/** `device_status`'s reasons for not earning (R5, R54), as the program numbers them. */
export const INELIGIBLE = { TERMINATED: 1, UNSTAKING: 2, NO_STAKE: 4, BELOW_MINIMUM: 8 } as const;

/**
 * Why a device does not earn, in words, for its owner or for a co-staker: every reason the
 * program gives, leaving out what follows from another (a terminated or unstaking device has
 * nothing counted; nothing counted is below any minimum). `shortBy` is the shortfall as text,
 * e.g. "200 IO". Empty when no flag is set.
 */
export function ineligibleReasons(flags: number, shortBy: string, viewer: 'owner' | 'costaker'): string[] {
  const reasons: string[] = [];
  if (flags & INELIGIBLE.TERMINATED) reasons.push('the device is terminated');
  if (flags & INELIGIBLE.UNSTAKING) reasons.push(viewer === 'owner' ? 'you are unstaking' : 'the owner is unstaking');
  if (reasons.length > 0) return reasons;
  if (flags & INELIGIBLE.NO_STAKE) return ['nothing is staked'];
  if (flags & INELIGIBLE.BELOW_MINIMUM) return [`counted stake is ${shortBy} short of the minimum`];
  return reasons;
}

/** How a co-staker's position reads: a label, its tone, and whether it earns now. */
export interface Standing {
  /** The badge's text. */
  label: string;
  /** The badge's colour. */
  tone: 'good' | 'bad' | 'warn' | 'info' | 'muted';
  /** Whether the position earns block rewards now. */
  earning: boolean;
}

/**
 * R5, R13, R15, R16: a position earns only while it is filled on an eligible device; once
 * stopped (its own cancel, or the owner's unstake: `withOwner`) it waits, cools down, then is
 * ripe for withdrawal or release.
 */
export function positionStanding(state: PositionState, deviceEligible: boolean, withOwner: boolean): Standing {
  switch (state) {
    case PositionState.Filled:
      return deviceEligible ? { label: 'Earning', tone: 'good', earning: true } : { label: 'Not earning', tone: 'bad', earning: false };
    case PositionState.Exiting:
      return { label: 'Cancelled: wait period', tone: 'warn', earning: false };
    case PositionState.Cooling:
      return withOwner ? { label: 'Unstaked with the owner', tone: 'muted', earning: false } : { label: 'In cooldown', tone: 'muted', earning: false };
    case PositionState.Ripe:
      return { label: 'Ready to withdraw', tone: 'good', earning: false };
  }
}
