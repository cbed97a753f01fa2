// The co-staker's page: the marketplace of open offers, and the wallet's positions as their
// devices' tables and device_status (R54) say: earning only when filled on an eligible device,
// the device's reasons when not, waits and unlocks, slash allowances, and released escrows.
import type { Address } from '@solana/kit';
import { useState } from 'react';
import { useBatch } from '../components/Batch';
import { PositionsHistory, useDailyEstimate } from '../components/History';
import { Badge, Section, Tokens, useTokenText } from '../components/bits';
import { useApp } from '../context';
import type { Device } from '../generated';
import { PositionState } from '../generated';
import { cancelCostakeIx, claimItems, claimRewardsIx, fillOfferIx, withSignerAccount, withdrawEscrowIx, withdrawPositionIx } from '../lib/actions';
import { formatBps, formatDuration, formatUtc, shortAddress, shortDeviceId } from '../lib/format';
import { type HeldPosition, type Holding, type OfferWithDevice, type ReleasedPosition, costakerHoldings, marketplace } from '../lib/load';
import { costakerDaily, ineligibleReasons, paramsAt, positionStanding, yearlyPercent } from '../lib/rules';
import { useLoad } from '../lib/useLoad';
import { PositionStateText } from './OwnerPage';

export function CostakerPage() {
  const { wallet } = useApp();
  return (
    <>
      {wallet && <Positions wallet={wallet as Address} />}
      {wallet && <PositionsHistory wallet={wallet as Address} />}
      <Marketplace />
    </>
  );
}

/** "8 GPUs · 10×" */
function hardware(d: Device): string {
  return `${d.gpuCount} GPU${d.gpuCount === 1 ? '' : 's'} · ${Math.max(10_000, d.multiplierBps) / 10_000}×`;
}

/** The co-staker's estimated rewards a day for an offer from the device's daily rewards (null without history). */
function estimate(o: OfferWithDevice, daily: bigint | null): bigint | null {
  return daily !== null && daily > 0n ? costakerDaily(daily, o.offer.data.rewardShareBps) : null;
}

