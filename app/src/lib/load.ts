// What the pages show, gathered from the chain.
import type { Address } from '@solana/kit';
import { type Config, type Device, type DeviceStatus, type Offer, type Ticket, OfferState } from '../generated';
import { type AppRpc, type Located, deviceStatus, devicesAt, devicesOf, offersOf, openOffers, positionsOf, receipts, ticketsOf } from './chain';
import { dailyAverage } from './rules';

/** A device with everything its card shows. */
export interface DeviceBundle {
  /** The device account. */
  device: Located<Device>;
  /** Its live offers (open, filled, exiting, cooling), by sequence number. */
  offers: Located<Offer>[];
  /** The owner's outstanding ticket, if any. */
  ticket: Located<Ticket> | null;
  /** The program's own status (device_status, simulated). */
  status: DeviceStatus;
  /** Rewards the device received per day over the last 7 days; `null` when unknown. */
  daily: bigint | null;
}

/** The rewards per day `device` received over the last 7 days (null when the history cannot be read). */
export async function dailyRewards(rpc: AppRpc, device: Device, now: number): Promise<bigint | null> {
  try {
    return dailyAverage(await receipts(rpc, device.overflowVault, now - 7 * 86_400), now);
  } catch {
    return null;
  }
}

/** One device's bundle. */
export async function deviceBundle(rpc: AppRpc, config: Config, device: Located<Device>, now: number): Promise<DeviceBundle> {
  const [offers, tickets] = await Promise.all([offersOf(rpc, device.address), ticketsOf(rpc, device.address)]);
  offers.sort((a, b) => Number(a.data.seq - b.data.seq));
  const ticket = tickets[0] ?? null;
  const positions = offers.filter((o) => o.data.state !== OfferState.Open).map((o) => o.address);
  const [status, daily] = await Promise.all([
    deviceStatus(rpc, config.payer, device.address, ticket?.address ?? null, positions),
    dailyRewards(rpc, device.data, now),
  ]);
  return { device, offers, ticket, status, daily };
}

/** The devices `owner` owns, in the order of their ids. */
export async function ownerDevices(rpc: AppRpc, config: Config, owner: Address, now: number): Promise<DeviceBundle[]> {
  const devices = await devicesOf(rpc, owner);
  devices.sort((a, b) => compareBytes(a.data.deviceId, b.data.deviceId));
  return Promise.all(devices.map((d) => deviceBundle(rpc, config, d, now)));
}

/** An offer with its device. */
export interface OfferWithDevice {
  /** The offer (open) or position. */
  offer: Located<Offer>;
  /** Its device. */
  device: Located<Device>;
  /** The device's rewards per day over the last 7 days. */
  daily: bigint | null;
}

/** Joins offers with their devices (offers whose device is gone are left out). */
async function withDevices(rpc: AppRpc, offers: Located<Offer>[], now: number): Promise<OfferWithDevice[]> {
  const devices = await devicesAt(rpc, offers.map((o) => o.data.device));
  const out = offers
    .filter((o) => devices.has(o.data.device))
    .map((o) => ({ offer: o, device: { address: o.data.device, data: devices.get(o.data.device)! } }));
  const daily = new Map<string, bigint | null>();
  await Promise.all([...devices].map(async ([address, device]) => daily.set(address, await dailyRewards(rpc, device, now))));
  return out.map((o) => ({ ...o, daily: daily.get(o.device.address) ?? null }));
}

/** The marketplace: every open offer on a device that can still take it, newest first. */
export async function marketplace(rpc: AppRpc, now: number): Promise<OfferWithDevice[]> {
  const offers = await withDevices(rpc, await openOffers(rpc), now);
  return offers.filter((o) => !o.device.data.terminated && !o.device.data.unstaking).sort((a, b) => Number(b.offer.data.createdAt - a.offer.data.createdAt));
}

/** `costaker`'s positions, oldest first. */
export async function costakerPositions(rpc: AppRpc, costaker: Address, now: number): Promise<OfferWithDevice[]> {
  const offers = await withDevices(rpc, await positionsOf(rpc, costaker), now);
  return offers.sort((a, b) => Number(a.offer.data.filledAt - b.offer.data.filledAt));
}

/** Byte-wise order of two ids. */
function compareBytes(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
