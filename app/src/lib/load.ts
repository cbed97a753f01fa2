// What the pages show, gathered from the chain: each device with its position table joined to the
// program's own status of it (device_status), and a co-staker's positions and released escrows.
import type { Address } from '@solana/kit';
import { type Config, type Device, type DeviceStatus, type Offer, type Position, type PositionStatus, type Ticket } from '../generated';
import { type AppRpc, type Located, OfferState, deviceStatus, devicesAt, devicesOf, escrowAddress, offersAt, offersFilledBy, openOffers, receipts, ticketOf, tokenAccountAmount } from './chain';
import { findApi } from './history';
import { dailyAverage } from './rules';

/** The address of an empty slot's co-staker (`Pubkey::default()`). */
const FREE_SLOT = '11111111111111111111111111111111';

/** One position of a device's table: its record, the program's status of it, and its offer. */
export interface PositionRow {
  /** The table's record (co-staker, principal, times). */
  position: Position;
  /** device_status's view: state, whether it counts, rewards, slash allowance. */
  status: PositionStatus;
  /** Its offer (frozen terms, rent payer); `null` when it could not be read. */
  offer: Located<Offer> | null;
}

/** A device with everything its card shows. */
export interface DeviceBundle {
  /** The device account. */
  device: Located<Device>;
  /** Its open offer, if any. */
  openOffer: Located<Offer> | null;
  /** The unwithdrawn positions of its table, in table order. */
  positions: PositionRow[];
  /** The owner's outstanding ticket, if any. */
  ticket: Located<Ticket> | null;
  /** The program's own status (device_status, simulated). */
  status: DeviceStatus;
  /** Rewards the device received per day over the last 7 days; `null` when unknown. */
  daily: bigint | null;
}

/** The used slots of a device's position table (a free slot's co-staker is the default key). */
export function usedPositions(device: Device): Position[] {
  return device.positions.filter((p) => p.costaker !== FREE_SLOT);
}

/** Joins the table's records with device_status's positions, by sequence number. */
export function joinPositions(device: Device, status: DeviceStatus): Array<{ position: Position; status: PositionStatus }> {
  const bySeq = new Map(status.positions.map((s) => [s.seq, s]));
  return usedPositions(device).flatMap((position) => {
    const s = bySeq.get(position.seq);
    return s ? [{ position, status: s }] : [];
  });
}

/** The history API lookup, once per page load. */
let apiLookup: Promise<boolean> | null = null;

/** Whether the history API runs (its /health answers): the pages then take the daily estimates from it. */
export function historyApiRuns(): Promise<boolean> {
  apiLookup ??= findApi().then((api) => api !== null);
  return apiLookup;
}

/**
 * The rewards per day `device` received over the last 7 days, read from the RPC (up to 101 calls)
 * only when the history API does not run (`apiRuns`; with it the pages ask the API); null when the
 * API runs or the history cannot be read.
 */
export async function dailyRewards(rpc: AppRpc, device: Device, now: number, apiRuns: () => Promise<boolean> = historyApiRuns): Promise<bigint | null> {
  try {
    if (await apiRuns()) return null;
    return dailyAverage(await receipts(rpc, device.overflowVault, now - 7 * 86_400), now);
  } catch {
    return null;
  }
}

/** One device's bundle. */
export async function deviceBundle(rpc: AppRpc, config: Config, device: Located<Device>, now: number): Promise<DeviceBundle> {
  const d = device.data;
  const table = usedPositions(d);
  const openSeq = d.hasOpenOffer !== 0 ? [d.openOfferSeq] : [];
  const [offers, ticket, status, daily] = await Promise.all([
    offersAt(rpc, device.address, [...openSeq, ...table.map((p) => p.seq)]),
    ticketOf(rpc, device),
    deviceStatus(rpc, config.payer, device.address),
    dailyRewards(rpc, d, now),
  ]);
  const openOffer = openSeq.length > 0 ? (offers[0] ?? null) : null;
  const offerBySeq = new Map(offers.flatMap((o) => (o ? [[o.data.seq, o] as const] : [])));
  const positions = joinPositions(d, status).map((row) => ({ ...row, offer: offerBySeq.get(row.position.seq) ?? null }));
  return { device, openOffer, positions, ticket, status, daily };
}

/** The devices `owner` owns, in the order of their ids. */
export async function ownerDevices(rpc: AppRpc, config: Config, owner: Address, now: number): Promise<DeviceBundle[]> {
  const devices = await devicesOf(rpc, owner);
  devices.sort((a, b) => compareBytes(a.data.deviceId, b.data.deviceId));
  return Promise.all(devices.map((d) => deviceBundle(rpc, config, d, now)));
}

