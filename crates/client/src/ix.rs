//! Instruction builders. Each one fills Anchor's generated account struct
//! (`device_staking::accounts::*`) and argument struct (`device_staking::instruction::*`) and hands
//! them to [`build`]; derived accounts (PDAs, programs) are filled in here so callers pass only
//! what they choose.
use crate::pda;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::instruction::AccountMeta;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use device_staking::instructions::distribute_rewards::RewardEntry;
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

/// `propose_admin` (R31): the admin proposes `new_admin`.
pub fn propose_admin(admin: Pubkey, new_admin: Pubkey) -> Instruction {
    build(admin_only(admin), instruction::ProposeAdmin { new_admin })
}

/// `accept_admin` (R31): the proposed admin accepts.
pub fn accept_admin(pending_admin: Pubkey) -> Instruction {
    build(accounts::AcceptAdmin { pending_admin, config: pda::config().0 }, instruction::AcceptAdmin {})
}

/// `propose_role` (R31): the admin proposes a new key for `role`, in force after the delay.
pub fn propose_role(admin: Pubkey, role: Role, key: Pubkey) -> Instruction {
    build(admin_only(admin), instruction::ProposeRole { role, key })
}

/// `set_paused` (R32).
pub fn set_paused(admin: Pubkey, paused: bool) -> Instruction {
    build(admin_only(admin), instruction::SetPaused { paused })
}

/// `update_params` (R33).
pub fn update_params(admin: Pubkey, params: Params) -> Instruction {
    build(admin_only(admin), instruction::UpdateParams { params })
}

/// `register_device` (R3): signed by `owner` (payer) and `oracle`.
pub fn register_device(owner: Pubkey, oracle: Pubkey, device_id: [u8; 32], gpu_count: u16, multiplier_bps: u32, mint: &Mint) -> Instruction {
    let device = pda::device(&device_id).0;
    build(
        accounts::RegisterDevice {
            owner,
            oracle,
            config: pda::config().0,
            device,
            stake_vault: pda::stake_vault(&device).0,
            overflow_vault: pda::overflow_vault(&device).0,
            mint: mint.mint,
            token_program: mint.token_program,
            system_program: system_program::ID,
        },
        instruction::RegisterDevice { device_id, gpu_count, multiplier_bps },
    )
}

fn oracle_device(oracle: Pubkey, device: Pubkey) -> accounts::OracleDevice {
    accounts::OracleDevice { oracle, config: pda::config().0, device }
}

/// `update_hardware` (R2): the oracle attests new hardware.
pub fn update_hardware(oracle: Pubkey, device: Pubkey, gpu_count: u16, multiplier_bps: u32) -> Instruction {
    build(oracle_device(oracle, device), instruction::UpdateHardware { gpu_count, multiplier_bps })
}

/// `refresh_min` (R2): anyone, after the base changed.
pub fn refresh_min(device: Pubkey) -> Instruction {
    build(accounts::RefreshMin { config: pda::config().0, device }, instruction::RefreshMin {})
}

/// `set_hired` (R7).
pub fn set_hired(oracle: Pubkey, device: Pubkey, hired: bool) -> Instruction {
    build(oracle_device(oracle, device), instruction::SetHired { hired })
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
    build(
        accounts::CreateOffer {
            owner,
            config: pda::config().0,
            device,
            offer: pda::offer(&device, seq).0,
            system_program: system_program::ID,
        },
        instruction::CreateOffer { amount, reward_share_bps },
    )
}

/// `retract_offer` (R10): `payer` is the offer's rent payer (the owner).
pub fn retract_offer(owner: Pubkey, device: Pubkey, seq: u64, payer: Pubkey) -> Instruction {
    build(
        accounts::RetractOffer { owner, device, offer: pda::offer(&device, seq).0, payer },
        instruction::RetractOffer {},
    )
}

