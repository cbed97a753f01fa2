//! SPL Token (and Token-2022) accounts read from any [`Chain`]: mints and balances. The
//! instructions that create mints and token accounts and mint are the client crate's
//! ([`device_staking_client::token`]).
use crate::chain::Chain;
use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022::extension::StateWithExtensions;
use anchor_spl::token_2022::spl_token_2022::state::{Account as TokenAccount, Mint};

pub use device_staking_client::token::{create_associated_account, create_mint, mint_to, MINT_SIZE};

/// A mint as the tools need it: its token program, decimals and supply.
#[derive(Clone, Copy, Debug)]
pub struct MintInfo {
    /// The mint's owner: SPL Token or Token-2022.
    pub token_program: Pubkey,
    /// Its decimals.
    pub decimals: u8,
    /// Its supply in base units.
    pub supply: u64,
    /// Who may mint more, if anyone.
    pub mint_authority: Option<Pubkey>,
}

/// Reads the mint at `mint`.
pub fn mint_info(chain: &dyn Chain, mint: &Pubkey) -> Result<MintInfo, String> {
    let account = chain.account(mint)?.ok_or_else(|| format!("no mint at {mint}"))?;
    let state = StateWithExtensions::<Mint>::unpack(&account.data).map_err(|e| format!("{mint} is not a token mint: {e}"))?;
    Ok(MintInfo {
        token_program: account.owner,
        decimals: state.base.decimals,
        supply: state.base.supply,
        mint_authority: state.base.mint_authority.into(),
    })
}

/// The amount held by a token account's data (SPL Token or Token-2022); 0 for no account or
/// data that is not a token account.
pub fn amount(data: Option<&[u8]>) -> u64 {
    data.and_then(|d| StateWithExtensions::<TokenAccount>::unpack(d).ok().map(|s| s.base.amount)).unwrap_or(0)
}

/// The balance of the token account at `address`; 0 when there is none (e.g. closed).
pub fn balance(chain: &dyn Chain, address: &Pubkey) -> Result<u64, String> {
    Ok(amount(chain.account(address)?.map(|a| a.data).as_deref()))
}
