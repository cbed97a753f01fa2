//! Instruction builders. Each one fills Anchor's generated account struct
//! (`device_staking::accounts::*`) and argument struct (`device_staking::instruction::*`) and hands
//! them to [`build`]; derived accounts (PDAs, programs) are filled in here so callers pass only
//! what they choose.
use crate::pda;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::AccountMeta;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use device_staking::instructions::initialize::InitializeArgs;
use device_staking::state::{Device, Params, Role};
use device_staking::{accounts, instruction, ID};

/// An instruction of this program from any Anchor account struct and instruction-data struct.
/// Also the way to build a deliberately wrong instruction (e.g. a substituted account) in tests.
pub fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

/// `initialize` (R30): creates the config. `authority` must be the program's upgrade authority
/// and signs and pays; `token_program` is the mint's owner (SPL Token or Token-2022).
pub fn initialize(authority: Pubkey, mint: Pubkey, token_program: Pubkey, args: InitializeArgs) -> Instruction {
    build(
        accounts::Initialize {
            authority,
            config: pda::config().0,
            mint,
            token_program,
            program: ID,
            program_data: pda::program_data(&ID).0,
            system_program: system_program::ID,
        },
        instruction::Initialize { args },
    )
}

/// The accounts every token-moving instruction repeats: the config's mint and token program.
#[derive(Clone, Copy, Debug)]
pub struct Mint {
    /// The staking mint.
    pub mint: Pubkey,
    /// The mint's token program (SPL Token or Token-2022).
    pub token_program: Pubkey,
}

/// The associated token account of `wallet` for `mint`.
pub fn associated_token(wallet: &Pubkey, mint: &Mint) -> Pubkey {
    anchor_spl::associated_token::get_associated_token_address_with_program_id(wallet, &mint.mint, &mint.token_program)
}

fn admin_only(admin: Pubkey) -> accounts::AdminOnly {
    accounts::AdminOnly { admin, config: pda::config().0 }
}

/// `propose_role` (R31, R34): the admin proposes `key` for `role`; it accepts and takes effect at R34's time.
pub fn propose_role(admin: Pubkey, role: Role, key: Pubkey) -> Instruction {
    build(admin_only(admin), instruction::ProposeRole { role, key })
}

/// `accept_role` (R31): the proposed key accepts `role`.
pub fn accept_role(new_key: Pubkey, role: Role) -> Instruction {
    build(accounts::AcceptRole { new_key, config: pda::config().0 }, instruction::AcceptRole { role })
}

/// `cancel_role` (R31): the admin cancels a pending change of `role`.
pub fn cancel_role(admin: Pubkey, role: Role) -> Instruction {
    build(admin_only(admin), instruction::CancelRole { role })
}

/// `revoke_role` (R34): the admin sets the oracle, reward or slash authority to none at once.
pub fn revoke_role(admin: Pubkey, role: Role) -> Instruction {
    build(admin_only(admin), instruction::RevokeRole { role })
}

/// `set_paused` (R32).
pub fn set_paused(admin: Pubkey, paused: bool) -> Instruction {
    build(admin_only(admin), instruction::SetPaused { paused })
}

/// `update_params` (R33, R34): proposes `params`; they apply at R34's time.
pub fn update_params(admin: Pubkey, params: Params) -> Instruction {
    build(admin_only(admin), instruction::UpdateParams { params })
}

/// `cancel_params` (R31): cancels pending parameters.
pub fn cancel_params(admin: Pubkey) -> Instruction {
    build(admin_only(admin), instruction::CancelParams {})
}

/// `lower_slash_cap` (R34): lowers the slash cap at once.
pub fn lower_slash_cap(admin: Pubkey, max_slash_bps_per_30d: u16) -> Instruction {
    build(admin_only(admin), instruction::LowerSlashCap { max_slash_bps_per_30d })
}

