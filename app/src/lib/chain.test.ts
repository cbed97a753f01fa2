import { address, getAddressEncoder } from '@solana/kit';
import { describe, expect, it } from 'vitest';
import { getDeviceDecoder, getOfferEncoder } from '../generated';
import { DEVICE_OWNER_OFFSET, OFFER_COSTAKER_OFFSET, OFFER_STATE_OFFSET, OfferState, chainOf } from './chain';

// The memcmp filters' offsets, checked against the generated codecs (the program's layout).
const DEVICE = address('G7quQ8GBtANoLHwYp9zrvfrma1Sj7eXaNuqrJXc2cgF6');
const COSTAKER = address('3agfdfoF5Rzdg4Eustk5noeXe9dPReY1K96BdVzj3r2k');
const PAYER = address('Cwc5d6dFVPJ7twW2ySKFB2SW3XNFybZbBA5ksb1Rka6e');
const bytesOf = (a: string) => Array.from(getAddressEncoder().encode(address(a)));

describe('account field offsets for getProgramAccounts filters', () => {
  const offer = getOfferEncoder().encode({
    device: DEVICE,
    seq: 7n,
    bump: 254,
    payer: PAYER,
    state: OfferState.Released,
    amount: 1n,
    rewardShareBps: 7_400,
    createdAt: 5n,
    costaker: COSTAKER,
    escrowPayer: PAYER,
    escrowBump: 253,
    pad0: new Uint8Array(3),
    reserved: new Uint8Array(64),
  });
  it('finds the state and the co-staker in an Offer (the marketplace, a wallet’s positions and escrows)', () => {
    expect(offer[OFFER_STATE_OFFSET]).toBe(OfferState.Released);
    expect(Array.from(offer.slice(OFFER_COSTAKER_OFFSET, OFFER_COSTAKER_OFFSET + 32))).toEqual(bytesOf(COSTAKER));
  });
  it('finds the owner in a Device', () => {
    // bytes with an address at the owner offset decode to a Device with that owner
    const bytes = new Uint8Array(4096);
    bytes.set(getAddressEncoder().encode(COSTAKER), DEVICE_OWNER_OFFSET);
    expect(getDeviceDecoder().decode(bytes).owner).toBe(COSTAKER);
  });
});

describe('chainOf', () => {
  it('maps RPC URLs to Wallet Standard chains', () => {
    expect(chainOf('http://127.0.0.1:8899')).toBe('solana:localnet');
    expect(chainOf('https://rpc.devnet.example')).toBe('solana:devnet');
    expect(chainOf('https://rpc.example.com')).toBe('solana:mainnet');
  });
});
