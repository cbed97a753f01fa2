// The instructions behind each button, built with the generated client from what the pages
// already loaded. Withdrawals are signed by the staker, so they pay the signer's own associated
// token account (R16), created first in its own instruction when it is missing
// (`withSignerAccount`). The owner's lifecycle: close (R8), hand over to another wallet (R19).
import type { Address, Instruction, TransactionSigner } from '@solana/kit';
import {
  type Config,
  type Device,
  type Offer,
  type Position,
  type Ticket,
  findConfigPda,
  getAcceptDeviceInstruction,
  getCancelCostakeInstruction,
  getCancelTransferInstruction,
  getClaimRewardsInstruction,
  getCloseDeviceInstruction,
  getCreateOfferInstruction,
  getFillOfferInstruction,
  getReleaseInstruction,
  getRetractOfferInstruction,
  getStakeInstruction,
  getTransferDeviceInstruction,
  getUnstakeInstruction,
  getWithdrawEscrowInstruction,
  getWithdrawOverflowInstruction,
  getWithdrawPositionInstruction,
  getWithdrawTicketInstruction,
} from '../generated';
import { recipientAccount } from './ata';
import { type BatchItem, type PackedTransaction, pack } from './batch';
import { roleKeyAt } from './changes';
import { type AppRpc, type Located, associatedTokenAddress, escrowAddress, escrowPda, offerPda, profileAddress, ticketPda } from './chain';
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
  const [offer, bump] = await offerPda(device.address, device.data.nextOfferSeq);
  return getCreateOfferInstruction({ owner: signer, config, device: device.address, offer, amount, rewardShareBps, bump });
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
  const [ticket, ticketBump] = await ticketPda(device.address, device.data.nextTicketSeq);
  const filled = filledPosition(device.data);
  const profile = filled ? await profileAddress(filled.costaker) : undefined;
  return getUnstakeInstruction({ owner: signer, config, device: device.address, ticket, profile, ticketBump });
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
  const profile = await profileAddress(signer.address);
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
  const profile = await profileAddress(signer.address);
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
  const [escrow, escrowBump] = await escrowPda(offer);
  return getReleaseInstruction({
    ...c,
    caller: signer,
    device: device.address,
    offer,
    escrow,
    escrowBump,
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

/**
 * `payments` (withdrawals or claims to the signer's own associated token account) preceded, when
 * that account is missing, by its `CreateIdempotent` paid by the signer: one transaction, the
 * creation in its own instruction (the program never pays a signer's own account, R16).
 */
export async function withSignerAccount(rpc: AppRpc, signer: TransactionSigner, config: Config, payments: Instruction[]): Promise<Instruction[]> {
  const own = await recipientAccount(rpc, signer, signer.address, config);
  return [...own.create, ...payments];
}

/**
 * `close_device` (R8): the empty device becomes a tombstone, its vaults close, donated surplus goes
 * to the treasury in force (its associated token account created first when missing, paid by the
 * signer), and the rent goes back to the device's payer.
 */
export async function closeDeviceIxs(rpc: AppRpc, signer: TransactionSigner, config: Config, device: Located<Device>, now: number): Promise<Instruction[]> {
  const c = await common(config);
  const treasury = await recipientAccount(rpc, signer, roleKeyAt(config.treasury, now), config);
  const close = getCloseDeviceInstruction({
    ...c,
    owner: signer,
    device: device.address,
    stakeVault: device.data.stakeVault,
    overflowVault: device.data.overflowVault,
    treasuryToken: treasury.address,
    payer: device.data.payer,
  });
  return [...treasury.create, close];
}

/** `transfer_device` (R19): the owner proposes `newOwner`, who has 7 days to accept. */
export async function transferDeviceIx(signer: TransactionSigner, device: Address, newOwner: Address): Promise<Instruction> {
  const [config] = await findConfigPda();
  return getTransferDeviceInstruction({ owner: signer, config, device, newOwner });
}

/** `accept_device` (R19): the proposed wallet takes the device, its stake and its rent. */
export async function acceptDeviceIx(signer: TransactionSigner, device: Address): Promise<Instruction> {
  const [config] = await findConfigPda();
  return getAcceptDeviceInstruction({ newOwner: signer, config, device });
}

/** `cancel_transfer` (R19): the owner withdraws a proposal before it is accepted. */
export async function cancelTransferIx(signer: TransactionSigner, device: Address): Promise<Instruction> {
  const [config] = await findConfigPda();
  return getCancelTransferInstruction({ owner: signer, config, device });
}

/** Compute units an item of a batch uses at most (the benchmarks' worst case, with a margin). */
export const BATCH_UNITS = { stake: 40_000, withdrawTicket: 80_000, withdrawOverflow: 45_000, claim: 35_000, createAccount: 35_000 } as const;

/** A device whose minimum is not met by its counted stake, and by how much (R6 stake covers it). */
export interface ShortDevice {
  /** The device. */
  device: Located<Device>;
  /** Its label for people. */
  label: string;
  /** What its counted stake lacks of the minimum in force. */
  shortBy: bigint;
}

/** Batch: `stake` (R6) on each device what it lacks of its minimum. */
export async function stakeToMinimumItems(signer: TransactionSigner, config: Config, devices: ShortDevice[]): Promise<BatchItem[]> {
  return Promise.all(
    devices.map(async (d) => ({ label: `stake on ${d.label}`, instructions: [await stakeIx(signer, config, d.device, d.shortBy)], units: BATCH_UNITS.stake })),
  );
}

/** Batch: `withdraw_ticket` (R16) of each ripe ticket, to the signer's own token account. */
export async function withdrawTicketItems(signer: TransactionSigner, config: Config, tickets: Array<{ device: Located<Device>; ticket: Located<Ticket>; label: string }>): Promise<BatchItem[]> {
  return Promise.all(
    tickets.map(async (t) => ({ label: `ticket of ${t.label}`, instructions: [await withdrawTicketIx(signer, config, t.device, t.ticket)], units: BATCH_UNITS.withdrawTicket })),
  );
}

/** Batch: `withdraw_overflow` (R12) of each device's unclaimed owner rewards, to the signer's own token account. */
export async function ownerRewardItems(signer: TransactionSigner, config: Config, devices: Array<{ device: Located<Device>; rewards: bigint; label: string }>): Promise<BatchItem[]> {
  return Promise.all(
    devices.map(async (d) => ({
      label: `rewards of ${d.label}`,
      instructions: [await withdrawOverflowIx(signer, config, d.device, d.rewards)],
      units: BATCH_UNITS.withdrawOverflow,
    })),
  );
}

/** Batch: `claim_rewards` (R12) of each position, to the signer's own token account. */
export async function claimItems(signer: TransactionSigner, config: Config, positions: Array<{ device: Located<Device>; seq: bigint; label: string }>): Promise<BatchItem[]> {
  return Promise.all(
    positions.map(async (p) => ({ label: `claim on ${p.label}`, instructions: [await claimRewardsIx(signer, config, p.device, p.seq)], units: BATCH_UNITS.claim })),
  );
}

/**
 * `items` packed into as few transactions as fit (size, compute, account locks), each opened by
 * the creation of the signer's token account when a payment needs it and it is missing.
 */
export async function packPayments(rpc: AppRpc, signer: TransactionSigner, config: Config, items: BatchItem[], pays: boolean): Promise<PackedTransaction[]> {
  const own = pays ? await recipientAccount(rpc, signer, signer.address, config) : { create: [] };
  // the creation is idempotent: it opens every transaction, so each one also stands alone
  return pack(signer.address, items, own.create, own.create.length > 0 ? BATCH_UNITS.createAccount : 0);
}
