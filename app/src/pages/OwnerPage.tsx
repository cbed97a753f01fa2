// The device owner's page: each device with its minimum, counted stake, eligibility, overflow,
// co-staking and ticket, and the owner's actions.
import type { Address } from '@solana/kit';
import { useState } from 'react';
import { AmountField, Badge, Countdown, Section, Stat, Tokens, useAmountField, useTokenText } from '../components/bits';
import { useApp } from '../context';
import { OfferState } from '../generated';
import { createOfferIx, retractOfferIx, stakeIx, unstakeIx, withdrawOverflowIx, withdrawTicketIx } from '../lib/actions';
import { formatBps, formatDuration, formatTokens, formatUtc, shortAddress, shortDeviceId } from '../lib/format';
import { type DeviceBundle, ownerDevices } from '../lib/load';
import { costakerDaily, ineligibleReason, offerBounds, unstakePreview, yearlyPercent } from '../lib/rules';
import { useLoad } from '../lib/useLoad';

export function OwnerPage() {
  const { rpc, config, wallet, refreshKey, now } = useApp();
  // reloads follow transactions (refreshKey), not the clock's ticks
  const { data, error, loading } = useLoad(
    () => (wallet ? ownerDevices(rpc, config, wallet as Address, now) : Promise.resolve([])),
    [wallet, refreshKey],
  );
  if (!wallet) return null;
  return (
    <Section id="owner-title" title="My devices" loading={loading && !data} error={error} what="your devices">
      {data && data.length === 0 && (
        <div className="panel">No device is registered to this wallet. Devices are registered by the network when you connect a GPU; then they appear here.</div>
      )}
      {data?.map((bundle) => <DeviceCard key={bundle.device.address} bundle={bundle} />)}
    </Section>
  );
}

type Panel = 'stake' | 'offer' | 'overflow' | 'unstake' | null;