/// `register_device` (R3): signed by `owner` (payer) and `oracle`; the vaults at their canonical
/// bumps, which the instruction carries (the program proves them by signing, searches none).
pub fn register_device(
    owner: Pubkey,
    oracle: Pubkey,
    device_id: [u8; 32],
    gpu_count: u16,
    multiplier_bps: u32,
    mint: &Mint,
) -> Instruction {
    let device = pda::device(&device_id).0;
    let (stake_vault, stake_bump) = pda::stake_vault(&device);
    let (overflow_vault, overflow_bump) = pda::overflow_vault(&device);
    build(
        accounts::RegisterDevice {
            owner,
            oracle,
            config: pda::config().0,
            device,
            stake_vault,
            overflow_vault,
            mint: mint.mint,
            token_program: mint.token_program,
            system_program: system_program::ID,
        },
        instruction::RegisterDevice { device_id, gpu_count, multiplier_bps, vault_bumps: [stake_bump, overflow_bump] },
    )
}

fn oracle_device(oracle: Pubkey, device: Pubkey) -> accounts::OracleDevice {
    accounts::OracleDevice { oracle, config: pda::config().0, device }
}

/// `update_hardware` (R2): the oracle attests new hardware.
pub fn update_hardware(oracle: Pubkey, device: Pubkey, gpu_count: u16, multiplier_bps: u32) -> Instruction {
    build(oracle_device(oracle, device), instruction::UpdateHardware { gpu_count, multiplier_bps })
}

/// `set_hired` (R7): hired until `until` (at most 30 days ahead; 0 clears it).
pub fn set_hired(oracle: Pubkey, device: Pubkey, until: i64) -> Instruction {
    build(oracle_device(oracle, device), instruction::SetHired { until })
}

/// `terminate` (R7).
pub fn terminate(oracle: Pubkey, device: Pubkey) -> Instruction {
    build(oracle_device(oracle, device), instruction::Terminate {})
}

/// `stake` (R6): the owner pays `amount` in from `owner_token`.
pub fn stake(owner: Pubkey, device: Pubkey, owner_token: Pubkey, amount: u64, mint: &Mint) -> Instruction {
    build(
        accounts::Stake {
            owner,
            config: pda::config().0,
            device,
            stake_vault: pda::stake_vault(&device).0,
            owner_token,
            mint: mint.mint,
            token_program: mint.token_program,
        },
        instruction::Stake { amount },
    )
}

/// `create_offer` (R9): `seq` must be the device's `next_offer_seq`.
pub fn create_offer(owner: Pubkey, device: Pubkey, seq: u64, amount: u64, reward_share_bps: u16) -> Instruction {
    let (offer, bump) = pda::offer(&device, seq);
    build(
        accounts::CreateOffer { owner, config: pda::config().0, device, offer, system_program: system_program::ID },
        instruction::CreateOffer { amount, reward_share_bps, bump },
    )
}

/// `retract_offer` (R10): `payer` is the offer's rent payer (the owner).
pub fn retract_offer(owner: Pubkey, device: Pubkey, seq: u64, payer: Pubkey) -> Instruction {
    build(accounts::RetractOffer { owner, device, offer: pda::offer(&device, seq).0, payer }, instruction::RetractOffer {})
}

/// `fill_offer` (R11): the co-staker restates the terms.
pub fn fill_offer(
    costaker: Pubkey,
    device: Pubkey,
    seq: u64,
    amount: u64,
    reward_share_bps: u16,
    costaker_token: Pubkey,
    mint: &Mint,
) -> Instruction {
    build(
        accounts::FillOffer {
            costaker,
            config: pda::config().0,
            device,
            offer: pda::offer(&device, seq).0,
            profile: pda::costaker(&costaker).0,
            stake_vault: pda::stake_vault(&device).0,
            costaker_token,
            mint: mint.mint,
            token_program: mint.token_program,
            system_program: system_program::ID,
        },
        instruction::FillOffer { seq, amount, reward_share_bps },
    )
}

/// `withdraw_overflow` (R12): pays to `owner_token` (any token account of the mint).
pub fn withdraw_overflow(owner: Pubkey, device: Pubkey, owner_token: Pubkey, amount: u64, mint: &Mint) -> Instruction {
    build(
        accounts::WithdrawOverflow {
            owner,
            config: pda::config().0,
            device,
            stake_vault: pda::stake_vault(&device).0,
            overflow_vault: pda::overflow_vault(&device).0,
            owner_token,
            mint: mint.mint,
            token_program: mint.token_program,
        },
        instruction::WithdrawOverflow { amount },
    )
}

