// The instructions behind each button, built with the generated client from what the pages
// already loaded. Withdrawals are signed by the staker, so they pay the signer's own associated
// token account (R16).
import type { Address, Instruction, TransactionSigner } from '@solana/kit';
import {
  type Config,
  type Device,
  type Offer,
  type Position,
  type Ticket,
  findConfigPda,
  findProfilePda,
  getCancelCostakeInstruction,
  getClaimRewardsInstruction,
  getCreateOfferInstruction,
  getFillOfferInstruction,
  getReleaseInstruction,
  getRetractOfferInstruction,
  getStakeInstruction,
  getUnstakeInstruction,
  getWithdrawEscrowInstruction,
  getWithdrawOverflowInstruction,
  getWithdrawPositionInstruction,
  getWithdrawTicketInstruction,
} from '../generated';
import { type Located, associatedTokenAddress, escrowAddress, offerAddress, ticketAddress } from './chain';
import { usedPositions } from './load';

/** The accounts every token-moving instruction names. */
async function common(config: Config) {
  const [configAddress] = await findConfigPda();
  return { config: configAddress, mint: config.mint, tokenProgram: config.tokenProgram };
}

/** The signer's associated token account of the staking mint. */
function ownTokenAccount(signer: TransactionSigner, config: Config): Promise<Address> {
  return associatedTokenAddress(signer.address, config.mint, config.tokenProgram);
}

/** `stake` (R6): the owner adds `amount` to the device. */
export async function stakeIx(signer: TransactionSigner, config: Config, device: Located<Device>, amount: bigint): Promise<Instruction> {
  const c = await common(config);
  const ownerToken = await ownTokenAccount(signer, config);
  return getStakeInstruction({ ...c, owner: signer, device: device.address, stakeVault: device.data.stakeVault, ownerToken, amount });
}

/** `create_offer` (R9) at the device's next sequence number. */
export async function createOfferIx(signer: TransactionSigner, device: Located<Device>, amount: bigint, rewardShareBps: number): Promise<Instruction> {
  const [config] = await findConfigPda();
  const offer = await offerAddress(device.address, device.data.nextOfferSeq);
  return getCreateOfferInstruction({ owner: signer, config, device: device.address, offer, amount, rewardShareBps });
}

/** `retract_offer` (R10). */
export function retractOfferIx(signer: TransactionSigner, device: Located<Device>, offer: Located<Offer>): Instruction {
  return getRetractOfferInstruction({ owner: signer, device: device.address, offer: offer.address, payer: offer.data.payer });
}

/** `withdraw_overflow` (R12): rewards first, then principal overflow. */
export async function withdrawOverflowIx(signer: TransactionSigner, config: Config, device: Located<Device>, amount: bigint): Promise<Instruction> {
  const c = await common(config);
  const ownerToken = await ownTokenAccount(signer, config);
  return getWithdrawOverflowInstruction({
    ...c,
    owner: signer,
    device: device.address,
    stakeVault: device.data.stakeVault,
    overflowVault: device.data.overflowVault,
    ownerToken,
    amount,
  });
}

/** The filled (earning) position of a device's table, if any. */
export function filledPosition(device: Device): Position | undefined {
  return usedPositions(device).find((p) => p.stoppedAt === 0n);
}

/**
 * `unstake` (R15) into the ticket at the device's next ticket number; when a position is filled,
 * its co-staker's profile too (its count of filled positions drops).
 */
export async function unstakeIx(signer: TransactionSigner, device: Located<Device>): Promise<Instruction> {
  const [config] = await findConfigPda();
  const ticket = await ticketAddress(device.address, device.data.nextTicketSeq);
  const filled = filledPosition(device.data);
  const profile = filled ? (await findProfilePda({ costaker: filled.costaker }))[0] : undefined;
  return getUnstakeInstruction({ owner: signer, config, device: device.address, ticket, profile });
}

/** `withdraw_ticket` (R16): the owner's principal back, once the ticket is ripe, to the owner's own token account. */
export async function withdrawTicketIx(signer: TransactionSigner, config: Config, device: Located<Device>, ticket: Located<Ticket>): Promise<Instruction> {
  const c = await common(config);
  return getWithdrawTicketInstruction({
    ...c,
    caller: signer,
    device: device.address,
    ticket: ticket.address,
    owner: device.data.owner,
    destination: await ownTokenAccount(signer, config),
    stakeVault: device.data.stakeVault,
    payer: ticket.data.payer,
  });
}

/** `fill_offer` (R11) restating the offer's terms. */
export async function fillOfferIx(signer: TransactionSigner, config: Config, device: Located<Device>, offer: Located<Offer>): Promise<Instruction> {
  const c = await common(config);
  const [profile] = await findProfilePda({ costaker: signer.address });
  return getFillOfferInstruction({
    ...c,
    costaker: signer,
    device: device.address,
    offer: offer.address,
    profile,
    stakeVault: device.data.stakeVault,
    costakerToken: await ownTokenAccount(signer, config),
    seq: offer.data.seq,
    amount: offer.data.amount,
    rewardShareBps: offer.data.rewardShareBps,
  });
}

/** `cancel_costake` (R13) of position `seq`. */
export async function cancelCostakeIx(signer: TransactionSigner, device: Address, seq: bigint): Promise<Instruction> {
  const [config] = await findConfigPda();
  const [profile] = await findProfilePda({ costaker: signer.address });
  return getCancelCostakeInstruction({ costaker: signer, config, device, profile, seq });
}

/** `withdraw_position` (R16): the co-staker's principal and unclaimed rewards to their own token account. */
export async function withdrawPositionIx(signer: TransactionSigner, config: Config, device: Located<Device>, offer: Located<Offer>): Promise<Instruction> {
  const c = await common(config);
  return getWithdrawPositionInstruction({
    ...c,
    caller: signer,
    device: device.address,
    offer: offer.address,
    costaker: offer.data.costaker,
    destination: await ownTokenAccount(signer, config),
    stakeVault: device.data.stakeVault,
    overflowVault: device.data.overflowVault,
    payer: offer.data.payer,
  });
}

/** `claim_rewards` (R12): position `seq`'s unclaimed rewards. */
export async function claimRewardsIx(signer: TransactionSigner, config: Config, device: Located<Device>, seq: bigint): Promise<Instruction> {
  const c = await common(config);
  return getClaimRewardsInstruction({
    ...c,
    costaker: signer,
    device: device.address,
    overflowVault: device.data.overflowVault,
    costakerToken: await ownTokenAccount(signer, config),
    seq,
  });
}

/** `release` (R16), by anyone: a ripe position's tokens move into its offer's escrow (the signer pays its rent, returned when it is emptied). */
export async function releaseIx(signer: TransactionSigner, config: Config, device: Located<Device>, offer: Address): Promise<Instruction> {
  const c = await common(config);
  return getReleaseInstruction({
    ...c,
    caller: signer,
    device: device.address,
    offer,
    escrow: await escrowAddress(offer),
    stakeVault: device.data.stakeVault,
    overflowVault: device.data.overflowVault,
  });
}

/** `withdraw_escrow` (R16): the co-staker empties a released position's escrow into their own token account. */
export async function withdrawEscrowIx(signer: TransactionSigner, config: Config, offer: Located<Offer>): Promise<Instruction> {
  const c = await common(config);
  return getWithdrawEscrowInstruction({
    ...c,
    costaker: signer,
    offer: offer.address,
    escrow: await escrowAddress(offer.address),
    destination: await ownTokenAccount(signer, config),
    payer: offer.data.payer,
    escrowPayer: offer.data.escrowPayer,
  });
}
