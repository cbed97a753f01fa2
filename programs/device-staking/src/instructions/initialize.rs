//! R30: `initialize`, by the program's upgrade authority only: the mint (Token-2022 extensions
//! that could break the vaults' ledgers are refused), the roles, the floors and the parameters.
use crate::constants::CONFIG_SEED;
use crate::error::StakingError;
use crate::events::Initialized;
use crate::state::{Config, ConfigSetup, Floors, Params, CONFIG_SIZE};
use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions};
use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;
use anchor_spl::token_interface::{Mint, TokenInterface};

/// Roles and parameters set at initialize.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializeArgs {
    /// The admin.
    pub admin: Pubkey,
    /// The oracle.
    pub oracle: Pubkey,
    /// The reward authority.
    pub reward_authority: Pubkey,
    /// The slash authority.
    pub slash_authority: Pubkey,
    /// The treasury wallet.
    pub treasury: Pubkey,
    /// The floors of the protection windows, never lowered afterwards (1 d / 7 d / 7 d on devnet and mainnet).
    pub floors: Floors,
    /// The parameters; `None` for the protocol's defaults.
    pub params: Option<Params>,
}

#[derive(Accounts)]
pub struct Initialize<'info> {
    /// The program's upgrade authority; pays the config's rent.
    #[account(mut)]
    pub authority: Signer<'info>,
    /// The config PDA, created here (a second initialize fails: it exists).
    #[account(init, payer = authority, space = 8 + CONFIG_SIZE, seeds = [CONFIG_SEED], bump)]
    pub config: AccountLoader<'info, Config>,
    /// The staking mint (SPL Token or Token-2022).
    #[account(mint::token_program = token_program)]
    pub mint: InterfaceAccount<'info, Mint>,
    /// The mint's token program.
    pub token_program: Interface<'info, TokenInterface>,
    /// This program's account.
    /// CHECK: its address is the program id; `upgrade_authority` reads its program-data address.
    #[account(address = crate::ID)]
    pub program: UncheckedAccount<'info>,
    /// The program's ProgramData account (holds the upgrade authority).
    /// CHECK: `upgrade_authority` checks its address and owner and reads it by hand.
    #[account(constraint = upgrade_authority(&program, &program_data)? == Some(authority.key()) @ StakingError::NotUpgradeAuthority)]
    pub program_data: UncheckedAccount<'info>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

/// The upgrade authority recorded in the program's ProgramData account, read by hand from the
/// upgradeable loader's layout (a little-endian u32 variant tag; `Program` = 2 then the
/// program-data address; `ProgramData` = 3 then a u64 slot and an optional authority: a one-byte
/// tag and 32 bytes), so no general deserializer is linked in. `WrongProgramData` when
/// `program_data` is not the program's, loader-owned ProgramData account.
fn upgrade_authority(program: &AccountInfo, program_data: &AccountInfo) -> Result<Option<Pubkey>> {
    let loader = anchor_lang::solana_program::bpf_loader_upgradeable::ID;
    let program_bytes = program.try_borrow_data()?;
    let recorded = match (program.owner == &loader, program_bytes.get(..36)) {
        (true, Some(bytes)) if bytes[..4] == 2u32.to_le_bytes() => Pubkey::try_from(&bytes[4..36]).ok(),
        _ => None,
    };
    require!(recorded == Some(program_data.key()), StakingError::WrongProgramData);
    require_keys_eq!(*program_data.owner, loader, StakingError::WrongProgramData);
    let data = program_data.try_borrow_data()?;
    let header = data.get(..45).ok_or_else(|| error!(StakingError::WrongProgramData))?;
    require!(header[..4] == 3u32.to_le_bytes(), StakingError::WrongProgramData);
    Ok(match header[12] {
        1 => Pubkey::try_from(&header[13..45]).ok(),
        _ => None,
    })
}

/// Token-2022 extensions the protocol refuses (R30): they could take fees, block or redirect
/// transfers, hide balances, or let the mint be closed and re-created, so a vault could end up
/// holding less than its ledger.
const FORBIDDEN_EXTENSIONS: [ExtensionType; 9] = [
    ExtensionType::TransferFeeConfig,
    ExtensionType::TransferHook,
    ExtensionType::PermanentDelegate,
    ExtensionType::NonTransferable,
    ExtensionType::ConfidentialTransferMint,
    ExtensionType::ConfidentialTransferFeeConfig,
    ExtensionType::Pausable,
    ExtensionType::DefaultAccountState,
    ExtensionType::MintCloseAuthority,
];

fn check_mint_extensions(mint: &AccountInfo) -> Result<()> {
    if mint.owner != &anchor_spl::token_2022::ID {
        return Ok(());
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data)?;
    let types = state.get_extension_types()?;
    require!(!types.iter().any(|t| FORBIDDEN_EXTENSIONS.contains(t)), StakingError::ForbiddenMintExtension);
    Ok(())
}

pub fn handler(ctx: Context<Initialize>, args: InitializeArgs) -> Result<()> {
    check_mint_extensions(&ctx.accounts.mint.to_account_info())?;
    let decimals = ctx.accounts.mint.decimals;
    let params = match args.params {
        Some(p) => p,
        None => Params::defaults(decimals)?,
    };
    args.floors.validate()?;
    params.validate(&args.floors)?;
    let setup = ConfigSetup {
        roles: [args.admin, args.oracle, args.reward_authority, args.slash_authority, args.treasury],
        mint: ctx.accounts.mint.key(),
        token_program: ctx.accounts.token_program.key(),
        mint_decimals: decimals,
        floors: args.floors,
        params,
        bump: ctx.bumps.config,
        payer: ctx.accounts.authority.key(),
    };
    *ctx.accounts.config.load_init()? = Config::new(&setup);
    emit!(Initialized { admin: args.admin, mint: setup.mint, token_program: setup.token_program, floors: args.floors, params });
    Ok(())
}