function DeviceCard({ bundle }: { bundle: DeviceBundle }) {
  const { config, now, busy, run } = useApp();
  const tokenText = useTokenText();
  const { device, status, ticket, offers } = bundle;
  const d = device.data;
  const [panel, setPanel] = useState<Panel>(null);
  const name = shortDeviceId(d.deviceId);
  const shortBy = status.minInForce > status.countedStake ? status.minInForce - status.countedStake : 0n;
  const reason = ineligibleReason(status.ineligibleReasons, tokenText(shortBy));
  const open = offers.find((o) => o.data.state === OfferState.Open);
  const toggle = (p: Panel) => setPanel((current) => (current === p ? null : p));
  const canAct = !d.terminated && !d.unstaking;
  // R9: one offer at a time, none beside a filled position, and only once the minimum is met
  const canOffer = canAct && !open && d.filled.__option === 'None' && status.countedStake >= d.minRequired;
  const multiplier = Math.max(10_000, d.multiplierBps) / 10_000;

  return (
    <article className="card device" aria-label={`Device ${name}`} data-device={device.address}>
      <header className="card-head">
        <div>
          <h2>
            Device <code>{name}</code>
          </h2>
          <div className="muted">
            {d.gpuCount} GPU{d.gpuCount === 1 ? '' : 's'} · earning multiplier {multiplier}× · <span title={device.address}>{shortAddress(device.address)}</span>
          </div>
        </div>
        <div className="badges">
          {status.eligible ? <Badge tone="good">Earning rewards</Badge> : <Badge tone="bad">Not earning</Badge>}
          {d.hired && <Badge tone="info">Hired</Badge>}
          {d.unstaking && <Badge tone="warn">Unstaking</Badge>}
          {d.terminated && <Badge tone="muted">Terminated</Badge>}
          {status.holdUntil > BigInt(now) && <Badge tone="warn">On hold</Badge>}
        </div>
      </header>

      {!status.eligible && reason && (
        <p className="why" data-testid="ineligible-reasons">
          Not earning because {reason}.
        </p>
      )}

      <div className="stats">
        <Stat label="Minimum stake" hint={status.graceEnd > BigInt(now) ? <>new minimum <Tokens amount={status.minRequired} /> from {formatUtc(Number(status.graceEnd))}</> : `${d.gpuCount} × ${formatTokens(config.params.baseStakePerGpu, config.mintDecimals)} × ${multiplier}`}>
          <Tokens amount={status.minInForce} />
        </Stat>
        <Stat label="Counted stake" hint={<Meter value={status.countedStake} target={status.minInForce} />}>
          <Tokens amount={status.countedStake} />
        </Stat>
        <Stat label="Your stake">
          <Tokens amount={status.ownerStake} />
        </Stat>
        <Stat label="Overflow (withdrawable)" hint={<>rewards <Tokens amount={status.ownerRewards} /> + principal <Tokens amount={status.ownerPrincipalOverflow} /></>}>
          <Tokens amount={status.ownerOverflow} />
        </Stat>
      </div>

      <CostakingRows bundle={bundle} />

      {ticket && (
        <div className="row ticket" data-testid="ticket">
          <div>
            <strong>Unstake ticket</strong>: <Tokens amount={ticket.data.amount} /> unlocks <Countdown until={Number(ticket.data.unlockAt)} ripe={<Badge tone="good">ready to withdraw</Badge>} />
          </div>
          <button
            disabled={busy || now < Number(ticket.data.unlockAt)}
            onClick={() =>
              run({
                label: `Withdraw the unstaked ${tokenText(ticket.data.amount)}`,
                build: async (signer) => [await withdrawTicketIx(signer, config, device, ticket)],
                done: `Withdrew ${tokenText(ticket.data.amount)} to your wallet`,
              })
            }
          >
            Withdraw stake
          </button>
        </div>
      )}

      <div className="actions">
        <button className={panel === 'stake' ? 'secondary active' : 'secondary'} disabled={!canAct} onClick={() => toggle('stake')}>
          Stake
        </button>
        <button className={panel === 'offer' ? 'secondary active' : 'secondary'} disabled={!canOffer} title={canOffer ? undefined : 'Possible once the device meets its minimum, with no open offer and no co-staker'} onClick={() => toggle('offer')}>
          Offer co-staking
        </button>
        {open && (
          <button
            className="secondary"
            disabled={busy}
            onClick={() =>
              run({ label: `Retract the open offer on ${name}`, build: async (signer) => [retractOfferIx(signer, device, open)], done: 'Offer retracted; its rent is back in your wallet' })
            }
          >
            Retract offer
          </button>
        )}
        <button className={panel === 'overflow' ? 'secondary active' : 'secondary'} disabled={status.ownerOverflow === 0n} onClick={() => toggle('overflow')}>
          Withdraw overflow
        </button>
        <button className={panel === 'unstake' ? 'danger-outline active' : 'danger-outline'} disabled={d.unstaking || d.ownerStake === 0n} onClick={() => toggle('unstake')}>
          Unstake
        </button>
      </div>

      {panel === 'stake' && <StakeForm bundle={bundle} shortBy={shortBy} onDone={() => setPanel(null)} />}
      {panel === 'offer' && <OfferForm bundle={bundle} onDone={() => setPanel(null)} />}
      {panel === 'overflow' && <OverflowForm bundle={bundle} onDone={() => setPanel(null)} />}
      {panel === 'unstake' && <UnstakePanel bundle={bundle} onDone={() => setPanel(null)} />}
    </article>
  );
}

/** A bar of `value` against `target`. */
function Meter({ value, target }: { value: bigint; target: bigint }) {
  const percent = target === 0n ? 100 : Math.min(100, Number((value * 100n) / target));
  return (
    <span className="meter" role="meter" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label="counted stake against the minimum">
      <span className={percent >= 100 ? 'meter-fill ok' : 'meter-fill'} style={{ width: `${percent}%` }} />
    </span>
  );
}