/// `claim_rewards` (R12): a co-staker's rewards to `costaker_token` (any token account of the mint).
pub fn claim_rewards(costaker: Pubkey, device: Pubkey, seq: u64, costaker_token: Pubkey, mint: &Mint) -> Instruction {
    build(
        accounts::ClaimRewards {
            costaker,
            config: pda::config().0,
            device,
            overflow_vault: pda::overflow_vault(&device).0,
            costaker_token,
            mint: mint.mint,
            token_program: mint.token_program,
        },
        instruction::ClaimRewards { seq },
    )
}

/// `cancel_costake` (R13).
pub fn cancel_costake(costaker: Pubkey, device: Pubkey, seq: u64) -> Instruction {
    build(
        accounts::CancelCostake { costaker, config: pda::config().0, device, profile: pda::costaker(&costaker).0 },
        instruction::CancelCostake { seq },
    )
}

/// `unstake` (R15). `filled_costaker` is the co-staker of the device's filled position, if any
/// (their profile's count drops); [`unstake_for`] reads it off the decoded device.
pub fn unstake(owner: Pubkey, device: Pubkey, ticket_seq: u64, filled_costaker: Option<Pubkey>) -> Instruction {
    let (ticket, ticket_bump) = pda::ticket(&device, ticket_seq);
    build(
        accounts::Unstake {
            owner,
            config: pda::config().0,
            device,
            ticket,
            profile: filled_costaker.map(|c| pda::costaker(&c).0),
            system_program: system_program::ID,
        },
        instruction::Unstake { ticket_bump },
    )
}

/// `unstake` (R15) with the ticket number and the filled position read off the decoded `device`.
pub fn unstake_for(owner: Pubkey, device_key: Pubkey, device: &Device) -> Instruction {
    unstake(owner, device_key, device.next_ticket_seq, device.filled_position().map(|p| p.costaker))
}

/// Where a withdrawal pays (R16): signed by the staker, any token account of the mint they
/// name; sent by anyone else, the staker's associated token account.
pub fn recipient(caller: &Pubkey, staker: &Pubkey, named: Option<Pubkey>, mint: &Mint) -> Pubkey {
    match named {
        Some(account) if caller == staker => account,
        _ => associated_token(staker, mint),
    }
}

/// `withdraw_ticket` (R16): pays the owner's ripe ticket (`ticket_seq`: the device's
/// `ticket_seq`) to `destination` (see [`recipient`]); the ticket's rent to `payer`.
pub fn withdraw_ticket(
    caller: Pubkey,
    device: Pubkey,
    owner: Pubkey,
    ticket_seq: u64,
    payer: Pubkey,
    destination: Pubkey,
    mint: &Mint,
) -> Instruction {
    build(
        accounts::WithdrawTicket {
            caller,
            config: pda::config().0,
            device,
            ticket: pda::ticket(&device, ticket_seq).0,
            owner,
            destination,
            stake_vault: pda::stake_vault(&device).0,
            payer,
            mint: mint.mint,
            token_program: mint.token_program,
            associated_token_program: anchor_spl::associated_token::ID,
            system_program: system_program::ID,
        },
        instruction::WithdrawTicket {},
    )
}

/// `withdraw_position` (R16): pays a ripe position to `destination` (see [`recipient`]); the
/// offer's rent to `payer`.
pub fn withdraw_position(
    caller: Pubkey,
    device: Pubkey,
    seq: u64,
    costaker: Pubkey,
    payer: Pubkey,
    destination: Pubkey,
    mint: &Mint,
) -> Instruction {
    build(
        accounts::WithdrawPosition {
            caller,
            config: pda::config().0,
            device,
            offer: pda::offer(&device, seq).0,
            costaker,
            destination,
            stake_vault: pda::stake_vault(&device).0,
            overflow_vault: pda::overflow_vault(&device).0,
            payer,
            mint: mint.mint,
            token_program: mint.token_program,
            associated_token_program: anchor_spl::associated_token::ID,
            system_program: system_program::ID,
        },
        instruction::WithdrawPosition {},
    )
}