/** An open offer with its device. */
export interface OfferWithDevice {
  /** The open offer. */
  offer: Located<Offer>;
  /** Its device. */
  device: Located<Device>;
  /** The device's rewards per day over the last 7 days. */
  daily: bigint | null;
}

/** The rewards per day of each device, by address. */
async function dailyByDevice(rpc: AppRpc, devices: Map<string, Device>, now: number): Promise<Map<string, bigint | null>> {
  const daily = new Map<string, bigint | null>();
  await Promise.all([...devices].map(async ([address, device]) => daily.set(address, await dailyRewards(rpc, device, now))));
  return daily;
}

/** The marketplace: every open offer on a device that can still take it, newest first. */
export async function marketplace(rpc: AppRpc, now: number): Promise<OfferWithDevice[]> {
  const offers = await openOffers(rpc);
  const devices = await devicesAt(rpc, offers.map((o) => o.data.device));
  const daily = await dailyByDevice(rpc, devices, now);
  return offers
    .flatMap((offer) => {
      const device = devices.get(offer.data.device);
      // R9, R11: the device's open offer, on a device that is neither terminated nor unstaking
      if (!device || device.terminatedAt !== 0n || device.unstakedAt !== 0n) return [];
      if (device.hasOpenOffer === 0 || device.openOfferSeq !== offer.data.seq) return [];
      return [{ offer, device: { address: offer.data.device, data: device }, daily: daily.get(offer.data.device) ?? null }];
    })
    .sort((a, b) => Number(b.offer.data.createdAt - a.offer.data.createdAt));
}

/** A co-staker's filled position, read from its device's table and device_status. */
export interface HeldPosition {
  kind: 'position';
  /** Its offer (frozen terms, rent payer). */
  offer: Located<Offer>;
  /** Its device. */
  device: Located<Device>;
  /** The table's record. */
  position: Position;
  /** device_status's view of it. */
  status: PositionStatus;
  /** device_status of the whole device (eligibility and why not, hold). */
  deviceStatus: DeviceStatus;
  /** The device's rewards per day over the last 7 days. */
  daily: bigint | null;
}

/** A released position: its tokens wait in its offer's escrow for the co-staker (R16). */
export interface ReleasedPosition {
  kind: 'escrow';
  /** The released offer. */
  offer: Located<Offer>;
  /** Its escrow token account. */
  escrow: Address;
  /** What the escrow holds. */
  amount: bigint;
  /** Its device, if it still exists (it may be closed). */
  device: Located<Device> | null;
}

/** One row of a co-staker's positions. */
export type Holding = HeldPosition | ReleasedPosition;

/** `costaker`'s positions (from their devices' tables) and released escrows, oldest first. */
export async function costakerHoldings(rpc: AppRpc, config: Config, costaker: Address, now: number): Promise<Holding[]> {
  const offers = await offersFilledBy(rpc, costaker);
  const devices = await devicesAt(rpc, offers.map((o) => o.data.device));
  const filledDevices = [...new Set(offers.filter((o) => o.data.state === OfferState.Filled).map((o) => o.data.device))];
  const [statuses, daily] = await Promise.all([
    Promise.all(filledDevices.map(async (address) => [address, await deviceStatus(rpc, config.payer, address)] as const)),
    dailyByDevice(rpc, devices, now),
  ]);
  const statusOf = new Map<string, DeviceStatus>(statuses);
  const holdings = await Promise.all(
    offers.map(async (offer): Promise<Holding | null> => {
      const device = devices.get(offer.data.device);
      const located = device ? { address: offer.data.device, data: device } : null;
      if (offer.data.state === OfferState.Released) {
        const escrow = await escrowAddress(offer.address);
        return { kind: 'escrow', offer, escrow, amount: (await tokenAccountAmount(rpc, escrow)) ?? 0n, device: located };
      }
      const status = statusOf.get(offer.data.device);
      if (offer.data.state !== OfferState.Filled || !located || !status) return null;
      const row = joinPositions(located.data, status).find((r) => r.position.seq === offer.data.seq && r.position.costaker === costaker);
      if (!row) return null;
      return { kind: 'position', offer, device: located, ...row, deviceStatus: status, daily: daily.get(offer.data.device) ?? null };
    }),
  );
  return holdings
    .filter((h): h is Holding => h !== null)
    .sort((a, b) => Number(filledAt(a) - filledAt(b)));
}

/** When a holding was filled (a released one: its offer's creation). */
function filledAt(h: Holding): bigint {
  return h.kind === 'position' ? h.position.filledAt : h.offer.data.createdAt;
}

/** Byte-wise order of two ids. */
function compareBytes(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
