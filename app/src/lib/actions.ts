// The instructions behind each button, built with the generated client from what the pages
// already loaded.
import { type Address, type Instruction, AccountRole, type TransactionSigner } from '@solana/kit';
import {
  type Config,
  type Device,
  type Offer,
  findConfigPda,
  findProfilePda,
  getCancelCostakeInstruction,
  getClaimRewardsInstruction,
  getCreateOfferInstruction,
  getFillOfferInstruction,
  getRetractOfferInstruction,
  getStakeInstruction,
  getUnstakeInstruction,
  getWithdrawOverflowInstruction,
  getWithdrawPositionInstruction,
  getWithdrawTicketInstruction,
} from '../generated';
import { type Located, associatedTokenAddress, offerAddress, ticketAddress } from './chain';

/** The accounts every token-moving instruction names. */
async function common(config: Config) {
  const [configAddress] = await findConfigPda();
  return { config: configAddress, mint: config.mint, tokenProgram: config.tokenProgram };
}

/** `stake` (R6): the owner adds `amount` to the device. */
export async function stakeIx(signer: TransactionSigner, config: Config, device: Located<Device>, amount: bigint): Promise<Instruction> {
  const c = await common(config);
  const ownerToken = await associatedTokenAddress(signer.address, config.mint, config.tokenProgram);
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
  const ownerToken = await associatedTokenAddress(signer.address, config.mint, config.tokenProgram);
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

/**
 * `unstake` (R15), naming the positions it unstakes as the program expects them: the filled
 * offer and its co-staker's profile first, then every exiting offer still in its wait at `now`.
 */
export async function unstakeIx(signer: TransactionSigner, device: Located<Device>, now: number): Promise<Instruction> {
  const [config] = await findConfigPda();
  const ticket = await ticketAddress(device.address, device.data.nextTicketSeq);
  const ix = getUnstakeInstruction({ owner: signer, config, device: device.address, ticket });
  const extra: Address[] = [];
  if (device.data.filled.__option === 'Some') {
    const filled = device.data.filled.value;
    extra.push(await offerAddress(device.address, filled.seq));
    extra.push((await findProfilePda({ costaker: filled.costaker }))[0]);
  }
  for (const exiting of device.data.exiting) {
    if (exiting.waitEnd !== 0n && BigInt(now) < exiting.waitEnd) extra.push(await offerAddress(device.address, exiting.seq));
  }
  return { ...ix, accounts: [...ix.accounts, ...extra.map((address) => ({ address, role: AccountRole.WRITABLE }))] };
}

/** `withdraw_ticket` (R16): the owner's principal back once the ticket is ripe. */
export async function withdrawTicketIx(signer: TransactionSigner, config: Config, device: Located<Device>, ticket: Located<{ payer: Address; seq: bigint }>): Promise<Instruction> {
  const c = await common(config);
  const ownerToken = await associatedTokenAddress(device.data.owner, config.mint, config.tokenProgram);
  return getWithdrawTicketInstruction({
    ...c,
    caller: signer,
    device: device.address,
    ticket: ticket.address,
    owner: device.data.owner,
    ownerToken,
    stakeVault: device.data.stakeVault,
    payer: ticket.data.payer,
  });
}

/** `fill_offer` (R11) restating the offer's terms. */
export async function fillOfferIx(signer: TransactionSigner, config: Config, device: Located<Device>, offer: Located<Offer>): Promise<Instruction> {
  const c = await common(config);
  const [profile] = await findProfilePda({ costaker: signer.address });
  const costakerToken = await associatedTokenAddress(signer.address, config.mint, config.tokenProgram);
  return getFillOfferInstruction({
    ...c,
    costaker: signer,
    device: device.address,
    offer: offer.address,
    profile,
    stakeVault: device.data.stakeVault,
    costakerToken,
    seq: offer.data.seq,
    amount: offer.data.amount,
    rewardShareBps: offer.data.rewardShareBps,
  });
}

/** `cancel_costake` (R13). */
export async function cancelCostakeIx(signer: TransactionSigner, offer: Located<Offer>): Promise<Instruction> {
  const [config] = await findConfigPda();
  const [profile] = await findProfilePda({ costaker: signer.address });
  return getCancelCostakeInstruction({ costaker: signer, config, device: offer.data.device, offer: offer.address, profile });
}

/** `withdraw_position` (R16): principal and unclaimed rewards back to the co-staker. */
export async function withdrawPositionIx(signer: TransactionSigner, config: Config, device: Located<Device>, offer: Located<Offer>): Promise<Instruction> {
  const c = await common(config);
  const costakerToken = await associatedTokenAddress(offer.data.costaker, config.mint, config.tokenProgram);
  return getWithdrawPositionInstruction({
    ...c,
    caller: signer,
    device: device.address,
    offer: offer.address,
    costaker: offer.data.costaker,
    costakerToken,
    stakeVault: device.data.stakeVault,
    overflowVault: device.data.overflowVault,
    payer: offer.data.payer,
  });
}

/** `claim_rewards` (R12): the position's unclaimed rewards. */
export async function claimRewardsIx(signer: TransactionSigner, config: Config, device: Located<Device>, offer: Located<Offer>): Promise<Instruction> {
  const c = await common(config);
  const costakerToken = await associatedTokenAddress(signer.address, config.mint, config.tokenProgram);
  return getClaimRewardsInstruction({ ...c, costaker: signer, device: device.address, offer: offer.address, overflowVault: device.data.overflowVault, costakerToken });
}