/// `release` (R16): anyone moves a ripe position into its offer's escrow (the caller pays the escrow's rent).
pub fn release(caller: Pubkey, device: Pubkey, seq: u64, mint: &Mint) -> Instruction {
    let offer = pda::offer(&device, seq).0;
    let (escrow, escrow_bump) = pda::escrow(&offer);
    build(
        accounts::Release {
            caller,
            config: pda::config().0,
            device,
            offer,
            escrow,
            stake_vault: pda::stake_vault(&device).0,
            overflow_vault: pda::overflow_vault(&device).0,
            mint: mint.mint,
            token_program: mint.token_program,
            system_program: system_program::ID,
        },
        instruction::Release { escrow_bump },
    )
}

/// `withdraw_escrow` (R16): the co-staker empties a released position's escrow into
/// `destination`; rents to the offer's `payer` and the `escrow_payer`.
pub fn withdraw_escrow(
    costaker: Pubkey,
    device: Pubkey,
    seq: u64,
    destination: Pubkey,
    payer: Pubkey,
    escrow_payer: Pubkey,
    mint: &Mint,
) -> Instruction {
    let offer = pda::offer(&device, seq).0;
    build(
        accounts::WithdrawEscrow {
            costaker,
            config: pda::config().0,
            offer,
            escrow: pda::escrow(&offer).0,
            destination,
            payer,
            escrow_payer,
            mint: mint.mint,
            token_program: mint.token_program,
        },
        instruction::WithdrawEscrow {},
    )
}

/// One device of a reward batch.
#[derive(Clone, Copy, Debug)]
pub struct RewardTarget {
    /// The device PDA.
    pub device: Pubkey,
    /// Tokens for it.
    pub amount: u64,
}

/// `distribute_rewards` (R20): one block for many devices, paid from `source`. The program picks
/// each device's earning position itself: an entry needs only the device and its overflow vault.
pub fn distribute_rewards(
    reward_authority: Pubkey,
    source: Pubkey,
    block_id: u64,
    block_start: i64,
    block_end: i64,
    targets: &[RewardTarget],
    mint: &Mint,
) -> Instruction {
    let amounts = targets.iter().map(|t| t.amount).collect();
    let mut ix = build(
        accounts::DistributeRewards {
            reward_authority,
            config: pda::config().0,
            source,
            mint: mint.mint,
            token_program: mint.token_program,
        },
        instruction::DistributeRewards { block_id, block_start, block_end, amounts },
    );
    for t in targets {
        ix.accounts.push(AccountMeta::new(t.device, false));
        ix.accounts.push(AccountMeta::new(pda::overflow_vault(&t.device).0, false));
    }
    ix
}

/// `slash` (R40): up to `amount` for an incident at `incident_at`, to `treasury`'s associated
/// token account (created if missing, at the slash authority's cost).
pub fn slash(
    slash_authority: Pubkey,
    device: Pubkey,
    treasury: Pubkey,
    amount: u64,
    incident_at: i64,
    mint: &Mint,
) -> Instruction {
    build(
        accounts::Slash {
            slash_authority,
            config: pda::config().0,
            device,
            stake_vault: pda::stake_vault(&device).0,
            treasury,
            treasury_token: associated_token(&treasury, mint),
            mint: mint.mint,
            token_program: mint.token_program,
            associated_token_program: anchor_spl::associated_token::ID,
            system_program: system_program::ID,
        },
        instruction::Slash { amount, incident_at },
    )
}

/// `hold` (R41).
pub fn hold(slash_authority: Pubkey, device: Pubkey, until: i64) -> Instruction {
    build(accounts::Hold { slash_authority, config: pda::config().0, device }, instruction::Hold { until })
}

