// The device owner's page: each device with its minimum, counted stake, eligibility and why not,
// overflow, hold and slash allowance, its offer and position table, its ticket, and the owner's
// actions. Eligibility, overflow and position states are the program's (device_status, R54).
import { type Address, isAddress } from '@solana/kit';
import { useState } from 'react';
import { AmountField, Badge, Countdown, Section, Stat, Tokens, useAmountField, useTokenText } from '../components/bits';
import { DeviceHistory, useDailyEstimate } from '../components/History';
import { OfferedDevices, OwnerBatch, RegisterFromFile } from '../components/OwnerTools';
import { useApp } from '../context';
import { PositionState } from '../generated';
import {
  cancelTransferIx,
  closeDeviceIxs,
  createOfferIx,
  filledPosition,
  releaseIx,
  retractOfferIx,
  stakeIx,
  transferDeviceIx,
  unstakeIx,
  withSignerAccount,
  withdrawOverflowIx,
  withdrawTicketIx,
} from '../lib/actions';
import { transferPending } from '../lib/lifecycle';
import { formatBps, formatDuration, formatTokens, formatUtc, shortAddress, shortDeviceId } from '../lib/format';
import { type DeviceBundle, type PositionRow, ownerDevices } from '../lib/load';
import { costakerDaily, ineligibleReasons, offerBounds, paramsAt, unstakePreview, yearlyPercent } from '../lib/rules';
import { useLoad } from '../lib/useLoad';

/** Positions a device's table holds at most. */
const MAX_POSITIONS = 8;

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
      <OfferedDevices />
      {data && data.length === 0 && (
        <div className="panel">No device is registered to this wallet. When you connect a GPU, the network’s oracle attests it and gives you a co-signed registration file: open it below.</div>
      )}
      {data && data.length > 0 && <OwnerBatch bundles={data} />}
      {data?.map((bundle) => <DeviceCard key={bundle.device.address} bundle={bundle} />)}
      <RegisterFromFile />
    </Section>
  );
}

type Panel = 'stake' | 'offer' | 'overflow' | 'unstake' | 'close' | 'transfer' | 'history' | null;