/** The device's open offer and co-stake positions. */
function CostakingRows({ bundle }: { bundle: DeviceBundle }) {
  if (bundle.offers.length === 0) return null;
  return (
    <div className="costaking">
      <h3>Co-staking</h3>
      <table>
        <thead>
          <tr>
            <th>Offer</th>
            <th>Amount</th>
            <th>Co-staker’s share</th>
            <th>Co-staker</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {bundle.offers.map((o) => (
            <tr key={o.address} data-testid={`offer-${o.data.seq}`}>
              <td>#{o.data.seq.toString()}</td>
              <td>
                <Tokens amount={o.data.state === OfferState.Open ? o.data.amount : o.data.principal} />
              </td>
              <td>{formatBps(o.data.rewardShareBps)}</td>
              <td>{o.data.state === OfferState.Open ? <span className="muted">—</span> : <code title={o.data.costaker}>{shortAddress(o.data.costaker)}</code>}</td>
              <td>
                <OfferStateText state={o.data.state} waitEnd={Number(o.data.waitEnd)} unlockAt={Number(o.data.unlockAt)} />
                {o.data.rewards > 0n && (
                  <span className="muted">
                    {' '}
                    · unclaimed <Tokens amount={o.data.rewards} />
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An offer's state in words, with its countdown. */
export function OfferStateText({ state, waitEnd, unlockAt }: { state: OfferState; waitEnd: number; unlockAt: number }) {
  const { now } = useApp();
  switch (state) {
    case OfferState.Open:
      return <Badge tone="info">Waiting for a co-staker</Badge>;
    case OfferState.Filled:
      return <Badge tone="good">Co-staked, earning</Badge>;
    case OfferState.Exiting:
      return now < waitEnd ? (
        <>
          <Badge tone="warn">Cancelled: wait period</Badge> still counts; the wait ends <Countdown until={waitEnd} />
        </>
      ) : (
        <>
          <Badge tone="muted">In cooldown</Badge> unlocks <Countdown until={unlockAt} ripe={<Badge tone="good">ripe</Badge>} />
        </>
      );
    case OfferState.Cooling:
      return (
        <>
          <Badge tone="muted">Unstaked with the owner</Badge> unlocks <Countdown until={unlockAt} ripe={<Badge tone="good">ripe</Badge>} />
        </>
      );
  }
}

function StakeForm({ bundle, shortBy, onDone }: { bundle: DeviceBundle; shortBy: bigint; onDone: () => void }) {
  const { config, run, busy } = useApp();
  const { text, setText, amount, invalid } = useAmountField(shortBy);
  const tokenText = useTokenText();
  const name = shortDeviceId(bundle.device.data.deviceId);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!amount) return;
        const shown = tokenText(amount);
        if (await run({ label: `Stake ${shown} on device ${name}`, build: async (signer) => [await stakeIx(signer, config, bundle.device, amount)], done: `Staked ${shown} on device ${name}` })) onDone();
      }}
    >
      <AmountField label="Amount to stake" value={text} onChange={setText} invalid={invalid} hint={shortBy > 0n ? <>The device is <Tokens amount={shortBy} /> short of its minimum.</> : 'Stake above the minimum becomes overflow you can withdraw at any time.'} />
      <button type="submit" disabled={busy || !amount}>
        Confirm stake
      </button>
    </form>
  );
}

function OfferForm({ bundle, onDone }: { bundle: DeviceBundle; onDone: () => void }) {
  const { config, run, busy } = useApp();
  const p = config.params;
  const d = bundle.device.data;
  const bounds = offerBounds(d.ownerStake, d.minRequired, p.maxCostakeBps);
  const { text, setText, amount, invalid: unreadable } = useAmountField(bounds?.max ?? null);
  const tokenText = useTokenText();
  const [share, setShare] = useState(Math.min(5_000, p.maxRewardShareBps));
  const name = shortDeviceId(d.deviceId);
  if (!bounds) {
    return <div className="form muted">Your stake is too small to offer co-staking: stake at least the minimum first.</div>;
  }
  const invalid =
    unreadable ?? (amount === null ? null : amount < bounds.min ? `At least ${tokenText(bounds.min)}` : amount > bounds.max ? `At most ${tokenText(bounds.max)} (co-stake is capped at ${formatBps(p.maxCostakeBps)} of the total stake)` : null);
  const estimate = bundle.daily !== null && bundle.daily > 0n ? costakerDaily(bundle.daily, share) : null;
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!amount || invalid) return;
        const shown = tokenText(amount);
        if (
          await run({
            label: `Offer ${shown} of co-stake at ${formatBps(share)} on device ${name}`,
            build: async (signer) => [await createOfferIx(signer, bundle.device, amount, share)],
            done: `Offer of ${shown} at ${formatBps(share)} is open in the marketplace`,
          })
        )
          onDone();
      }}
    >
      <AmountField
        label="Co-stake requested"
        value={text}
        onChange={setText}
        max={bounds.max}
        invalid={invalid}
        hint={
          <>
            {bounds.min > 1n ? (
              <>
                Between <Tokens amount={bounds.min} /> (what the device lacks) and <Tokens amount={bounds.max} />
              </>
            ) : (
              <>
                Up to <Tokens amount={bounds.max} />
              </>
            )}{' '}
            (co-stake is at most {formatBps(p.maxCostakeBps)} of the total stake).
          </>
        }
      />
      <div className="field">
        <label htmlFor={`share-${bundle.device.address}`}>
          Co-staker’s share of block rewards: <strong>{formatBps(share)}</strong>
        </label>
        <input id={`share-${bundle.device.address}`} type="range" min={100} max={p.maxRewardShareBps} step={100} value={share} onChange={(e) => setShare(Number(e.target.value))} />
        <div className="field-hint" data-testid="reward-estimate">
          {estimate !== null ? (
            <>
              The co-staker would earn about <Tokens amount={estimate} /> a day
              {amount ? ` (${yearlyPercent(estimate, amount).toFixed(1)}% a year on their stake)` : ''}, from this device’s 7-day average of <Tokens amount={bundle.daily!} /> a day; you keep {formatBps(10_000 - share)}.
            </>
          ) : (
            <>No block rewards in the last 7 days, so no estimate yet; you keep {formatBps(10_000 - share)} of what the device earns.</>
          )}
        </div>
      </div>
      <button type="submit" disabled={busy || !amount || !!invalid}>
        Create offer
      </button>
    </form>
  );
}

