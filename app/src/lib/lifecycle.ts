// The owner's lifecycle beyond staking: devices another owner proposed to hand to this wallet
// (R19), waiting for it to accept.
import type { Address, Base64EncodedBytes } from '@solana/kit';
import { getBase58Decoder, getBase64Encoder } from '@solana/kit';
import { type Device, DEVICE_DISCRIMINATOR, DEVICE_STAKING_PROGRAM_ADDRESS, getDeviceDecoder } from '../generated';
import { type AppRpc, type Located, COMMITMENT } from './chain';

/** A device's `pending_owner` when no transfer is proposed. */
export const NO_PENDING_OWNER = '11111111111111111111111111111111';

/** Whether `device` has a proposed new owner whose 7 days to accept have not run out at `now` (R19). */
export function transferPending(device: Device, now: number): boolean {
  return device.pendingOwner !== NO_PENDING_OWNER && BigInt(now) < device.transferExpiresAt;
}

/**
 * The live devices proposed to `wallet` that it can still accept (R19). Devices are read by
 * their discriminator and filtered here: the proposal's place in the account is not a filter of
 * its own (a cluster with many devices answers slowly, and only when the wallet asks).
 */
export async function devicesOfferedTo(rpc: AppRpc, wallet: Address, now: number): Promise<Located<Device>[]> {
  const discriminator = getBase58Decoder().decode(Uint8Array.from(DEVICE_DISCRIMINATOR));
  const accounts = await rpc
    .getProgramAccounts(DEVICE_STAKING_PROGRAM_ADDRESS, {
      encoding: 'base64',
      commitment: COMMITMENT,
      filters: [{ memcmp: { offset: 0n, bytes: discriminator as never, encoding: 'base58' } }],
    })
    .send();
  const base64 = getBase64Encoder();
  return accounts
    .map(({ pubkey, account }) => ({ address: pubkey, data: getDeviceDecoder().decode(new Uint8Array(base64.encode(account.data[0] as Base64EncodedBytes))) }))
    .filter((d) => d.data.pendingOwner === wallet && transferPending(d.data, now));
}