/// `sweep_surplus` (R52): donated surplus of both vaults to `treasury_token`.
pub fn sweep_surplus(admin: Pubkey, device: Pubkey, treasury_token: Pubkey, mint: &Mint) -> Instruction {
    build(
        accounts::SweepSurplus {
            admin,
            config: pda::config().0,
            device,
            stake_vault: pda::stake_vault(&device).0,
            overflow_vault: pda::overflow_vault(&device).0,
            treasury_token,
            mint: mint.mint,
            token_program: mint.token_program,
        },
        instruction::SweepSurplus {},
    )
}

/// `close_device` (R8): rent to `payer`, donated leftovers to `treasury_token`.
pub fn close_device(owner: Pubkey, device: Pubkey, treasury_token: Pubkey, payer: Pubkey, mint: &Mint) -> Instruction {
    build(
        accounts::CloseDevice {
            owner,
            config: pda::config().0,
            device,
            stake_vault: pda::stake_vault(&device).0,
            overflow_vault: pda::overflow_vault(&device).0,
            treasury_token,
            payer,
            mint: mint.mint,
            token_program: mint.token_program,
            system_program: system_program::ID,
        },
        instruction::CloseDevice {},
    )
}

/// `close_profile` (R18): a co-staker closes a profile that counts no positions; rent to `payer`.
pub fn close_profile(wallet: Pubkey, payer: Pubkey) -> Instruction {
    build(accounts::CloseProfile { wallet, profile: pda::costaker(&wallet).0, payer }, instruction::CloseProfile {})
}

fn owner_device(owner: Pubkey, device: Pubkey) -> accounts::OwnerDevice {
    accounts::OwnerDevice { owner, config: pda::config().0, device }
}

/// `transfer_device` (R19): the owner proposes `new_owner`.
pub fn transfer_device(owner: Pubkey, device: Pubkey, new_owner: Pubkey) -> Instruction {
    build(owner_device(owner, device), instruction::TransferDevice { new_owner })
}

/// `cancel_transfer` (R19).
pub fn cancel_transfer(owner: Pubkey, device: Pubkey) -> Instruction {
    build(owner_device(owner, device), instruction::CancelTransfer {})
}

/// `accept_device` (R19): the proposed wallet accepts.
pub fn accept_device(new_owner: Pubkey, device: Pubkey) -> Instruction {
    build(accounts::AcceptDevice { new_owner, config: pda::config().0, device }, instruction::AcceptDevice {})
}

/// `device_status` (R54): simulate it and decode the return data as `DeviceStatus`. It takes no
/// position or ticket accounts: the device's table is the truth.
pub fn device_status(device: Pubkey) -> Instruction {
    build(accounts::DeviceStatusAccounts { config: pda::config().0, device }, instruction::DeviceStatus {})
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::Discriminator;

    #[test]
    fn initialize_lists_the_accounts_in_order_and_prefixes_the_discriminator() {
        let (authority, mint, token) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let args = InitializeArgs {
            admin: Pubkey::new_unique(),
            oracle: Pubkey::new_unique(),
            reward_authority: Pubkey::new_unique(),
            slash_authority: Pubkey::new_unique(),
            treasury: Pubkey::new_unique(),
            floors: device_staking::state::Floors { cover_window_secs: 1, cooldown_secs: 1, role_change_delay_secs: 0 },
            params: None,
        };
        let ix = initialize(authority, mint, token, args.clone());
        assert_eq!(ix.program_id, ID);
        let keys: Vec<_> = ix.accounts.iter().map(|m| (m.pubkey, m.is_signer, m.is_writable)).collect();
        assert_eq!(
            keys,
            [
                (authority, true, true),
                (pda::config().0, false, true),
                (mint, false, false),
                (token, false, false),
                (ID, false, false),
                (pda::program_data(&ID).0, false, false),
                (system_program::ID, false, false),
            ]
        );
        let disc = instruction::Initialize::DISCRIMINATOR;
        assert!(ix.data.starts_with(disc));
        // discriminator, five keys, three floors, and the `None` tag of `params`
        assert_eq!(ix.data.len(), disc.len() + 5 * 32 + 3 * 8 + 1);
        assert_eq!(&ix.data[disc.len()..disc.len() + 32], args.admin.as_ref());
        assert_eq!(ix.data.last(), Some(&0));
    }
}
