// The history API (docs/api.md), served beside the indexer: a device's earnings per day for the
// owner and each position, its events, a wallet's positions with what they earned, claimed and
// lost to slashes, and CSV exports. Where it is: `?api=` in the page's URL, else the build's
// VITE_INDEXER_URL, else (on a local validator) http://127.0.0.1:8787 if it answers. Without it the
// pages fall back to the RPC (the offer estimate) or say the history needs it.
import type { Address } from '@solana/kit';
import { chainOf } from './chain';

/** One event as the API returns it. */
export interface HistoryEvent {
  seq: number;
  signature: string;
  slot: number;
  blockTime: number | null;
  instructionIndex: number;
  eventIndex: number;
  name: string;
  device: string | null;
  wallets: string[];
  positionSeq: number | null;
  amount: string | null;
  data: Record<string, unknown>;
}

/** One day's earnings. */
export interface DayPoint {
  day: string;
  start: number;
  amount: string;
  blocks: number;
}

/** A device's earnings per day, for the owner and each position. */
export interface DeviceEarnings {
  device: string;
  since: number;
  owner: DayPoint[];
  positions: Array<{ seq: number; costaker: string; points: DayPoint[] }>;
  totals: { owner: string; positions: string; blocks: number; skipped: number };
}

/** A wallet's position with its realized figures. */
export interface PositionHistory {
  device: string;
  seq: number;
  principal: string;
  rewardShareBps: number;
  filledAt: number;
  filledSignature: string;
  state: string;
  rewardsEarned: string;
  rewardsClaimed: string;
  slashed: string;
  withdrawn: string;
  events: HistoryEvent[];
}

/** The API's base URL as configured (`?api=`, VITE_INDEXER_URL), or null. */
export function configuredApi(): string | null {
  const fromQuery = typeof window !== 'undefined' ? new URLSearchParams(window.location.search).get('api') : null;
  return fromQuery ?? import.meta.env.VITE_INDEXER_URL ?? null;
}