function OverflowForm({ bundle, onDone }: { bundle: DeviceBundle; onDone: () => void }) {
  const { config, run, busy } = useApp();
  const all = bundle.status.ownerOverflow;
  const { text, setText, amount, invalid } = useAmountField(all);
  const tokenText = useTokenText();
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!amount) return;
        const shown = tokenText(amount);
        if (await run({ label: `Withdraw ${shown} of overflow`, build: async (signer) => [await withdrawOverflowIx(signer, config, bundle.device, amount)], done: `Withdrew ${shown} to your wallet` })) onDone();
      }}
    >
      <AmountField label="Amount to withdraw" value={text} onChange={setText} max={all} invalid={invalid} hint="Rewards first, then stake above the minimum; no cooldown, no penalty." />
      <button type="submit" disabled={busy || !amount}>
        Confirm withdrawal
      </button>
    </form>
  );
}

function UnstakePanel({ bundle, onDone }: { bundle: DeviceBundle; onDone: () => void }) {
  const { config, now, run, busy } = useApp();
  const d = bundle.device.data;
  const name = shortDeviceId(d.deviceId);
  const cooldown = Number(config.params.cooldownSecs);
  const positions = bundle.offers
    .filter((o) => o.data.state === OfferState.Filled || (o.data.state === OfferState.Exiting && now < Number(o.data.waitEnd)))
    .map((o) => ({ costaker: o.data.costaker as string, principal: o.data.principal, stage: o.data.state === OfferState.Filled ? ('filled' as const) : ('exiting' as const), unlockAt: Number(o.data.unlockAt) }));
  const preview = unstakePreview(now, cooldown, positions);
  const open = bundle.offers.some((o) => o.data.state === OfferState.Open);
  return (
    <div className="form confirm" data-testid="unstake-preview">
      <h3>Unstake everything from device {name}?</h3>
      <ul>
        <li>
          Your whole stake, <Tokens amount={d.ownerStake} />, stops counting now: the device stops earning block rewards.
        </li>
        <li>
          It comes back after the {formatDuration(cooldown)} cooldown, on <strong>{formatUtc(preview.ticketUnlock)}</strong>. You cannot stake on this device again until then.
        </li>
        {preview.positions.map((p) => (
          <li key={p.costaker}>
            Co-staker <code>{shortAddress(p.costaker)}</code> (<Tokens amount={p.principal} />) is unstaked with you: {p.stage === 'filled' ? 'they stop earning now and ' : ''}can withdraw on <strong>{formatUtc(p.newUnlock)}</strong>, without the co-staker’s wait.
          </li>
        ))}
        {d.hired && <li className="warn-text">The device is hired: the program refuses to unstake until the job ends.</li>}
        {open && <li className="warn-text">Retract the open offer first: the program refuses to unstake while an offer is open.</li>}
        {bundle.status.ownerRewards > 0n && (
          <li>
            Your unclaimed rewards (<Tokens amount={bundle.status.ownerRewards} />) stay withdrawable at any time; stake above the minimum leaves with the rest of your stake.
          </li>
        )}
      </ul>
      <div className="confirm-buttons">
        <button className="secondary" onClick={onDone}>
          Keep staking
        </button>
        <button
          className="danger"
          disabled={busy}
          onClick={async () => {
            if (await run({ label: `Unstake from device ${name}`, build: async (signer) => [await unstakeIx(signer, bundle.device, now)], done: `Unstaked: your ticket unlocks on ${formatUtc(preview.ticketUnlock)}` })) onDone();
          }}
        >
          Unstake everything
        </button>
      </div>
    </div>
  );
}
