//! Where a world is staged: any [`Chain`] (an embedded LiteSVM, a LiteSVM state file, or a
//! validator over RPC), the wallet that pays every fee and is the authority of the mints it
//! creates, the set-up steps (SOL, a mint, token accounts, minting), and how the Clock gets to a
//! deadline: moved on a LiteSVM, waited for on a validator.
use crate::chain::litesvm::LiteSvmChain;
use crate::chain::{Chain, ChainExt, SendError, Sent};
use crate::token::{self, MintInfo};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use anchor_lang::AccountDeserialize;
use device_staking_client::ix::{self, Mint};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

/// Lamports in one SOL.
pub const SOL: u64 = 1_000_000_000;
/// The decimals of the mints the worlds create (those of the network's token).
pub const DECIMALS: u8 = 6;
/// One whole token of such a mint, in base units.
pub const UNIT: u64 = 1_000_000;

/// A device id from a label of at most 32 bytes, padded with zeros (as `owner register` takes
/// a text id).
pub fn device_id(label: &str) -> [u8; 32] {
    let mut id = [0u8; 32];
    id[..label.len()].copy_from_slice(label.as_bytes());
    id
}

/// SOL the embedded LiteSVM gives the paying wallet.
const EMBEDDED_PAYER_SOL: u64 = 1_000;
/// How often the Clock of a validator is read while waiting for a deadline.
const POLL: Duration = Duration::from_millis(400);

/// The chain, and the wallet that pays the fees and is the mint authority.
pub struct Stage {
    chain: Box<dyn Chain>,
    payer: Keypair,
}

impl Stage {
    /// A stage on `chain` paid by `payer` (which must hold SOL there).
    pub fn new(chain: Box<dyn Chain>, payer: Keypair) -> Self {
        Self { chain, payer }
    }

    /// A new embedded LiteSVM running the program at `program` with `upgrade_authority` as its
    /// upgrade authority (`initialize` requires it, R30), the Clock at `start` (unix seconds),
    /// and a paying wallet funded by the VM.
    pub fn embedded(program: &Path, upgrade_authority: &Pubkey, start: i64, payer: Keypair) -> Result<Self, String> {
        let mut chain = LiteSvmChain::new(program, *upgrade_authority, start)?;
        chain.airdrop(&payer.pubkey(), EMBEDDED_PAYER_SOL)?;
        Ok(Self::new(Box::new(chain), payer))
    }

    /// The paying wallet.
    pub fn payer(&self) -> &Keypair {
        &self.payer
    }

    /// The chain, for reads.
    pub fn chain(&self) -> &dyn Chain {
        &*self.chain
    }

    /// The chain, to send through it directly.
    pub fn chain_mut(&mut self) -> &mut dyn Chain {
        &mut *self.chain
    }

    /// Tops every wallet of `wallets` up to `lamports` from the paying wallet, in one transaction.
    pub fn fund(&mut self, wallets: &[Pubkey], lamports: u64) -> Result<(), SendError> {
        let mut transfers = Vec::new();
        for wallet in wallets.iter().filter(|w| **w != self.payer.pubkey()) {
            let balance = self.chain.account(wallet).map_err(SendError::Failed)?.map_or(0, |a| a.lamports);
            if balance < lamports {
                transfers.push(system_instruction::transfer(&self.payer.pubkey(), wallet, lamports - balance));
            }
        }
        if transfers.is_empty() {
            return Ok(());
        }
        self.send(&transfers, &[]).map(|_| ())
    }

    /// Sends `ixs` in one transaction paid by the paying wallet and signed by `signers`: its
    /// signature, compute units (when the chain reports them) and logs.
    pub fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<Sent, SendError> {
        let signers: Vec<&dyn solana_signer::Signer> = signers.iter().map(|k| *k as &dyn solana_signer::Signer).collect();
        self.chain.send(ixs, &self.payer, &signers)
    }

    /// The Clock's unix time.
    pub fn now(&self) -> Result<i64, String> {
        self.chain.unix_time()
    }

    /// Returns once the Clock reads `unix_ts` or later: at once on a LiteSVM (the Clock is
    /// moved there), else after waiting, with a progress line on standard error that names
    /// `what` is awaited.
    pub fn wait_until(&mut self, unix_ts: i64, what: &str) -> Result<(), String> {
        let mut now = self.now()?;
        if now >= unix_ts || self.chain.warp_clock(unix_ts)? {
            return Ok(());
        }
        let message = |now: i64| format!("waiting for {what}: {} s to go", unix_ts - now);
        if !std::io::stderr().is_terminal() {
            eprintln!("{}", message(now));
        }
        let bar = crate::chain::rpc::spinner(&message(now));
        while now < unix_ts {
            std::thread::sleep(POLL);
            now = self.now()?;
            bar.set_message(message(now));
        }
        bar.finish_and_clear();
        Ok(())
    }

