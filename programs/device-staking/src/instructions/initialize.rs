//! R30: `initialize`, by the program's upgrade authority only: the mint (Token-2022 extensions
//! that could break the vaults' ledgers are refused), the roles, the floors and the parameters.
use super::token::create_pda_account;
use crate::constants::{CONFIG_BUMP, CONFIG_SEED};
use crate::error::StakingError;
use crate::events::Initialized;
use crate::state::{Config, ConfigSetup, Floors, InAccount, Params, CONFIG_SIZE};
use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions};
use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;
use anchor_spl::token_interface::TokenInterface;

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
    /// The config PDA `["config"]`, created here (a second initialize fails: it exists).
    /// CHECK: created by the handler with `create_account` signed by `["config", CONFIG_BUMP]` (the
    // canonical bump, a constant), which the runtime grants to that address alone
    // (`PrivilegeEscalation` otherwise); an existing config is refused (`AccountAlreadyInUse`).
    #[account(mut)]
    pub config: UncheckedAccount<'info>,
    /// The staking mint (SPL Token or Token-2022).
    /// CHECK: `mint_decimals` unpacks it once (owner, state, extensions) in the handler.
    pub mint: UncheckedAccount<'info>,
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

/// The decimals of `mint`, an initialized mint of `token_program` whose Token-2022 extensions
/// include none of [`FORBIDDEN_EXTENSIONS`] (`ForbiddenMintExtension`): one unpack of the
/// account. Another owner is refused by the names of Anchor's `InterfaceAccount<Mint>` and
/// `mint::token_program`: `AccountOwnedByWrongProgram` when no token program owns it,
/// `ConstraintMintTokenProgram` when the other token program does.
fn mint_decimals(mint: &AccountInfo, token_program: &Pubkey) -> Result<u8> {
    use anchor_lang::error::ErrorCode as AnchorError;
    if mint.owner != token_program {
        let by_token_program = [anchor_spl::token::ID, anchor_spl::token_2022::ID].contains(mint.owner);
        return Err(error!(if by_token_program {
            AnchorError::ConstraintMintTokenProgram
        } else {
            AnchorError::AccountOwnedByWrongProgram
        }));
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data)?;
    if mint.owner == &anchor_spl::token_2022::ID {
        let types = state.get_extension_types()?;
        require!(!types.iter().any(|t| FORBIDDEN_EXTENSIONS.contains(t)), StakingError::ForbiddenMintExtension);
    }
    Ok(state.base.decimals)
}

pub fn handler(ctx: Context<Initialize>, args: InitializeArgs) -> Result<()> {
    let decimals = mint_decimals(&ctx.accounts.mint, ctx.accounts.token_program.key)?;
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
        bump: CONFIG_BUMP,
        payer: ctx.accounts.authority.key(),
    };
    let config = ctx.accounts.config.to_account_info();
    let system = ctx.accounts.system_program.to_account_info();
    let space = 8 + CONFIG_SIZE;
    create_pda_account(&ctx.accounts.authority, &config, &system, space, &crate::ID, &[CONFIG_SEED, &[CONFIG_BUMP]])?;
    let mut data = config.try_borrow_mut_data()?;
    data[..8].copy_from_slice(Config::DISCRIMINATOR);
    *Config::in_account_mut(&mut data)? = Config::new(&setup);
    emit!(Initialized { admin: args.admin, mint: setup.mint, token_program: setup.token_program, floors: args.floors, params });
    Ok(())
}
