// History and earnings from the history API (docs/api.md): a chart of the last 7 or 30 local days
// (the owner's part and each position's), the events with links to an explorer, in local time,
// CSV downloads, and a co-staker's realized earnings, claims and slashes per position. Without
// the API these panels say so; the offer estimates fall back to the RPC.
import type { Address } from '@solana/kit';
import { useEffect, useState } from 'react';
import { useApp } from '../context';
import { rpcUrl } from '../lib/chain';
import { formatTokens, shortAddress } from '../lib/format';
import {
  type ChartDay,
  type HistoryEvent,
  type RowAmount,
  chartDays,
  csvUrl,
  dailyFromEarnings,
  deviceEarnings,
  deviceHistory,
  explorerTx,
  findApi,
  rowAmount,
  walletPositions,
} from '../lib/history';
import { useLoad } from '../lib/useLoad';
import { Badge, Tokens } from './bits';
import './owner.css';

/** The API lookup, once per page load. */
let apiLookup: Promise<string | null> | null = null;

/** The history API's base URL once found (null while looking or when there is none) and whether the lookup ended. */
export function useApi(): { api: string | null; checked: boolean } {
  const [state, setState] = useState<{ api: string | null; checked: boolean }>({ api: null, checked: false });
  useEffect(() => {
    let live = true;
    apiLookup ??= findApi();
    apiLookup.then((api) => live && setState({ api, checked: true }));
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/**
 * A device's reward per day over the last 7 days from the API when it runs, else `fallback` (the
 * RPC's estimate); null when neither knows.
 */
export function useDailyEstimate(device: Address, fallback: bigint | null): bigint | null {
  const { api } = useApi();
  const { refreshKey } = useApp();
  const { data } = useLoad(() => (api ? deviceEarnings(api, device, 7).then((e) => dailyFromEarnings(e, 7)) : Promise.resolve(null)), [api, device, refreshKey]);
  return data ?? fallback;
}

/** Colours of the chart's series: the owner's, then the positions' in turn. */
const OWNER_COLOUR = '#2563eb';
const POSITION_COLOURS = ['#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#dc2626', '#475569'];

/** Stacked bars per day: the owner's part and each position's. */
export function EarningsChart({ days, label }: { days: ChartDay[]; label: string }) {
  const { config } = useApp();
  const seqs = [...new Set(days.flatMap((d) => [...d.positions.keys()]))].sort((a, b) => a - b);
  const totals = days.map((d) => d.owner + [...d.positions.values()].reduce((a, b) => a + b, 0n));
  const max = totals.reduce((a, b) => (b > a ? b : a), 0n);
  const width = 640;
  const height = 160;
  const gap = 2;
  const bar = (width - gap * days.length) / days.length;
  const scale = (amount: bigint) => (max === 0n ? 0 : Number((amount * 10_000n) / max) / 10_000) * (height - 20);
  const hasOwner = days.some((d) => d.owner > 0n);
  return (
    <figure className="chart" data-testid="earnings-chart" aria-label={label}>
      <svg viewBox={`0 0 ${width} ${height + 18}`} role="img" aria-label={label}>
        {days.map((d, i) => {
          const x = i * (bar + gap);
          let y = height;
          const parts: Array<[string, bigint, string]> = [['owner', d.owner, OWNER_COLOUR], ...seqs.map((s, k): [string, bigint, string] => [`#${s}`, d.positions.get(s) ?? 0n, POSITION_COLOURS[k % POSITION_COLOURS.length]])];
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${parts
                .filter(([, a]) => a > 0n)
                .map(([who, a]) => `${who} ${formatTokens(a, config.mintDecimals)}`)
                .join(', ') || 'no rewards'}`}</title>
              <rect x={x} y={0} width={bar} height={height} fill="transparent" />
              {parts.map(([who, amount, colour]) => {
                const h = scale(amount);
                y -= h;
                return h > 0 ? <rect key={who} x={x} y={y} width={bar} height={h} fill={colour} rx={1} /> : null;
              })}
            </g>
          );
        })}
        <line x1={0} x2={width} y1={height} y2={height} stroke="#cbd5e1" />
        <text x={0} y={height + 14} fontSize={11} fill="#64748b">
          {days[0]?.day}
        </text>
        <text x={width} y={height + 14} fontSize={11} fill="#64748b" textAnchor="end">
          {days[days.length - 1]?.day}
        </text>
        <text x={width} y={11} fontSize={11} fill="#64748b" textAnchor="end">
          {max > 0n ? `max ${formatTokens(max, config.mintDecimals)} a day` : 'no rewards in this span'}
        </text>
      </svg>
      <figcaption className="legend">
        {hasOwner && (
          <span>
            <i style={{ background: OWNER_COLOUR }} /> owner
          </span>
        )}
        {seqs.map((s, k) => (
          <span key={s}>
            <i style={{ background: POSITION_COLOURS[k % POSITION_COLOURS.length] }} /> position #{s}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** A 7- or 30-day switch. */
function SpanSwitch({ days, onChange }: { days: number; onChange: (days: number) => void }) {
  return (
    <span className="span-switch" role="group" aria-label="span">
      {[7, 30].map((d) => (
        <button key={d} className={d === days ? 'small secondary active' : 'small secondary'} aria-pressed={d === days} onClick={() => onChange(d)}>
          {d} days
        </button>
      ))}
    </span>
  );
}

/** Local date and time of a unix time. */
function localTime(unix: number | null): string {
  return unix === null ? '—' : new Date(unix * 1000).toLocaleString();
}

/** A row's amount: the subject's own, then the event's whole amount as context when it differs. */
function AmountCell({ amount: { amount, context } }: { amount: RowAmount }) {
  const whole = context && <Tokens amount={context.whole} />;
  return (
    <>
      {amount !== null && <Tokens amount={amount} />}
      {context && (
        <span className="muted">
          {context.kind === 'block' && <> of the block’s {whole}</>}
          {context.kind === 'left' && <> of the block’s {whole}, not paid: the position had left</>}
          {context.kind === 'slash' && <> of {whole} slashed</>}
          {context.kind === 'ownerUnstake' && <>the owner unstaked {whole}</>}
        </span>
      )}
    </>
  );
}

/**
 * Events as a table: local time, event, position, amount, and the transaction on an explorer.
 * With `positionSeq` the table is that position's: amounts are what the position earned or lost
 * (a block's part of the reward, its part of a slash), the event's whole amount as context.
 */
export function EventsTable({ events, positionSeq }: { events: HistoryEvent[]; positionSeq?: number }) {
  if (events.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <table className="history" data-testid="history-table">
      <thead>
        <tr>
          <th>Time (local)</th>
          <th>Event</th>
          <th>Position</th>
          <th>{positionSeq === undefined ? 'Amount' : 'Position’s amount'}</th>
          <th>Transaction</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={`${e.signature}-${e.eventIndex}`}>
            <td>{localTime(e.blockTime)}</td>
            <td>{e.name}</td>
            <td>{e.positionSeq === null ? '' : `#${e.positionSeq}`}</td>
            <td>
              <AmountCell amount={rowAmount(e, positionSeq ?? null)} />
            </td>
            <td>
              <a href={explorerTx(e.signature, rpcUrl())} target="_blank" rel="noreferrer" title={e.signature}>
                {e.signature.slice(0, 10)}…
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A device's earnings chart, its events and its CSV, for the owner's card. */
export function DeviceHistory({ device }: { device: Address }) {
  const { api, checked } = useApi();
  const { now, refreshKey } = useApp();
  const [days, setDays] = useState(7);
  const { data, error } = useLoad(
    () => (api ? Promise.all([deviceEarnings(api, device, days), deviceHistory(api, device, 50)]) : Promise.resolve(null)),
    [api, device, days, refreshKey],
  );
  if (!checked) return <p className="muted">Looking for the history API…</p>;
  if (!api) return <p className="muted" data-testid="history-unavailable">The history needs the indexer’s API (<code>make app</code> starts it; elsewhere <code>?api=URL</code>).</p>;
  if (error) return <p className="why">The history API failed: {error}</p>;
  if (!data) return <p className="muted">Loading the history…</p>;
  const [earnings, events] = data;
  const t = earnings.totals;
  return (
    <div className="device-history" data-testid="device-history">
      <div className="history-head">
        <SpanSwitch days={days} onChange={setDays} />
        <span>
          Last {days} days: owner <Tokens amount={BigInt(t.owner)} />, co-stakers <Tokens amount={BigInt(t.positions)} /> over {t.blocks} block{t.blocks === 1 ? '' : 's'}
          {t.skipped > 0 ? `, ${t.skipped} skipped` : ''}
        </span>
        <a className="button small secondary" href={csvUrl(api, 'devices', device)} download={`device-${device}.csv`} data-testid="device-csv">
          Download CSV
        </a>
      </div>
      <EarningsChart days={chartDays(earnings, days, now)} label={`Earnings per day over the last ${days} days`} />
      <EventsTable events={events} />
    </div>
  );
}

/** A co-staker's positions with realized earnings, claims, slashes and withdrawals, a chart per position, and the wallet's CSV. */
export function PositionsHistory({ wallet }: { wallet: Address }) {
  const { api, checked } = useApi();
  const { now, refreshKey } = useApp();
  const [days, setDays] = useState(7);
  const [open, setOpen] = useState<string | null>(null);
  const { data, error } = useLoad(() => (api ? walletPositions(api, wallet) : Promise.resolve(null)), [api, wallet, refreshKey]);
  const openPosition = data?.find((p) => `${p.device}-${p.seq}` === open) ?? null;
  const { data: earnings } = useLoad(
    () => (api && openPosition ? deviceEarnings(api, openPosition.device as Address, days) : Promise.resolve(null)),
    [api, openPosition?.device, days, refreshKey],
  );
  if (!checked || !api) return null;
  return (
    <section className="panel" aria-labelledby="realized-title" data-testid="positions-history">
      <div className="history-head">
        <h3 id="realized-title">Earnings and slashes per position</h3>
        <a className="button small secondary" href={csvUrl(api, 'wallets', wallet)} download={`wallet-${wallet}.csv`} data-testid="wallet-csv">
          Download CSV
        </a>
      </div>
      {error && <p className="why">The history API failed: {error}</p>}
      {data && data.length === 0 && <p className="muted">No positions in the history yet.</p>}
      {data && data.length > 0 && (
        <table className="history">
          <thead>
            <tr>
              <th>Device</th>
              <th>Position</th>
              <th>Filled (local)</th>
              <th>State</th>
              <th>Earned</th>
              <th>Claimed</th>
              <th>Slashed</th>
              <th>Withdrawn</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.map((p) => {
              const key = `${p.device}-${p.seq}`;
              return (
                <tr key={key} data-testid="position-history">
                  <td>
                    <code title={p.device}>{shortAddress(p.device)}</code>
                  </td>
                  <td>#{p.seq}</td>
                  <td>{localTime(p.filledAt)}</td>
                  <td>{p.state}</td>
                  <td>
                    <Tokens amount={BigInt(p.rewardsEarned)} />
                  </td>
                  <td>
                    <Tokens amount={BigInt(p.rewardsClaimed)} />
                  </td>
                  <td>{BigInt(p.slashed) > 0n ? <Badge tone="bad">{<Tokens amount={BigInt(p.slashed)} />}</Badge> : <Tokens amount={0n} />}</td>
                  <td>
                    <Tokens amount={BigInt(p.withdrawn)} />
                  </td>
                  <td>
                    <button className="small secondary" aria-expanded={open === key} onClick={() => setOpen(open === key ? null : key)}>
                      Chart
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {openPosition && (
        <div className="device-history">
          <div className="history-head">
            <SpanSwitch days={days} onChange={setDays} />
            <span>
              Position #{openPosition.seq} on <code>{shortAddress(openPosition.device)}</code>
            </span>
          </div>
          {earnings ? <EarningsChart days={chartDays(earnings, days, now, openPosition.seq)} label={`Position #${openPosition.seq}'s earnings per day over ${days} days`} /> : <p className="muted">Loading…</p>}
          <EventsTable events={openPosition.events} positionSeq={openPosition.seq} />
        </div>
      )}
    </section>
  );
}