function DeviceCard({ bundle }: { bundle: DeviceBundle }) {
  const { rpc, config, now, busy, run } = useApp();
  const tokenText = useTokenText();
  const { device, status, ticket, openOffer, positions } = bundle;
  const d = device.data;
  const [panel, setPanel] = useState<Panel>(null);
  const name = shortDeviceId(d.deviceId);
  const params = paramsAt(config, now);
  const shortBy = status.minInForce > status.countedStake ? status.minInForce - status.countedStake : 0n;
  const reasons = ineligibleReasons(status.ineligibleReasons, tokenText(shortBy), 'owner');
  const terminated = d.terminatedAt !== 0n;
  const unstaking = d.unstakedAt !== 0n;
  const toggle = (p: Panel) => setPanel((current) => (current === p ? null : p));
  const canAct = !terminated && !unstaking;
  // R9: one offer at a time, none beside a filled position or while held, a free slot, and only once the minimum is met
  const canOffer =
    canAct && !status.held && !openOffer && !filledPosition(d) && positions.length < MAX_POSITIONS && status.countedStake >= status.minRequired;
  const multiplier = Math.max(10_000, d.multiplierBps) / 10_000;
  const ticketStatus = status.ticket.__option === 'Some' ? status.ticket.value : null;
  const pendingTransfer = transferPending(d, now);
  // R8: nothing staked, owed or open on the device
  const closable = !unstaking && !ticket && d.ownerStake === 0n && !openOffer && positions.length === 0;

  return (
    <article className="card device" aria-label={`Device ${name}`} data-device={device.address}>
      <header className="card-head">
        <div>
          <h2>
            Device <code>{name}</code>
          </h2>
          <div className="muted">
            {d.gpuCount} GPU{d.gpuCount === 1 ? '' : 's'} · earning multiplier {multiplier}× · <span title={device.address}>{shortAddress(device.address)}</span>
            {status.hired && <> · hired until {formatUtc(Number(status.hiredUntil))}</>}
          </div>
        </div>
        <div className="badges">
          {status.eligible ? <Badge tone="good">Earning rewards</Badge> : <Badge tone="bad">Not earning</Badge>}
          {status.hired && <Badge tone="info">Hired</Badge>}
          {unstaking && <Badge tone="warn">Unstaking</Badge>}
          {terminated && <Badge tone="muted">Terminated</Badge>}
          {status.held && <Badge tone="warn">On hold</Badge>}
        </div>
      </header>

      {!status.eligible && reasons.length > 0 && (
        <p className="why" data-testid="ineligible-reasons">
          Not earning because {reasons.join(' and ')}.
        </p>
      )}

      {status.held && (
        <p className="why hold" data-testid="hold">
          On hold until {formatUtc(Number(status.holdUntil))} ({formatDuration(Number(status.holdUntil) - now)} left), for an incident since {formatUtc(Number(status.holdIncidentStart))}: stake above the
          minimum cannot be withdrawn{unstaking ? ', nor an unstake ticket that was not ripe when the incident began' : ''} until it ends. Co-stakers’ exits are never held.
        </p>
      )}

      <div className="stats">
        <Stat label="Minimum stake" hint={status.graceEnd > BigInt(now) ? <>new minimum <Tokens amount={status.minRequired} /> from {formatUtc(Number(status.graceEnd))}</> : `${d.gpuCount} × ${formatTokens(params.baseStakePerGpu, config.mintDecimals)} × ${multiplier}`}>
          <Tokens amount={status.minInForce} />
        </Stat>
        <Stat label="Counted stake" hint={<Meter value={status.countedStake} target={status.minInForce} />}>
          <Tokens amount={status.countedStake} />
        </Stat>
        <Stat label="Your stake" hint={<span data-testid="owner-slash-allowance">a slash now could take at most <Tokens amount={status.ownerSlashAllowance} /></span>}>
          <Tokens amount={status.ownerStake} />
        </Stat>
        <Stat label="Overflow (withdrawable)" hint={<>rewards <Tokens amount={status.ownerRewards} /> + principal <Tokens amount={status.ownerPrincipalOverflow} /></>}>
          <Tokens amount={status.ownerOverflow} />
        </Stat>
      </div>

      {pendingTransfer && (
        <div className="row" data-testid="pending-transfer">
          <div>
            <strong>Handing over</strong> to <code title={d.pendingOwner}>{shortAddress(d.pendingOwner)}</code>, which can accept until {formatUtc(Number(d.transferExpiresAt))} (
            {formatDuration(Number(d.transferExpiresAt) - now)} left).
          </div>
          <button
            className="secondary"
            disabled={busy}
            onClick={() => run({ label: `Cancel handing over device ${name}`, build: async (signer) => [await cancelTransferIx(signer, device.address)], done: `Device ${name} stays yours` })}
          >
            Cancel transfer
          </button>
        </div>
      )}

      <CostakingRows bundle={bundle} />

      {ticket && ticketStatus && (
        <div className="row ticket" data-testid="ticket">
          <div>
            <strong>Unstake ticket</strong>: <Tokens amount={ticketStatus.amount} /> unlocks{' '}
            <Countdown until={Number(ticketStatus.unlockAt)} ripe={ticketStatus.held ? <Badge tone="warn">held</Badge> : <Badge tone="good">ready to withdraw</Badge>} />
            {ticketStatus.held && <span className="muted"> · held until {formatUtc(Number(status.holdUntil))}</span>}
          </div>
          <button
            disabled={busy || now < Number(ticketStatus.unlockAt) || ticketStatus.held}
            onClick={() =>
              run({
                label: `Withdraw the unstaked ${tokenText(ticketStatus.amount)}`,
                build: async (signer) => withSignerAccount(rpc, signer, config, [await withdrawTicketIx(signer, config, device, ticket)]),
                done: `Withdrew ${tokenText(ticketStatus.amount)} to your wallet`,
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
        <button
          className={panel === 'offer' ? 'secondary active' : 'secondary'}
          disabled={!canOffer}
          title={canOffer ? undefined : 'Possible once the device meets its minimum, with no open offer, no earning co-staker, a free position slot and no hold'}
          onClick={() => toggle('offer')}
        >
          Offer co-staking
        </button>
        {openOffer && (
          <button
            className="secondary"
            disabled={busy}
            onClick={() =>
              run({ label: `Retract the open offer on ${name}`, build: async (signer) => [retractOfferIx(signer, device, openOffer)], done: 'Offer retracted; its rent is back in your wallet' })
            }
          >
            Retract offer
          </button>
        )}
        <button className={panel === 'overflow' ? 'secondary active' : 'secondary'} disabled={status.ownerOverflow === 0n} onClick={() => toggle('overflow')}>
          Withdraw overflow
        </button>
        <button className={panel === 'unstake' ? 'danger-outline active' : 'danger-outline'} disabled={unstaking || d.ownerStake === 0n} onClick={() => toggle('unstake')}>
          Unstake
        </button>
        <button
          className={panel === 'transfer' ? 'secondary active' : 'secondary'}
          disabled={terminated || unstaking || pendingTransfer}
          title="Hand the device, its stake and its rewards to another wallet of yours (it accepts within 7 days)"
          onClick={() => toggle('transfer')}
        >
          Hand over
        </button>
        <button className={panel === 'history' ? 'secondary active' : 'secondary'} aria-expanded={panel === 'history'} onClick={() => toggle('history')}>
          History
        </button>
        <button
          className={panel === 'close' ? 'danger-outline active' : 'danger-outline'}
          disabled={!closable}
          title={closable ? undefined : 'Possible once nothing is staked or owed on the device: no stake, ticket, offer or position'}
          onClick={() => toggle('close')}
        >
          Close device
        </button>
      </div>

      {panel === 'stake' && <StakeForm bundle={bundle} shortBy={shortBy} onDone={() => setPanel(null)} />}
      {panel === 'offer' && <OfferForm bundle={bundle} onDone={() => setPanel(null)} />}
      {panel === 'overflow' && <OverflowForm bundle={bundle} onDone={() => setPanel(null)} />}
      {panel === 'unstake' && <UnstakePanel bundle={bundle} onDone={() => setPanel(null)} />}
      {panel === 'transfer' && <TransferForm bundle={bundle} onDone={() => setPanel(null)} />}
      {panel === 'close' && <ClosePanel bundle={bundle} onDone={() => setPanel(null)} />}
      {panel === 'history' && <DeviceHistory device={device.address} />}
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

/** The device's open offer and its position table. */
function CostakingRows({ bundle }: { bundle: DeviceBundle }) {
  const { openOffer, positions } = bundle;
  if (!openOffer && positions.length === 0) return null;
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
            <th>Slashable now</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {openOffer && (
            <tr data-testid={`offer-${openOffer.data.seq}`}>
              <td>#{openOffer.data.seq.toString()}</td>
              <td>
                <Tokens amount={openOffer.data.amount} />
              </td>
              <td>{formatBps(openOffer.data.rewardShareBps)}</td>
              <td>
                <span className="muted">—</span>
              </td>
              <td>
                <Badge tone="info">Waiting for a co-staker</Badge>
              </td>
              <td />
              <td />
            </tr>
          )}
          {positions.map((row) => (
            <PositionTableRow key={row.position.seq.toString()} bundle={bundle} row={row} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One position of the device's table, with a release button once it is ripe (R16). */
function PositionTableRow({ bundle, row }: { bundle: DeviceBundle; row: PositionRow }) {
  const { config, run, busy } = useApp();
  const tokenText = useTokenText();
  const { position, status, offer } = row;
  const d = bundle.device.data;
  const withOwner = d.unstakedAt !== 0n && position.stoppedAt === d.unstakedAt;
  const owed = status.principal + status.rewards;
  return (
    <tr data-testid={`offer-${position.seq}`}>
      <td>#{position.seq.toString()}</td>
      <td>
        <Tokens amount={status.principal} />
      </td>
      <td>{formatBps(status.rewardShareBps)}</td>
      <td>
        <code title={position.costaker}>{shortAddress(position.costaker)}</code>
      </td>
      <td>
        <PositionStateText state={status.state} waitEnd={Number(status.waitEnd)} unlockAt={Number(status.unlockAt)} eligible={bundle.status.eligible} withOwner={withOwner} viewer="owner" />
        {status.rewards > 0n && (
          <span className="muted">
            {' '}
            · unclaimed <Tokens amount={status.rewards} />
          </span>
        )}
      </td>
      <td>
        <Tokens amount={status.slashAllowance} />
      </td>
      <td>
        {status.state === PositionState.Ripe && offer && (
          <button
            className="small secondary"
            disabled={busy}
            title="Moves the co-staker’s tokens into an escrow only they can withdraw from, and frees the slot; you pay the escrow’s rent and get it back when they withdraw"
            onClick={() =>
              run({
                label: `Release position #${position.seq} (${tokenText(owed)}) to its escrow`,
                build: async (signer) => [await releaseIx(signer, config, bundle.device, offer.address)],
                done: `Released ${tokenText(owed)} into the co-staker’s escrow; the slot is free`,
              })
            }
          >
            Release
          </button>
        )}
      </td>
    </tr>
  );
}

/** A position's state in words, with its countdown, for the owner or the co-staker. */
export function PositionStateText(props: { state: PositionState; waitEnd: number; unlockAt: number; eligible: boolean; withOwner: boolean; viewer: 'owner' | 'costaker' }) {
  const { state, waitEnd, unlockAt, eligible, withOwner, viewer } = props;
  switch (state) {
    case PositionState.Filled:
      return eligible ? <Badge tone="good">Co-staked, earning</Badge> : <Badge tone="bad">Co-staked, not earning</Badge>;
    case PositionState.Exiting:
      return (
        <>
          <Badge tone="warn">Cancelled: wait period</Badge> still counts; the wait ends <Countdown until={waitEnd} />
        </>
      );
    case PositionState.Cooling:
      return (
        <>
          <Badge tone="muted">{withOwner ? (viewer === 'owner' ? 'Unstaked with you' : 'Unstaked with the owner') : 'In cooldown'}</Badge> unlocks{' '}
          <Countdown until={unlockAt} ripe={<Badge tone="good">ripe</Badge>} />
        </>
      );
    case PositionState.Ripe:
      return <Badge tone="good">{viewer === 'owner' ? 'Ripe: the co-staker can withdraw' : 'Ready to withdraw'}</Badge>;
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
  const { config, now, run, busy } = useApp();
  const p = paramsAt(config, now);
  const d = bundle.device.data;
  const bounds = offerBounds(d.ownerStake, bundle.status.minRequired, p.maxCostakeBps, p.minOfferBps);
  const { text, setText, amount, invalid: unreadable } = useAmountField(bounds?.max ?? null);
  const tokenText = useTokenText();
  const [share, setShare] = useState(Math.min(5_000, p.maxRewardShareBps));
  const name = shortDeviceId(d.deviceId);
  if (!bounds) {
    return <div className="form muted">Your stake is too small to offer co-staking: stake at least the minimum first.</div>;
  }
  const invalid =
    unreadable ?? (amount === null ? null : amount < bounds.min ? `At least ${tokenText(bounds.min)}` : amount > bounds.max ? `At most ${tokenText(bounds.max)} (co-stake is capped at ${formatBps(p.maxCostakeBps)} of the total stake)` : null);
  const daily = useDailyEstimate(bundle.device.address, bundle.daily);
  const estimate = daily !== null && daily > 0n ? costakerDaily(daily, share) : null;
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
            Between <Tokens amount={bounds.min} /> and <Tokens amount={bounds.max} /> (at least {formatBps(p.minOfferBps)} of the minimum and what your stake lacks of it; co-stake is at
            most {formatBps(p.maxCostakeBps)} of the total stake).
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
              {amount ? ` (${yearlyPercent(estimate, amount).toFixed(1)}% a year on their stake)` : ''}, from this device’s 7-day average of <Tokens amount={daily!} /> a day; you keep {formatBps(10_000 - share)}.
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
  const { rpc, config, run, busy } = useApp();
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
        if (await run({ label: `Withdraw ${shown} of overflow`, build: async (signer) => withSignerAccount(rpc, signer, config, [await withdrawOverflowIx(signer, config, bundle.device, amount)]), done: `Withdrew ${shown} to your wallet` })) onDone();
      }}
    >
      <AmountField
        label="Amount to withdraw"
        value={text}
        onChange={setText}
        max={all}
        invalid={invalid}
        hint={bundle.status.held ? 'Rewards only while the device is on hold; stake above the minimum waits until the hold ends.' : 'Rewards first, then stake above the minimum; no cooldown, no penalty.'}
      />
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
  const cooldown = Number(paramsAt(config, now).cooldownSecs);
  const positions = bundle.positions
    .filter((row) => row.status.state !== PositionState.Ripe)
    .map((row) => ({
      costaker: row.position.costaker as string,
      principal: row.status.principal,
      state: row.status.state,
      waitEnd: Number(row.status.waitEnd),
      unlockAt: Number(row.status.unlockAt),
    }));
  const preview = unstakePreview(now, cooldown, positions);
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
            Co-staker <code>{shortAddress(p.costaker)}</code> (<Tokens amount={p.principal} />){' '}
            {p.stopsEarning ? (
              <>
                is unstaked with you: they stop earning now and can withdraw on <strong>{formatUtc(p.newUnlock)}</strong>, without the co-staker’s wait.
              </>
            ) : p.waitCut ? (
              <>
                has cancelled: their wait ends now (their stake stops counting) and they can withdraw on <strong>{formatUtc(p.newUnlock)}</strong>.
              </>
            ) : (
              <>
                is cooling down: they can withdraw on <strong>{formatUtc(p.newUnlock)}</strong>.
              </>
            )}
          </li>
        ))}
        {bundle.status.hired && <li className="warn-text">The device is hired until {formatUtc(Number(bundle.status.hiredUntil))}: the program refuses to unstake until then.</li>}
        {bundle.openOffer && <li className="warn-text">Retract the open offer first: the program refuses to unstake while an offer is open.</li>}
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
            if (await run({ label: `Unstake from device ${name}`, build: async (signer) => [await unstakeIx(signer, bundle.device)], done: `Unstaked: your ticket unlocks on ${formatUtc(preview.ticketUnlock)}` })) onDone();
          }}
        >
          Unstake everything
        </button>
      </div>
    </div>
  );
}

/** R19: propose another wallet as the device's owner; it accepts within 7 days. */
function TransferForm({ bundle, onDone }: { bundle: DeviceBundle; onDone: () => void }) {
  const { run, busy, wallet } = useApp();
  const [text, setText] = useState('');
  const name = shortDeviceId(bundle.device.data.deviceId);
  const value = text.trim();
  const invalid = value === '' ? null : !isAddress(value) ? 'Not a Solana address' : value === wallet ? 'That is this wallet' : null;
  const holdsPosition = bundle.positions.some((p) => p.position.costaker === value);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!value || invalid) return;
        const to = value as Address;
        if (await run({ label: `Hand device ${name} to ${shortAddress(to)}`, build: async (signer) => [await transferDeviceIx(signer, bundle.device.address, to)], done: `Device ${name} offered to ${shortAddress(to)}; it has 7 days to accept` }))
          onDone();
      }}
    >
      <div className="field">
        <label htmlFor={`new-owner-${bundle.device.address}`}>New owner’s wallet</label>
        <input id={`new-owner-${bundle.device.address}`} value={text} onChange={(e) => setText(e.target.value)} placeholder="address" spellCheck={false} aria-invalid={!!invalid} />
        <div className="field-hint">
          {invalid ?? (holdsPosition ? 'This wallet holds a position of the device: the program refuses it.' : 'The device, your stake, unclaimed rewards and the rents move when that wallet accepts (within 7 days). Not while unstaking, on hold or with an open offer.')}
        </div>
      </div>
      <button type="submit" disabled={busy || !value || !!invalid}>
        Propose new owner
      </button>
    </form>
  );
}

/** R8: close an empty device into a tombstone. */
function ClosePanel({ bundle, onDone }: { bundle: DeviceBundle; onDone: () => void }) {
  const { rpc, config, now, run, busy } = useApp();
  const d = bundle.device.data;
  const name = shortDeviceId(d.deviceId);
  return (
    <div className="form confirm" data-testid="close-preview">
      <h3>Close device {name}?</h3>
      <ul>
        <li>Its two vaults close and the rent of the device and its vaults goes back to <code title={d.payer}>{shortAddress(d.payer)}</code>; tokens donated to its vaults go to the treasury.</li>
        <li>A small record keeps its numbers (offers, tickets, the last paid block and its hold and slash history): registering the same id again revives it.</li>
      </ul>
      <div className="confirm-buttons">
        <button className="secondary" onClick={onDone}>
          Keep it
        </button>
        <button
          className="danger"
          disabled={busy}
          onClick={async () => {
            if (await run({ label: `Close device ${name}`, build: async (signer) => closeDeviceIxs(rpc, signer, config, bundle.device, now), done: `Closed device ${name}; its rent is back in your wallet` })) onDone();
          }}
        >
          Close device
        </button>
      </div>
    </div>
  );
}
