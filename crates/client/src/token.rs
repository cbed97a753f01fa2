//! SPL Token (and Token-2022) instructions for setting up a chain: a mint, associated token
//! accounts, minting. Used by the CLI's `svm` tools, the demo and the validator tests.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_lang::solana_program::system_instruction;
use anchor_spl::associated_token::spl_associated_token_account;
use anchor_spl::token_2022::spl_token_2022;
use spl_token_2022::state::Mint;

/// Creates and initializes the mint `mint` (paid by `payer`, rent `lamports`) with `authority`
/// as its mint authority and no freeze authority.
pub fn create_mint(
    payer: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
    decimals: u8,
    authority: &Pubkey,
    lamports: u64,
) -> Vec<Instruction> {
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