/** The configured API when its /health answers, else null. */
export async function findApi(): Promise<string | null> {
  const candidate = configuredApi();
  if (!candidate) return null;
  try {
    const response = await fetch(`${candidate}/health`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? candidate.replace(/\/$/, '') : null;
  } catch {
    return null;
  }
}

/** GETs `path` of the API as JSON; an API error becomes an Error with its message. */
async function get<T>(api: string, path: string): Promise<T> {
  const response = await fetch(`${api}${path}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `the history API answered ${response.status}`);
  return body;
}

/** The browser's offset from UTC in minutes (the API's days then start at local midnight). */
export function localOffsetMinutes(): number {
  return -new Date().getTimezoneOffset();
}

/** A device's earnings per local day over the last `days` days. */
export function deviceEarnings(api: string, device: Address, days: number): Promise<DeviceEarnings> {
  return get(api, `/devices/${device}/earnings?by=day&days=${days}&tzOffsetMinutes=${localOffsetMinutes()}`);
}

/** A device's events, newest first (`limit` at most 1000). */
export async function deviceHistory(api: string, device: Address, limit = 100): Promise<HistoryEvent[]> {
  return (await get<{ events: HistoryEvent[] }>(api, `/devices/${device}/history?limit=${limit}`)).events;
}

/** A wallet's positions with their realized earnings, claims, slashes and withdrawals. */
export async function walletPositions(api: string, wallet: Address): Promise<PositionHistory[]> {
  return (await get<{ positions: PositionHistory[] }>(api, `/wallets/${wallet}/positions`)).positions;
}

/** The CSV export of a device's or a wallet's whole history. */
export function csvUrl(api: string, kind: 'devices' | 'wallets', address: Address): string {
  return `${api}/${kind}/${address}/history.csv`;
}

/** One bar of the chart: a local day, the owner's part and the positions' parts. */
export interface ChartDay {
  /** The day, `YYYY-MM-DD` (local). */
  day: string;
  /** The owner's part. */
  owner: bigint;
  /** Each position's part, by sequence number. */
  positions: Map<number, bigint>;
}

/** The `YYYY-MM-DD` of a unix time in the browser's local time. */
export function localDay(unix: number): string {
  const d = new Date(unix * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Every local day of the last `days` days up to `now` (oldest first, days without rewards at
 * zero), with the owner's and each position's (or only position `onlySeq`'s) earnings.
 */
export function chartDays(earnings: DeviceEarnings, days: number, now: number, onlySeq: number | null = null): ChartDay[] {
  const out: ChartDay[] = [];
  const index = new Map<string, ChartDay>();
  for (let i = days - 1; i >= 0; i--) {
    const day = localDay(now - i * 86_400);
    if (index.has(day)) continue;
    const entry = { day, owner: 0n, positions: new Map<number, bigint>() };
    index.set(day, entry);
    out.push(entry);
  }
  if (onlySeq === null) for (const p of earnings.owner) index.get(p.day) && (index.get(p.day)!.owner += BigInt(p.amount));
  for (const position of earnings.positions) {
    if (onlySeq !== null && position.seq !== onlySeq) continue;
    for (const p of position.points) {
      const entry = index.get(p.day);
      if (entry) entry.positions.set(position.seq, (entry.positions.get(position.seq) ?? 0n) + BigInt(p.amount));
    }
  }
  return out;
}

/** A device's whole reward per day over the span of `earnings` (owner and positions), averaged over `days`. */
export function dailyFromEarnings(earnings: DeviceEarnings, days: number): bigint {
  const total = BigInt(earnings.totals.owner) + BigInt(earnings.totals.positions);
  return total / BigInt(days);
}

/** An explorer's page of a transaction on the cluster at `rpcUrl`. */
export function explorerTx(signature: string, rpcUrl: string): string {
  const chain = chainOf(rpcUrl);
  const cluster =
    chain === 'solana:mainnet' ? '' : chain === 'solana:localnet' ? `?cluster=custom&customUrl=${encodeURIComponent(rpcUrl)}` : `?cluster=${chain.replace('solana:', '')}`;
  return `https://explorer.solana.com/tx/${signature}${cluster}`;
}

/** Why a row of a position's events shows the whole event's amount beside the position's own. */
export type AmountContext =
  /** A `RewardPaid`: the block's whole reward (owner's and position's parts). */
  | 'block'
  /** A `RewardPaid` after the position had been withdrawn or released: its part was not paid (R21). */
  | 'left'
  /** A `Slashed`: the whole slash (owner's stake, ticket and every position). */
  | 'slash'
  /** An `Unstaked` that stopped the position: the owner's unstaked amount. */
  | 'ownerUnstake';

/** What a row of an events table shows in its amount column. */
export interface RowAmount {
  /** The amount of the table's subject (the device, or the one position); null when it has none. */
  amount: bigint | null;
  /** The event's whole amount, shown as context when it is not the subject's own; null otherwise. */
  context: { kind: AmountContext; whole: bigint } | null;
}

/** A decimal string (or number) of the API as a bigint; 0 when absent. */
function base(value: unknown): bigint {
  return typeof value === 'string' || typeof value === 'number' ? BigInt(value) : 0n;
}

/**
 * The amount a row shows: on a device's table (`positionSeq` null) the event's own amount; on a
 * position's table what that position got or lost: a `RewardPaid`'s position part (nothing once
 * the position had left, R21) with the block's whole reward as context, a `Slashed`'s part taken
 * from the position with the whole slash as context, and no amount of its own for the owner's
 * `Unstaked` that stopped it.
 */
export function rowAmount(event: HistoryEvent, positionSeq: number | null): RowAmount {
  const own = event.amount === null ? null : BigInt(event.amount);
  if (positionSeq === null || own === null) return { amount: own, context: null };
  const data = event.data;
  switch (event.name) {
    case 'RewardPaid': {
      const mine = data.positionSeq === positionSeq;
      if (mine && data.positionLeft === true) return { amount: 0n, context: { kind: 'left', whole: own } };
      return { amount: mine ? base(data.positionPart) : 0n, context: { kind: 'block', whole: own } };
    }
    case 'Slashed': {
      const parts = Array.isArray(data.fromPositions) ? (data.fromPositions as Array<{ seq?: unknown; amount?: unknown }>) : [];
      const taken = parts.filter((p) => p.seq === positionSeq).reduce((sum, p) => sum + base(p.amount), 0n);
      return { amount: taken, context: { kind: 'slash', whole: own } };
    }
    case 'Unstaked':
      return { amount: null, context: { kind: 'ownerUnstake', whole: own } };
    default:
      return { amount: own, context: null };
  }
}