/** An offer's estimated reward: the device's 7-day average from the history API when it runs, else from the RPC. */
function EstimateCell({ o }: { o: OfferWithDevice }) {
  const e = estimate(o, useDailyEstimate(o.device.address, o.daily));
  return e !== null ? (
    <>
      <Tokens amount={e} /> / day <span className="muted">({yearlyPercent(e, o.offer.data.amount).toFixed(1)}% a year)</span>
    </>
  ) : (
    <span className="muted">no rewards in 7 days</span>
  );
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
              const own = wallet === o.device.data.owner;
              return (
                <tr key={o.offer.address} data-testid="market-offer" data-offer={o.offer.address} className={chosen === o.offer.address ? 'chosen' : undefined}>
                  <td>
                    <code>{shortDeviceId(o.device.data.deviceId)}</code>
                  </td>
                  <td>{hardware(o.device.data)}</td>
                  <td>
                    <Tokens amount={o.offer.data.amount} />
                  </td>
                  <td>{formatBps(o.offer.data.rewardShareBps)}</td>
                  <td>
                    <EstimateCell o={o} />
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
  const { config, now, run, busy } = useApp();
  const tokenText = useTokenText();
  const p = paramsAt(config, now);
  const o = offer.offer.data;
  const name = shortDeviceId(offer.device.data.deviceId);
  const shown = tokenText(o.amount);
  const e = estimate(offer, useDailyEstimate(offer.device.address, offer.daily));
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
          ; the terms are fixed once you fill. You earn only while the device meets its minimum and you have not cancelled.
        </li>
        <li>
          To leave, cancel at any time: your stake keeps counting for {formatDuration(Number(p.coverWindowSecs))} (earning nothing), then cools down for {formatDuration(Number(p.cooldownSecs))} before you withdraw it with any unclaimed rewards.
        </li>
        <li>If the owner unstakes, you are unstaked with them and can withdraw after the cooldown.</li>
        <li className="muted">A slash can take at most {formatBps(p.maxSlashBpsPer30d)} of your stake in any 30 days; your exit is never held.</li>
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
  const { rpc, refreshKey, now, config } = useApp();
  const { data, error, loading } = useLoad(() => costakerHoldings(rpc, config, wallet, now), [wallet, refreshKey]);
  const holdings = data ?? [];
  return (
    <Section id="positions-title" title="My positions" loading={loading && !data} error={error} what="your positions">
      {data && holdings.length === 0 && <div className="panel muted">You hold no co-stake positions. Fill an offer below.</div>}
      <ClaimEverything holdings={holdings} />
      {holdings.length > 0 && (
        <table className="positions">
          <thead>
            <tr>
              <th>Device</th>
              <th>Stake</th>
              <th>Share</th>
              <th>State</th>
              <th>Unclaimed rewards</th>
              <th>Slashable now</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {holdings.map((h) => (h.kind === 'position' ? <PositionRow key={h.offer.address} held={h} /> : <EscrowRow key={h.offer.address} released={h} />))}
          </tbody>
        </table>
      )}
      {holdings.some((h) => h.kind === 'position' && h.status.state !== PositionState.Filled && now < Number(h.status.unlockAt)) && (
        <p className="muted small-text">Countdowns follow the cluster’s clock, now {formatUtc(now)}.</p>
      )}
    </Section>
  );
}

/** Claims every position's unclaimed rewards (R12) in as few transactions as fit. */
function ClaimEverything({ holdings }: { holdings: Holding[] }) {
  const { config, busy } = useApp();
  const tokenText = useTokenText();
  const { start, outcome } = useBatch();
  const claimable = holdings.flatMap((h) =>
    h.kind === 'position' && h.status.rewards > 0n ? [{ device: h.device, seq: h.position.seq, label: shortDeviceId(h.device.data.deviceId), rewards: h.status.rewards }] : [],
  );
  if (claimable.length < 2 && !outcome) return null;
  const total = claimable.reduce((a, c) => a + c.rewards, 0n);
  return (
    <div className="panel owner-tool" data-testid="claim-everything">
      <button
        className="secondary"
        disabled={busy || claimable.length === 0}
        onClick={() =>
          start({
            title: 'Claim every position',
            label: `Claim ${tokenText(total)} from ${claimable.length} positions`,
            done: `Claimed ${tokenText(total)}`,
            count: claimable.length,
            noun: 'position',
            pays: true,
            items: (signer) => claimItems(signer, config, claimable),
          })
        }
      >
        Claim every position ({claimable.length}, <Tokens amount={total} />)
      </button>
      {outcome && <p data-testid="batch-outcome">{outcome}</p>}
    </div>
  );
}

/** One position of the wallet, as its device's table and device_status say. */
function PositionRow({ held }: { held: HeldPosition }) {
  const { rpc, config, now, run, busy } = useApp();
  const tokenText = useTokenText();
  const { position, status, deviceStatus, device, offer } = held;
  const d = device.data;
  const name = shortDeviceId(d.deviceId);
  const withOwner = d.unstakedAt !== 0n && position.stoppedAt === d.unstakedAt;
  const standing = positionStanding(status.state, deviceStatus.eligible, withOwner);
  const shortBy = deviceStatus.minInForce > deviceStatus.countedStake ? deviceStatus.minInForce - deviceStatus.countedStake : 0n;
  const reasons = ineligibleReasons(deviceStatus.ineligibleReasons, tokenText(shortBy), 'costaker');
  const ripe = status.state === PositionState.Ripe;
  const total = tokenText(status.principal + status.rewards);
  return (
    <tr data-testid="position" data-offer={offer.address}>
      <td>
        <code>{name}</code>
        <div className="muted small-text">{hardware(d)}</div>
      </td>
      <td>
        <Tokens amount={status.principal} />
      </td>
      <td>{formatBps(status.rewardShareBps)}</td>
      <td>
        {status.state === PositionState.Filled ? (
          <>
            <Badge tone={standing.tone}>{standing.label}</Badge>{' '}
            {standing.earning ? (
              <span className="muted">since {formatUtc(Number(position.filledAt))}</span>
            ) : (
              <span className="why-inline" data-testid="position-ineligible">
                the device {reasons.length > 0 ? `does not earn: ${reasons.join(' and ')}` : 'does not earn now'}
              </span>
            )}
          </>
        ) : (
          <PositionStateText state={status.state} waitEnd={Number(status.waitEnd)} unlockAt={Number(status.unlockAt)} eligible={deviceStatus.eligible} withOwner={withOwner} viewer="costaker" />
        )}
        {deviceStatus.held && (
          <div className="muted small-text" data-testid="position-hold">
            The device is on hold until {formatUtc(Number(deviceStatus.holdUntil))}; your exit is not held.
          </div>
        )}
      </td>
      <td>
        <Tokens amount={status.rewards} />
      </td>
      <td>
        <Tokens amount={status.slashAllowance} />
      </td>
      <td>
        <div className="row-actions">
          {status.rewards > 0n && !ripe && (
            <button
              className="small secondary"
              disabled={busy}
              onClick={() =>
                run({ label: `Claim rewards from device ${name}`, build: async (signer) => withSignerAccount(rpc, signer, config, [await claimRewardsIx(signer, config, device, position.seq)]), done: `Claimed ${tokenText(status.rewards)}` })
              }
            >
              Claim
            </button>
          )}
          {status.state === PositionState.Filled && (
            <button
              className="small danger-outline"
              disabled={busy}
              onClick={() =>
                run({
                  label: `Cancel the co-stake on device ${name}`,
                  build: async (signer) => [await cancelCostakeIx(signer, device.address, position.seq)],
                  done: `Cancelled: your stake counts for ${formatDuration(Number(paramsAt(config, now).coverWindowSecs))} more, then unlocks after the cooldown`,
                })
              }
            >
              Cancel
            </button>
          )}
          {status.state !== PositionState.Filled && (
            <button
              className="small"
              disabled={busy || !ripe}
              title={ripe ? undefined : `Unlocks ${formatUtc(Number(status.unlockAt))}`}
              onClick={() =>
                run({ label: `Withdraw ${total} from device ${name}`, build: async (signer) => withSignerAccount(rpc, signer, config, [await withdrawPositionIx(signer, config, device, offer)]), done: `Withdrew ${total} to your wallet` })
              }
            >
              Withdraw
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

/** A released position: its tokens wait in its escrow for the wallet (R16). */
function EscrowRow({ released }: { released: ReleasedPosition }) {
  const { rpc, config, run, busy } = useApp();
  const tokenText = useTokenText();
  const { offer, amount, device } = released;
  const name = device ? shortDeviceId(device.data.deviceId) : shortAddress(offer.data.device);
  return (
    <tr data-testid="position" data-offer={offer.address}>
      <td>
        <code>{name}</code>
        {device && <div className="muted small-text">{hardware(device.data)}</div>}
      </td>
      <td>
        <Tokens amount={amount} />
      </td>
      <td>{formatBps(offer.data.rewardShareBps)}</td>
      <td>
        <Badge tone="good">Released to escrow</Badge> <span className="muted">stake and rewards wait for you</span>
      </td>
      <td>
        <span className="muted">included</span>
      </td>
      <td>
        <Tokens amount={0n} />
      </td>
      <td>
        <div className="row-actions">
          <button
            className="small"
            disabled={busy || amount === 0n}
            onClick={() =>
              run({ label: `Withdraw ${tokenText(amount)} from the escrow of device ${name}`, build: async (signer) => withSignerAccount(rpc, signer, config, [await withdrawEscrowIx(signer, config, offer)]), done: `Withdrew ${tokenText(amount)} to your wallet` })
            }
          >
            Withdraw
          </button>
        </div>
      </td>
    </tr>
  );
}
