//! SPL Token (and Token-2022) accounts and instructions the commands read and build: balances,
//! mints, and the set-up of mints and associated token accounts on the embedded LiteSVM.
use crate::chain::Chain;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_lang::solana_program::system_instruction;
use anchor_spl::associated_token::spl_associated_token_account;
use anchor_spl::token_2022::spl_token_2022;
use spl_token_2022::extension::StateWithExtensions;
use spl_token_2022::state::{Account as TokenAccount, Mint};

/// A mint as the commands need it: its token program, decimals and supply.
#[derive(Clone, Copy, Debug)]
pub struct MintInfo {
    /// The mint's owner: SPL Token or Token-2022.
    pub token_program: Pubkey,
    /// Its decimals.
    pub decimals: u8,
    /// Its supply in base units.
    pub supply: u64,
}

/// Reads the mint at `mint`.
pub fn mint_info(chain: &dyn Chain, mint: &Pubkey) -> Result<MintInfo, String> {
    let account = chain.account(mint)?.ok_or_else(|| format!("no mint at {mint}"))?;
    let state = StateWithExtensions::<Mint>::unpack(&account.data).map_err(|e| format!("{mint} is not a token mint: {e}"))?;
    Ok(MintInfo { token_program: account.owner, decimals: state.base.decimals, supply: state.base.supply })
}

/// The balance of the token account at `address`; 0 when there is none (e.g. closed).
pub fn balance(chain: &dyn Chain, address: &Pubkey) -> Result<u64, String> {
    Ok(chain
        .account(address)?
        .and_then(|a| StateWithExtensions::<TokenAccount>::unpack(&a.data).ok().map(|s| s.base.amount))
        .unwrap_or(0))
}

/// Creates and initializes the mint `mint` (paid by `payer`, rent `lamports`) with `authority`
/// as its mint authority and no freeze authority.
pub fn create_mint(payer: &Pubkey, mint: &Pubkey, token_program: &Pubkey, decimals: u8, authority: &Pubkey, lamports: u64) -> Vec<Instruction> {
    vec![
        system_instruction::create_account(payer, mint, lamports, Mint::LEN as u64, token_program),
        spl_token_2022::instruction::initialize_mint2(token_program, mint, authority, None, decimals).expect("initialize_mint2"),
    ]
}

/// The rent-exempt size of a mint without extensions.
pub const MINT_SIZE: usize = Mint::LEN;

/// Creates `owner`'s associated token account of `mint` unless it exists (paid by `payer`).
pub fn create_associated_account(payer: &Pubkey, owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Instruction {
    spl_associated_token_account::instruction::create_associated_token_account_idempotent(payer, owner, mint, token_program)
}

/// Mints `amount` base units of `mint` to the token account `to`, signed by `authority`.
pub fn mint_to(token_program: &Pubkey, mint: &Pubkey, to: &Pubkey, authority: &Pubkey, amount: u64) -> Instruction {
    spl_token_2022::instruction::mint_to(token_program, mint, to, authority, &[], amount).expect("mint_to")
}
