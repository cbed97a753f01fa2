import { describe, expect, it } from 'vitest';
import { NO_KEY, paramChanges, pendingChanges, revokedRoles, roleKeyAt, rolePending } from './changes';
import { DEFAULT_PARAMS, KEYS, configFixture, slot } from './fixtures';
import { formatTokens } from './format';

const tokens = (amount: bigint) => `${formatTokens(amount, 6)} IO`;

describe('role changes (R31, R34)', () => {
  it('a grant is pending until it is accepted and its time has come', () => {
    const proposed = { current: KEYS.oracle, pending: KEYS.other, effectiveAt: 1_000n, accepted: 0 };
    expect(rolePending(proposed, 2_000)).toBe(true);
    expect(roleKeyAt(proposed, 2_000)).toBe(KEYS.oracle);
    const accepted = { ...proposed, accepted: 1 };
    expect(rolePending(accepted, 999)).toBe(true);
    expect(roleKeyAt(accepted, 999)).toBe(KEYS.oracle);
    expect(rolePending(accepted, 1_000)).toBe(false);
    expect(roleKeyAt(accepted, 1_000)).toBe(KEYS.other);
    expect(rolePending({ ...proposed, effectiveAt: 0n }, 0)).toBe(false);
  });
  it('lists pending grants with their time and acceptance', () => {
    const config = configFixture({
      oracle: slot(KEYS.oracle, { pending: KEYS.other, effectiveAt: 5_000n, accepted: false }),
      treasury: slot(KEYS.other, { pending: KEYS.costaker, effectiveAt: 4_000n, accepted: true }),
      // in force already: not pending
      admin: slot(KEYS.admin, { pending: KEYS.other, effectiveAt: 100n, accepted: true }),
    });
    expect(pendingChanges(config, 1_000, tokens)).toEqual([
      { subject: 'Oracle', key: KEYS.other, details: [], effectiveAt: 5_000, accepted: false },
      { subject: 'Treasury', key: KEYS.costaker, details: [], effectiveAt: 4_000, accepted: true },
    ]);
    expect(pendingChanges(config, 4_000, tokens).map((c) => c.subject)).toEqual(['Oracle']);
  });
  it('names revoked roles (held by nobody)', () => {
    const config = configFixture({ slashAuthority: slot(NO_KEY), oracle: slot(NO_KEY) });
    expect(revokedRoles(config, 0)).toEqual(['Oracle', 'Slash authority']);
    expect(revokedRoles(configFixture(), 0)).toEqual([]);
  });
});

describe('parameter changes (R33, R34)', () => {
  it('describes what differs, in people’s units', () => {
    const to = { ...DEFAULT_PARAMS, cooldownSecs: 2_592_000n, maxSlashBpsPer30d: 2_500, baseStakePerGpu: 250_000_000n };
    const config = configFixture();
    expect(paramChanges(config.params, configFixture({ params: to }).params, tokens)).toEqual([
      'minimum stake per GPU 200 IO → 250 IO',
      'cooldown 14 d → 30 d',
      'slash cap per 30 days 50% → 25%',
    ]);
  });
  it('is pending until its time, then in force', () => {
    const config = configFixture({ pendingParams: { ...DEFAULT_PARAMS, coverWindowSecs: 86_400n }, paramsEffectiveAt: 9_000n });
    expect(pendingChanges(config, 8_999, tokens)).toEqual([
      { subject: 'Parameters', key: null, details: ['co-staker’s wait 7 d → 1 d'], effectiveAt: 9_000, accepted: null },
    ]);
    expect(pendingChanges(config, 9_000, tokens)).toEqual([]);
  });
  it('says so when the same values are proposed', () => {
    const config = configFixture({ paramsEffectiveAt: 9_000n });
    expect(pendingChanges(config, 0, tokens)[0]?.details).toEqual(['the same values as now (no change)']);
  });
});
