// Announced config changes (R31-R34): role grants waiting for acceptance or for their time, and a
// proposed parameter set, in words, with the time each takes effect. Read from the Config account.
import type { Address } from '@solana/kit';
import type { Config, Params, RoleSlot } from '../generated';
import { formatBps, formatDuration } from './format';
import { paramsAt } from './rules';

/** The address of "none": a revoked role, or no proposal. */
export const NO_KEY = '11111111111111111111111111111111' as Address;

/** The config's roles, in the order people read them. */
export const ROLES = [
  ['admin', 'Admin'],
  ['oracle', 'Oracle'],
  ['rewardAuthority', 'Reward authority'],
  ['slashAuthority', 'Slash authority'],
  ['treasury', 'Treasury'],
] as const satisfies ReadonlyArray<readonly [keyof Config, string]>;

/** An announced change that has not taken effect yet. */
export interface PendingChange {
  /** What changes: a role's name, or "Parameters". */
  subject: string;
  /** For a role: the proposed key. */
  key: Address | null;
  /** For parameters: each change as "cooldown 30 s → 1 min". */
  details: string[];
  /** The earliest time it takes effect (unix seconds, R34). */
  effectiveAt: number;
  /** For a role: whether the proposed key accepted (it takes effect only then); null for parameters. */
  accepted: boolean | null;
}

/** A role slot as these rules read it: `accepted` is the stored byte (1 once accepted, else 0). */
export type SlotView = Pick<RoleSlot, 'current' | 'pending' | 'effectiveAt' | 'accepted'>;

/** R31, R34: whether a role slot's proposal is still pending at `now` (not yet in force). */
export function rolePending(slot: SlotView, now: number): boolean {
  if (slot.effectiveAt === 0n) return false;
  return !(slot.accepted !== 0 && BigInt(now) >= slot.effectiveAt);
}

/** R31: the key holding a role at `now` (NO_KEY when revoked). */
export function roleKeyAt(slot: SlotView, now: number): Address {
  return slot.effectiveAt !== 0n && slot.accepted !== 0 && BigInt(now) >= slot.effectiveAt ? slot.pending : slot.current;
}

/** One parameter: its name for people and how its value reads. */
type ParamFormat = [keyof Params, string, (value: bigint | number, tokens: (amount: bigint) => string) => string];

/** Every parameter of the config, with how it reads. */
const PARAMS: ParamFormat[] = [
  ['baseStakePerGpu', 'minimum stake per GPU', (v, tokens) => tokens(BigInt(v))],
  ['coverWindowSecs', 'co-staker’s wait', (v) => formatDuration(Number(v))],
  ['cooldownSecs', 'cooldown', (v) => formatDuration(Number(v))],
  ['maxCostakeBps', 'co-stake cap', (v) => formatBps(Number(v))],
  ['maxActiveCostakes', 'positions per co-staker', (v) => String(v)],
  ['maxRewardShareBps', 'highest reward share', (v) => formatBps(Number(v))],
  ['minOfferBps', 'smallest offer (of the minimum)', (v) => formatBps(Number(v))],
  ['maxSlashBpsPer30d', 'slash cap per 30 days', (v) => formatBps(Number(v))],
  ['maxHoldSecs', 'longest hold', (v) => formatDuration(Number(v))],
  ['roleChangeDelaySecs', 'role change delay', (v) => formatDuration(Number(v))],
];

/** What differs between two parameter sets, as "cooldown 30 s → 1 min". */
export function paramChanges(from: Params, to: Params, tokens: (amount: bigint) => string): string[] {
  return PARAMS.filter(([field]) => from[field] !== to[field]).map(([field, name, show]) => `${name} ${show(from[field], tokens)} → ${show(to[field], tokens)}`);
}

/**
 * R31-R34: the role grants and the parameter set announced and not yet in force at `now`. A
 * grant takes effect at the later of its acceptance and its time; parameters by time alone.
 */
export function pendingChanges(config: Config, now: number, tokens: (amount: bigint) => string): PendingChange[] {
  const changes: PendingChange[] = [];
  for (const [field, subject] of ROLES) {
    const slot = config[field] as RoleSlot;
    if (rolePending(slot, now)) {
      changes.push({ subject, key: slot.pending, details: [], effectiveAt: Number(slot.effectiveAt), accepted: slot.accepted !== 0 });
    }
  }
  if (config.paramsEffectiveAt !== 0n && BigInt(now) < config.paramsEffectiveAt) {
    const details = paramChanges(paramsAt(config, now), config.pendingParams, tokens);
    changes.push({
      subject: 'Parameters',
      key: null,
      details: details.length > 0 ? details : ['the same values as now (no change)'],
      effectiveAt: Number(config.paramsEffectiveAt),
      accepted: null,
    });
  }
  return changes;
}

/** R34: the roles revoked at `now` (held by nobody), by name. */
export function revokedRoles(config: Config, now: number): string[] {
  return ROLES.filter(([field]) => roleKeyAt(config[field] as RoleSlot, now) === NO_KEY).map(([, subject]) => subject);
}
