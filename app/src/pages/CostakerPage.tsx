// The co-staker's page: the marketplace of open offers and the wallet's positions.
import type { Address } from '@solana/kit';
import { useState } from 'react';
import { Badge, Section, Tokens, useTokenText } from '../components/bits';
import { useApp } from '../context';
import { OfferState } from '../generated';
import { cancelCostakeIx, claimRewardsIx, fillOfferIx, withdrawPositionIx } from '../lib/actions';
import { formatBps, formatDuration, formatUtc, shortDeviceId } from '../lib/format';
import { type OfferWithDevice, costakerPositions, marketplace } from '../lib/load';
import { costakerDaily, yearlyPercent } from '../lib/rules';
import { useLoad } from '../lib/useLoad';
import { OfferStateText } from './OwnerPage';

export function CostakerPage() {
  const { wallet } = useApp();
  return (
    <>
      {wallet && <Positions wallet={wallet as Address} />}
      <Marketplace />
    </>
  );
}

/** "8 GPUs · 10×" */
function hardware(o: OfferWithDevice): string {
  const d = o.device.data;
  return `${d.gpuCount} GPU${d.gpuCount === 1 ? '' : 's'} · ${Math.max(10_000, d.multiplierBps) / 10_000}×`;
}

/** The co-staker's estimated rewards a day for an offer (null without history). */
function estimate(o: OfferWithDevice): bigint | null {
  return o.daily !== null && o.daily > 0n ? costakerDaily(o.daily, o.offer.data.rewardShareBps) : null;
}