    /// The program account of type `T` at `address`.
    pub fn decode<T: AccountDeserialize>(&self, address: &Pubkey) -> Result<T, String> {
        self.chain().fetch(address, "program account")
    }

    /// The program account of type `T` at `address`, if there is one.
    pub fn find<T: AccountDeserialize>(&self, address: &Pubkey) -> Result<Option<T>, String> {
        self.chain().find(address)
    }

    /// Whether an account exists at `address`.
    pub fn exists(&self, address: &Pubkey) -> bool {
        self.chain.account(address).ok().flatten().is_some_and(|a| a.lamports > 0)
    }

    /// Creates the mint `mint` of `token_program` with `decimals`, the paying wallet as its mint
    /// authority.
    pub fn create_mint(&mut self, mint: &Keypair, token_program: &Pubkey, decimals: u8) -> Result<Pubkey, SendError> {
        let payer = self.payer.pubkey();
        let rent = self.chain.minimum_balance(token::MINT_SIZE).map_err(SendError::Failed)?;
        let ixs = token::create_mint(&payer, &mint.pubkey(), token_program, decimals, &payer, rent);
        self.send(&ixs, &[mint]).map(|_| mint.pubkey())
    }

    /// Creates `owner`'s associated token account of `mint` (a mint of `token_program`) unless
    /// it exists; its address.
    pub fn create_ata(&mut self, owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Result<Pubkey, SendError> {
        let ix = token::create_associated_account(&self.payer.pubkey(), owner, mint, token_program);
        let address = ix::associated_token(owner, &Mint { mint: *mint, token_program: *token_program });
        self.send(&[ix], &[]).map(|_| address)
    }

    /// The instructions that give `wallet` `lamports` from the paying wallet and, with
    /// `tokens`, create its associated token account of `mint` with that many base units minted
    /// into it (the paying wallet is the mint authority; `Some(0)`: an empty account): several
    /// wallets' fit in one transaction.
    pub fn funding_instructions(&self, wallet: &Pubkey, lamports: u64, mint: &Mint, tokens: Option<u64>) -> Vec<Instruction> {
        let payer = self.payer.pubkey();
        let mut ixs = Vec::new();
        if lamports > 0 {
            ixs.push(system_instruction::transfer(&payer, wallet, lamports));
        }
        if let Some(amount) = tokens {
            ixs.push(token::create_associated_account(&payer, wallet, &mint.mint, &mint.token_program));
            if amount > 0 {
                let account = ix::associated_token(wallet, mint);
                ixs.push(token::mint_to(&mint.token_program, &mint.mint, &account, &payer, amount));
            }
        }
        ixs
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

    /// The mint at `mint`.
    pub fn mint_info(&self, mint: &Pubkey) -> Result<MintInfo, String> {
        token::mint_info(self.chain(), mint)
    }

    /// The supply of `mint`.
    pub fn supply(&self, mint: &Pubkey) -> u64 {
        self.mint_info(mint).map(|m| m.supply).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::program_path;

    #[test]
    fn an_embedded_stage_funds_mints_and_moves_the_clock() {
        let authority = Keypair::new();
        let mut stage = Stage::embedded(&program_path().unwrap(), &authority.pubkey(), 1_000, Keypair::new()).unwrap();
        assert_eq!(stage.now().unwrap(), 1_000);
        let token_program = anchor_spl::token::ID;
        let mint = stage.create_mint(&Keypair::new(), &token_program, 6).unwrap();
        let mint = Mint { mint, token_program };
        let (rich, empty, bare) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let mut ixs = stage.funding_instructions(&rich, 5_000_000, &mint, Some(42));
        ixs.extend(stage.funding_instructions(&empty, 0, &mint, Some(0)));
        ixs.extend(stage.funding_instructions(&bare, 1_000_000, &mint, None));
        stage.send(&ixs, &[]).unwrap();
        assert_eq!(stage.token_balance(&ix::associated_token(&rich, &mint)), 42);
        assert!(stage.exists(&ix::associated_token(&empty, &mint)));
        assert!(!stage.exists(&ix::associated_token(&bare, &mint)));
        assert_eq!(stage.chain().account(&bare).unwrap().unwrap().lamports, 1_000_000);
        assert_eq!(stage.supply(&mint.mint), 42);
        stage.fund(&[rich, bare], 2_000_000).unwrap();
        assert_eq!(stage.chain().account(&rich).unwrap().unwrap().lamports, 5_000_000, "never lowered");
        assert_eq!(stage.chain().account(&bare).unwrap().unwrap().lamports, 2_000_000);
        stage.wait_until(86_400, "a day").unwrap();
        assert_eq!(stage.now().unwrap(), 86_400);
    }
}
