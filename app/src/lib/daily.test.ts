import { describe, expect, it } from 'vitest';
import type { AppRpc } from './chain';
import { deviceFixture, KEYS } from './fixtures';
import { dailyRewards } from './load';

/** The unix time the estimates are made at. */
const NOW = 1_800_000_000;

/** An RPC that counts its calls: the device's overflow vault received 7,000 a day ago. */
function countingRpc() {
  const calls: string[] = [];
  const rpc = new Proxy(
    {
      getSignaturesForAddress: () => ({ send: async () => [{ signature: 'sig', err: null, blockTime: BigInt(NOW - 86_400) }] }),
      getTransaction: () => ({
        send: async () => ({
          transaction: { message: { accountKeys: [KEYS.admin, KEYS.other] } },
          meta: {
            loadedAddresses: { writable: [], readonly: [] },
            preTokenBalances: [{ accountIndex: 1, uiTokenAmount: { amount: '1000' } }],
            postTokenBalances: [{ accountIndex: 1, uiTokenAmount: { amount: '8000' } }],
          },
        }),
      }),
    },
    {
      get(target, method: string) {
        calls.push(method);
        const found = (target as Record<string, unknown>)[method];
        if (!found) throw new Error(`unexpected RPC call ${method}`);
        return found;
      },
    },
  ) as unknown as AppRpc;
  return { rpc, calls };
}

describe('dailyRewards', () => {
  it('asks the RPC nothing when the history API runs (the pages take the estimate from the API)', async () => {
    const { rpc, calls } = countingRpc();
    const device = deviceFixture({});
    expect(await dailyRewards(rpc, device, NOW, async () => true)).toBeNull();
    expect(calls).toEqual([]);
  });

  it('falls back to the RPC receipts when the API is absent', async () => {
    const { rpc, calls } = countingRpc();
    const device = deviceFixture({});
    expect(await dailyRewards(rpc, device, NOW, async () => false)).toBe(1_000n);
    expect(calls).toEqual(['getSignaturesForAddress', 'getTransaction']);
  });
});