function Marketplace() {
  const { rpc, refreshKey, now, wallet } = useApp();
  const { data, error, loading } = useLoad(() => marketplace(rpc, now), [refreshKey]);
  const [chosen, setChosen] = useState<string | null>(null);
  const offers = data ?? [];
  return (
    <Section id="market-title" title="Co-staking marketplace" loading={loading && !data} error={error} what="the offers">
      <p className="muted lead">
        Put up part of a device’s stake and earn the offered share of its block rewards. You can cancel at any time: your stake keeps counting for a wait period (earning nothing), then cools down before you withdraw it.
      </p>
      {data && offers.length === 0 && <div className="panel">No open offers right now.</div>}
      {offers.length > 0 && (
        <table className="market">
          <thead>
            <tr>
              <th>Device</th>
              <th>Hardware</th>
              <th>Requested</th>
              <th>Reward share</th>
              <th>Estimated reward</th>
              <th>Listed</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {offers.map((o) => {
              const e = estimate(o);
              const own = wallet === o.device.data.owner;
              return (
                <tr key={o.offer.address} data-testid="market-offer" data-offer={o.offer.address} className={chosen === o.offer.address ? 'chosen' : undefined}>
                  <td>
                    <code>{shortDeviceId(o.device.data.deviceId)}</code>
                  </td>
                  <td>{hardware(o)}</td>
                  <td>
                    <Tokens amount={o.offer.data.amount} />
                  </td>
                  <td>{formatBps(o.offer.data.rewardShareBps)}</td>
                  <td>
                    {e !== null ? (
                      <>
                        <Tokens amount={e} /> / day <span className="muted">({yearlyPercent(e, o.offer.data.amount).toFixed(1)}% a year)</span>
                      </>
                    ) : (
                      <span className="muted">no rewards in 7 days</span>
                    )}
                  </td>
                  <td className="muted">{formatDuration(now - Number(o.offer.data.createdAt))} ago</td>
                  <td>
                    {own ? (
                      <span className="muted">your device</span>
                    ) : (
                      <button className="small" disabled={!wallet} onClick={() => setChosen(chosen === o.offer.address ? null : o.offer.address)}>
                        Fill
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {offers
        .filter((o) => o.offer.address === chosen)
        .map((o) => (
          <FillConfirm key={o.offer.address} offer={o} onDone={() => setChosen(null)} />
        ))}
    </Section>
  );
}

function FillConfirm({ offer, onDone }: { offer: OfferWithDevice; onDone: () => void }) {
  const { config, run, busy } = useApp();
  const tokenText = useTokenText();
  const p = config.params;
  const o = offer.offer.data;
  const name = shortDeviceId(offer.device.data.deviceId);
  const shown = tokenText(o.amount);
  const e = estimate(offer);
  return (
    <div className="form confirm" data-testid="fill-confirm">
      <h3>
        Co-stake {shown} on device {name}?
      </h3>
      <ul>
        <li>
          Exactly <Tokens amount={o.amount} /> moves from your wallet into the device’s stake vault.
        </li>
        <li>
          You earn <strong>{formatBps(o.rewardShareBps)}</strong> of the device’s block rewards
          {e !== null ? (
            <>
              {' '}
              (about <Tokens amount={e} /> a day at its 7-day average)
            </>
          ) : null}
          ; the terms are fixed once you fill.
        </li>
        <li>
          To leave, cancel at any time: your stake keeps counting for {formatDuration(Number(p.coverWindowSecs))} (earning nothing), then cools down for {formatDuration(Number(p.cooldownSecs))} before you withdraw it with any unclaimed rewards.
        </li>
        <li>If the owner unstakes, you are unstaked with them and can withdraw after the cooldown.</li>
        <li className="muted">Slashing can reduce rewards and stake, yours included.</li>
      </ul>
      <div className="confirm-buttons">
        <button className="secondary" onClick={onDone}>
          Not now
        </button>
        <button
          disabled={busy}
          onClick={async () => {
            if (await run({ label: `Fill the offer on device ${name}`, build: async (signer) => [await fillOfferIx(signer, config, offer.device, offer.offer)], done: `You co-stake ${shown} on device ${name} at ${formatBps(o.rewardShareBps)}` }))
              onDone();
          }}
        >
          Fill offer
        </button>
      </div>
    </div>
  );
}

function Positions({ wallet }: { wallet: Address }) {
  const { rpc, refreshKey, now, config, run, busy } = useApp();
  const tokenText = useTokenText();
  const { data, error, loading } = useLoad(() => costakerPositions(rpc, wallet, now), [wallet, refreshKey]);
  const positions = data ?? [];
  return (
    <Section id="positions-title" title="My positions" loading={loading && !data} error={error} what="your positions">
      {data && positions.length === 0 && <div className="panel muted">You hold no co-stake positions. Fill an offer below.</div>}
      {positions.length > 0 && (
        <table className="positions">
          <thead>
            <tr>
              <th>Device</th>
              <th>Stake</th>
              <th>Share</th>
              <th>State</th>
              <th>Unclaimed rewards</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {positions.map((p) => {
              const o = p.offer.data;
              const name = shortDeviceId(p.device.data.deviceId);
              const ripe = (o.state === OfferState.Exiting || o.state === OfferState.Cooling) && now >= Number(o.unlockAt);
              const total = tokenText(o.principal + o.rewards);
              return (
                <tr key={p.offer.address} data-testid="position" data-offer={p.offer.address}>
                  <td>
                    <code>{name}</code>
                    <div className="muted small-text">{hardware(p)}</div>
                  </td>
                  <td>
                    <Tokens amount={o.principal} />
                  </td>
                  <td>{formatBps(o.rewardShareBps)}</td>
                  <td>
                    {o.state === OfferState.Filled ? (
                      <>
                        <Badge tone="good">Earning</Badge> <span className="muted">since {formatUtc(Number(o.filledAt))}</span>
                      </>
                    ) : (
                      <OfferStateText state={o.state} waitEnd={Number(o.waitEnd)} unlockAt={Number(o.unlockAt)} />
                    )}
                  </td>
                  <td>
                    <Tokens amount={o.rewards} />
                  </td>
                  <td>
                    <div className="row-actions">
                    {o.rewards > 0n && !ripe && (
                      <button
                        className="small secondary"
                        disabled={busy}
                        onClick={() =>
                          run({ label: `Claim rewards from device ${name}`, build: async (signer) => [await claimRewardsIx(signer, config, p.device, p.offer)], done: `Claimed ${tokenText(o.rewards)}` })
                        }
                      >
                        Claim
                      </button>
                    )}
                    {o.state === OfferState.Filled && (
                      <button
                        className="small danger-outline"
                        disabled={busy}
                        onClick={() =>
                          run({
                            label: `Cancel the co-stake on device ${name}`,
                            build: async (signer) => [await cancelCostakeIx(signer, p.offer)],
                            done: `Cancelled: your stake counts for ${formatDuration(Number(config.params.coverWindowSecs))} more, then unlocks after the cooldown`,
                          })
                        }
                      >
                        Cancel
                      </button>
                    )}
                    {(o.state === OfferState.Exiting || o.state === OfferState.Cooling) && (
                      <button
                        className="small"
                        disabled={busy || !ripe}
                        title={ripe ? undefined : `Unlocks ${formatUtc(Number(o.unlockAt))}`}
                        onClick={() =>
                          run({ label: `Withdraw ${total} from device ${name}`, build: async (signer) => [await withdrawPositionIx(signer, config, p.device, p.offer)], done: `Withdrew ${total} to your wallet` })
                        }
                      >
                        Withdraw
                      </button>
                    )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {positions.some((p) => p.offer.data.state !== OfferState.Filled && now < Number(p.offer.data.unlockAt)) && (
        <p className="muted small-text">Countdowns follow the cluster’s clock, now {formatUtc(now)}.</p>
      )}
    </Section>
  );
}