/// `fill_offer` (R11): the co-staker restates the terms.
pub fn fill_offer(costaker: Pubkey, device: Pubkey, seq: u64, amount: u64, reward_share_bps: u16, costaker_token: Pubkey, mint: &Mint) -> Instruction {
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

/// `withdraw_overflow` (R12): pays to `owner_token`.
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

/// `claim_rewards` (R12): a co-staker's rewards to `costaker_token`.
pub fn claim_rewards(costaker: Pubkey, device: Pubkey, seq: u64, costaker_token: Pubkey, mint: &Mint) -> Instruction {
    build(
        accounts::ClaimRewards {
            costaker,
            config: pda::config().0,
            device,
            offer: pda::offer(&device, seq).0,
            overflow_vault: pda::overflow_vault(&device).0,
            costaker_token,
            mint: mint.mint,
            token_program: mint.token_program,
        },
        instruction::ClaimRewards {},
    )
}

/// `cancel_costake` (R13).
pub fn cancel_costake(costaker: Pubkey, device: Pubkey, seq: u64) -> Instruction {
    build(
        accounts::CancelCostake {
            costaker,
            config: pda::config().0,
            device,
            offer: pda::offer(&device, seq).0,
            profile: pda::costaker(&costaker).0,
        },
        instruction::CancelCostake {},
    )
}

/// `unstake` (R15). `positions` are the device's positions to unstake with the owner, as
/// `Device::positions_to_unstake` orders them: (seq, co-staker) of the filled one first (its
/// profile follows it), then the exits in their wait. Use [`unstake_for`] to derive them.
pub fn unstake(owner: Pubkey, device: Pubkey, ticket_seq: u64, filled: Option<(u64, Pubkey)>, exiting: &[u64]) -> Instruction {
    let mut ix = build(
        accounts::Unstake {
            owner,
            config: pda::config().0,
            device,
            ticket: pda::ticket(&device, ticket_seq).0,
            system_program: system_program::ID,
        },
        instruction::Unstake {},
    );
    if let Some((seq, costaker)) = filled {
        ix.accounts.push(AccountMeta::new(pda::offer(&device, seq).0, false));
        ix.accounts.push(AccountMeta::new(pda::costaker(&costaker).0, false));
    }
    ix.accounts.extend(exiting.iter().map(|seq| AccountMeta::new(pda::offer(&device, *seq).0, false)));
    ix
}

/// `unstake` (R15) with the positions read off the decoded `device` at `now`.
pub fn unstake_for(owner: Pubkey, device_key: Pubkey, device: &Device, now: i64) -> Instruction {
    let filled = device.filled.map(|f| (f.seq, f.costaker));
    let exiting: Vec<u64> = device.exiting.iter().filter(|e| e.counts_at(now)).map(|e| e.seq).collect();
    unstake(owner, device_key, device.next_ticket_seq, filled, &exiting)
}

/// `withdraw_ticket` (R16): anyone; pays the owner's associated token account.
pub fn withdraw_ticket(caller: Pubkey, device: Pubkey, owner: Pubkey, ticket_seq: u64, payer: Pubkey, mint: &Mint) -> Instruction {
    build(
        accounts::WithdrawTicket {
            caller,
            config: pda::config().0,
            device,
            ticket: pda::ticket(&device, ticket_seq).0,
            owner,
            owner_token: associated_token(&owner, mint),
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

/// `withdraw_position` (R16): anyone; pays the co-staker's associated token account.
pub fn withdraw_position(caller: Pubkey, device: Pubkey, seq: u64, costaker: Pubkey, payer: Pubkey, mint: &Mint) -> Instruction {
    build(
        accounts::WithdrawPosition {
            caller,
            config: pda::config().0,
            device,
            offer: pda::offer(&device, seq).0,
            costaker,
            costaker_token: associated_token(&costaker, mint),
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

/// One device of a reward batch: the device, the amount, and its filled position's seq if any.
#[derive(Clone, Copy, Debug)]
pub struct RewardTarget {
    /// The device PDA.
    pub device: Pubkey,
    /// Tokens for it.
    pub amount: u64,
    /// Its filled position's sequence number, if it has one.
    pub filled_seq: Option<u64>,
}

/// `distribute_rewards` (R20): one block for many devices, paid from `source`.
pub fn distribute_rewards(reward_authority: Pubkey, source: Pubkey, block_id: u64, block_start: i64, block_end: i64, targets: &[RewardTarget], mint: &Mint) -> Instruction {
    let entries = targets.iter().map(|t| RewardEntry { amount: t.amount, with_offer: t.filled_seq.is_some() }).collect();
    let mut ix = build(
        accounts::DistributeRewards { reward_authority, config: pda::config().0, source, mint: mint.mint, token_program: mint.token_program },
        instruction::DistributeRewards { block_id, block_start, block_end, entries },
    );
    for t in targets {
        ix.accounts.push(AccountMeta::new(t.device, false));
        ix.accounts.push(AccountMeta::new(pda::overflow_vault(&t.device).0, false));
        if let Some(seq) = t.filled_seq {
            ix.accounts.push(AccountMeta::new(pda::offer(&t.device, seq).0, false));
        }
    }
    ix
}

/// `slash` (R40): `ticket_seq` of the owner's outstanding ticket if any; `positions` in the order to take from.
pub fn slash(slash_authority: Pubkey, device: Pubkey, treasury_token: Pubkey, ticket_seq: Option<u64>, positions: &[u64], amount: u64, mint: &Mint) -> Instruction {
    let mut ix = build(
        accounts::Slash {
            slash_authority,
            config: pda::config().0,
            device,
            stake_vault: pda::stake_vault(&device).0,
            ticket: ticket_seq.map(|s| pda::ticket(&device, s).0),
            treasury_token,
            mint: mint.mint,
            token_program: mint.token_program,
        },
        instruction::Slash { amount },
    );
    ix.accounts.extend(positions.iter().map(|seq| AccountMeta::new(pda::offer(&device, *seq).0, false)));
    ix
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
        },
        instruction::CloseDevice {},
    )
}

/// `device_status` (R54): simulate it and decode the return data as `DeviceStatus`.
pub fn device_status(device: Pubkey, ticket_seq: Option<u64>, positions: &[u64]) -> Instruction {
    let mut ix = build(
        accounts::DeviceStatusAccounts { config: pda::config().0, device, ticket: ticket_seq.map(|s| pda::ticket(&device, s).0) },
        instruction::DeviceStatus {},
    );
    ix.accounts.extend(positions.iter().map(|seq| AccountMeta::new_readonly(pda::offer(&device, *seq).0, false)));
    ix
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
        // discriminator, five keys, and the `None` tag of `params`
        assert_eq!(ix.data.len(), disc.len() + 5 * 32 + 1);
        assert_eq!(&ix.data[disc.len()..disc.len() + 32], args.admin.as_ref());
        assert_eq!(ix.data.last(), Some(&0));
    }
}
