//! The embedded LiteSVM of `demo`: a [`LiteSvmChain`] without a state file, a funded fee payer
//! that is also the authority of the mints it creates, and the set-up steps of the story.
use crate::chain::litesvm::LiteSvmChain;
use crate::chain::{Chain, ChainExt, SendError};
use crate::token;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::AccountDeserialize;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::Path;

/// SOL given to every keypair the demo funds.
const FUNDING_SOL: u64 = 100;

/// The VM, and the funded fee payer that is also the authority of the mints it creates.
pub struct Svm {
    chain: LiteSvmChain,
    payer: Keypair,
}

impl Svm {
    /// Deploys the program at `path` and makes `upgrade_authority` its upgrade authority
    /// (`initialize` requires it, R30); the Clock starts at `start` (unix seconds).
    pub fn new(path: &Path, upgrade_authority: &Pubkey, start: i64) -> Result<Self, String> {
        let mut this = Self { chain: LiteSvmChain::new(path, *upgrade_authority, start)?, payer: Keypair::new_from_array([12; 32]) };
        this.fund(&this.payer.pubkey());
        Ok(this)
    }

    /// Adds SOL to `address`.
    pub fn fund(&mut self, address: &Pubkey) {
        self.chain.airdrop(address, FUNDING_SOL).expect("airdrop");
    }

    /// Sends `ixs` in one transaction paid by the payer and signed by `signers`; the compute
    /// units it consumed.
    pub fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<u64, SendError> {
        self.chain.send(ixs, &self.payer, signers).map(|sent| sent.compute_units.unwrap_or(0))
    }

    /// The Clock's unix time.
    pub fn now(&self) -> i64 {
        self.chain.unix_time().expect("the LiteSVM clock")
    }

    /// Sets the Clock's unix time to `unix_ts` and moves to the next slot.
    pub fn warp_to(&mut self, unix_ts: i64) {
        self.chain.warp_to(unix_ts);
    }

    fn chain(&self) -> &dyn Chain {
        &self.chain
    }

    /// The program account of type `T` at `address`.
    pub fn decode<T: AccountDeserialize>(&self, address: &Pubkey) -> Result<T, String> {
        self.chain().fetch(address, "program account")
    }

    /// Whether an account exists at `address`.
    pub fn exists(&self, address: &Pubkey) -> bool {
        self.chain.account(address).ok().flatten().is_some_and(|a| a.lamports > 0)
    }

    /// Creates the mint `mint` of `token_program` with `decimals`, the payer as mint authority.
    pub fn create_mint(&mut self, mint: &Keypair, token_program: &Pubkey, decimals: u8) -> Result<Pubkey, SendError> {
        let payer = self.payer.pubkey();
        let rent = self.chain.rent_exempt(token::MINT_SIZE);
        let ixs = token::create_mint(&payer, &mint.pubkey(), token_program, decimals, &payer, rent);
        self.send(&ixs, &[mint]).map(|_| mint.pubkey())
    }

    /// Creates `owner`'s associated token account of `mint` (a mint of `token_program`).
    pub fn create_ata(&mut self, owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Result<Pubkey, SendError> {
        let ix = token::create_associated_account(&self.payer.pubkey(), owner, mint, token_program);
        let address = device_staking_client::ix::associated_token(owner, &device_staking_client::ix::Mint { mint: *mint, token_program: *token_program });
        self.send(&[ix], &[]).map(|_| address)
    }

    /// Mints `amount` base units of `mint` (a mint of `token_program`) to the token account `to`.
    pub fn mint_to(&mut self, mint: &Pubkey, token_program: &Pubkey, to: &Pubkey, amount: u64) -> Result<(), SendError> {
        let ix = token::mint_to(token_program, mint, to, &self.payer.pubkey(), amount);
        self.send(&[ix], &[]).map(|_| ())
    }

    /// The balance of the token account at `address`; 0 when there is none (e.g. closed).
    pub fn token_balance(&self, address: &Pubkey) -> u64 {
        token::balance(self.chain(), address).unwrap_or(0)
    }

    /// The supply of `mint`.
    pub fn supply(&self, mint: &Pubkey) -> u64 {
        token::mint_info(self.chain(), mint).map(|m| m.supply).unwrap_or(0)
    }
}
