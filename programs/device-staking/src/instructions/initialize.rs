//! R30: `initialize`, by the program's upgrade authority only: the mint (Token-2022 extensions
//! that could break the vaults' ledgers are refused), the roles, the floors and the parameters.
use crate::constants::CONFIG_SEED;
use crate::error::StakingError;
use crate::events::Initialized;
use crate::program::DeviceStaking;
use crate::state::{Config, Floors, Params, RoleSlot};
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
    #[account(init, payer = authority, space = 8 + Config::INIT_SPACE, seeds = [CONFIG_SEED], bump)]
    pub config: Account<'info, Config>,
    /// The staking mint (SPL Token or Token-2022).
    #[account(mint::token_program = token_program)]
    pub mint: InterfaceAccount<'info, Mint>,
    /// The mint's token program.
    pub token_program: Interface<'info, TokenInterface>,
    /// This program, to find its program-data account.
    #[account(constraint = program.programdata_address()? == Some(program_data.key()) @ StakingError::WrongProgramData)]
    pub program: Program<'info, DeviceStaking>,
    /// The program-data account holding the upgrade authority.
    #[account(constraint = program_data.upgrade_authority_address == Some(authority.key()) @ StakingError::NotUpgradeAuthority)]
    pub program_data: Account<'info, ProgramData>,
    /// The system program.
    pub system_program: Program<'info, System>,
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
    require!(
        !types.iter().any(|t| FORBIDDEN_EXTENSIONS.contains(t)),
        StakingError::ForbiddenMintExtension
    );
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
    let config = &mut ctx.accounts.config;
    config.set_inner(Config {
        admin: RoleSlot::new(args.admin),
        oracle: RoleSlot::new(args.oracle),
        reward_authority: RoleSlot::new(args.reward_authority),
        slash_authority: RoleSlot::new(args.slash_authority),
        treasury: RoleSlot::new(args.treasury),
        oracle_revoked_at: 0,
        slash_revoked_at: 0,
        mint: ctx.accounts.mint.key(),
        token_program: ctx.accounts.token_program.key(),
        mint_decimals: decimals,
        floors: args.floors,
        params,
        pending_params: params,
        params_effective_at: 0,
        paused: false,
        bump: ctx.bumps.config,
        payer: ctx.accounts.authority.key(),
        reserved: [0; crate::constants::RESERVED_BYTES],
    });
    emit!(Initialized {
        admin: args.admin,
        mint: config.mint,
        token_program: config.token_program,
        floors: args.floors,
        params,
    });
    Ok(())
}
