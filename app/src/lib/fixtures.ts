// Accounts for the unit tests, made through the generated codecs (so they have the program's
// layout): a config with the protocol's defaults and a device with chosen table slots.
import { type Address, address } from '@solana/kit';
import {
  type Config,
  type ConfigArgs,
  type Device,
  type ParamsArgs,
  type PositionArgs,
  type RoleSlotArgs,
  type StoredParamsArgs,
  getConfigDecoder,
  getConfigEncoder,
  getDeviceDecoder,
  getDeviceEncoder,
} from '../generated';
import { NO_KEY } from './changes';

/** A few distinct addresses. */
export const KEYS = {
  admin: address('G7quQ8GBtANoLHwYp9zrvfrma1Sj7eXaNuqrJXc2cgF6'),
  oracle: address('3agfdfoF5Rzdg4Eustk5noeXe9dPReY1K96BdVzj3r2k'),
  other: address('Cwc5d6dFVPJ7twW2ySKFB2SW3XNFybZbBA5ksb1Rka6e'),
  costaker: address('ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL'),
};

/** The protocol's default parameters for a mint of 6 decimals. */
export const DEFAULT_PARAMS: ParamsArgs = {
  baseStakePerGpu: 200_000_000n,
  coverWindowSecs: 604_800n,
  cooldownSecs: 1_209_600n,
  maxCostakeBps: 5_000,
  maxActiveCostakes: 2,
  maxRewardShareBps: 10_000,
  minOfferBps: 100,
  maxSlashBpsPer30d: 5_000,
  maxHoldSecs: 604_800n,
  roleChangeDelaySecs: 604_800n,
};

/** A role slot holding `current` with nothing proposed; `accepted` as a flag (stored as 1 or 0). */
export function slot(current: Address, pending: Partial<Omit<RoleSlotArgs, 'accepted' | 'pad'>> & { accepted?: boolean } = {}): RoleSlotArgs {
  const { accepted = false, ...rest } = pending;
  return { current, pending: NO_KEY, effectiveAt: 0n, ...rest, accepted: accepted ? 1 : 0, pad: new Uint8Array(7) };
}

/** Parameters in the config's stored form (the same fields and zero padding). */
export function stored(params: ParamsArgs): StoredParamsArgs {
  return { ...params, pad: new Uint8Array(7) };
}

/** What a test may change in the config fixture: the parameters as plain `Params`. */
type ConfigOverrides = Partial<Omit<ConfigArgs, 'params' | 'pendingParams'>> & { params?: ParamsArgs; pendingParams?: ParamsArgs };

/** A decoded config with the default parameters and every role held, changed by `overrides`. */
export function configFixture(overrides: ConfigOverrides = {}): Config {
  const { params = DEFAULT_PARAMS, pendingParams = DEFAULT_PARAMS, ...rest } = overrides;
  const bytes = getConfigEncoder().encode({
    admin: slot(KEYS.admin),
    oracle: slot(KEYS.oracle),
    rewardAuthority: slot(KEYS.other),
    slashAuthority: slot(KEYS.other),
    treasury: slot(KEYS.other),
    oracleRevokedAt: 0n,
    slashRevokedAt: 0n,
    mint: KEYS.other,
    tokenProgram: KEYS.other,
    mintDecimals: 6,
    floors: { coverWindowSecs: 1n, cooldownSecs: 1n, roleChangeDelaySecs: 0n },
    params: stored(params),
    pendingParams: stored(pendingParams),
    paramsEffectiveAt: 0n,
    paused: 0,
    bump: 255,
    payer: KEYS.admin,
    pad: new Uint8Array(5),
    reserved: new Uint8Array(64),
    ...rest,
  });
  return getConfigDecoder().decode(bytes);
}

/** A free slot of a device's position table. */
export const FREE: PositionArgs = {
  seq: 0n,
  costaker: NO_KEY,
  principal: 0n,
  rewards: 0n,
  rewardShareBps: 0,
  pad: new Uint8Array(6),
  filledAt: 0n,
  stoppedAt: 0n,
  waitEnd: 0n,
  unlockAt: 0n,
  slashes: [
    { at: 0n, amount: 0n },
    { at: 0n, amount: 0n },
  ],
};

/** A decoded device whose table holds `slots` (slot index -> position), the rest free. */
export function deviceFixture(slots: Record<number, Partial<PositionArgs>>, overrides: Partial<Parameters<ReturnType<typeof getDeviceEncoder>['encode']>[0]> = {}): Device {
  const record = { at: 0n, amount: 0n };
  const bytes = getDeviceEncoder().encode({
    deviceId: new Uint8Array(32),
    owner: KEYS.admin,
    payer: KEYS.admin,
    bump: 255,
    hasOpenOffer: 0,
    pad0: new Uint8Array(6),
    stakeVault: KEYS.other,
    overflowVault: KEYS.other,
    registeredAt: 1n,
    gpuCount: 1,
    pad1: new Uint8Array(2),
    multiplierBps: 10_000,
    graceMin: 0n,
    graceEnd: 0n,
    ownerStake: 0n,
    ownerRewards: 0n,
    hiredUntil: 0n,
    hiredSetAt: 0n,
    terminatedAt: 0n,
    unstakedAt: 0n,
    ticketSeq: 0n,
    ticketPrincipal: 0n,
    ticketUnlockAt: 0n,
    openOfferSeq: 0n,
    positions: Array.from({ length: 8 }, (_, i) => ({ ...FREE, ...(slots[i] ?? {}) })),
    departed: Array.from({ length: 4 }, () => ({ seq: 0n, rewardShareBps: 0, pad: new Uint8Array(6), filledAt: 0n, stoppedAt: 0n })),
    nextOfferSeq: 0n,
    nextTicketSeq: 0n,
    lastPaidEnd: 0n,
    holdUntil: 0n,
    holdIncidentStart: 0n,
    holdReach: 0n,
    ownerSlashes: Array.from({ length: 4 }, () => record),
    pendingOwner: NO_KEY,
    transferExpiresAt: 0n,
    reserved: new Uint8Array(56),
    ...overrides,
  });
  return getDeviceDecoder().decode(bytes);
}
