//! `svm`: tools for the embedded LiteSVM chain kept in a file (`--url svm:PATH`): create it,
//! fund wallets, make a mint and mint tokens, move the Clock. They stand in for a validator's
//! faucet and the `spl-token` CLI, and do not exist for an RPC URL.
use super::{key_or_keypair, CliError, Report};
use crate::chain::litesvm::LiteSvmChain;
use crate::chain::Chain;
use crate::token;
use anchor_lang::prelude::Pubkey;
use clap::Subcommand;
use device_staking_client::{ix, parse};
use serde_json::{json, Value};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::Path;

/// The Clock of a new chain: 2025-06-15 15:06:40 UTC.
const GENESIS_TIME: i64 = 1_750_000_000;

/// `svm` subcommands. The signer (-k) pays and is the mint authority.
#[derive(Subcommand)]
pub enum SvmCommand {
    /// Create the state file with the built program deployed (needs target/deploy/device_staking.so)
    Init {
        /// The program's upgrade authority (address or keypair file); default: the signer
        #[arg(long)]
        upgrade_authority: Option<String>,
        /// The Clock's unix time at the start
        #[arg(long, default_value_t = GENESIS_TIME)]
        unix_time: i64,
    },
    /// Give SOL to one or more wallets
    Airdrop {
        /// The wallets (addresses or keypair files)
        #[arg(required = true, num_args = 1..)]
        wallets: Vec<String>,
        /// Whole SOL
        #[arg(long, default_value_t = 10)]
        sol: u64,
    },
    /// Create an SPL Token mint; the signer is its mint authority and pays
    CreateMint {
        /// Decimals
        #[arg(long, default_value_t = 6)]
        decimals: u8,
        /// The mint's keypair file; default: a new key
        #[arg(long, value_name = "FILE")]
        mint_keypair: Option<std::path::PathBuf>,
    },
    /// Mint whole tokens to a wallet's associated token account (created if missing), or to a token account; the mint authority signs
    MintTo {
        /// The mint
        mint: String,
        /// The wallet (address or keypair file), or a token account of the mint (e.g. a vault, to donate)
        wallet: String,
        /// Whole tokens
        amount: String,
    },
    /// Move the Clock: to a unix time, or forward by some seconds
    Warp {
        /// The unix time to move to
        #[arg(long, conflicts_with = "by")]
        to: Option<i64>,
        /// Seconds to move forward
        #[arg(long)]
        by: Option<i64>,
    },
}

/// Runs an `svm` command on the state file `file`, signed by `signer` where one is needed.
pub fn run(file: &Path, signer: impl Fn() -> Result<Keypair, String>, command: SvmCommand) -> Result<Report, CliError> {
    match command {
        SvmCommand::Init { upgrade_authority, unix_time } => {
            let authority = match upgrade_authority {
                Some(text) => key_or_keypair(&text)?,
                None => signer()?.pubkey(),
            };
            LiteSvmChain::create(file, authority, unix_time)?;
            let text = format!("created {} with the program deployed; upgrade authority {authority}\n", file.display());
            Ok(Report { text, json: vec![("command", json!("svm init")), ("upgrade_authority", json!(authority.to_string()))] })
        }
        SvmCommand::Airdrop { wallets, sol } => {
            let mut chain = LiteSvmChain::open(file)?;
            let wallets = wallets.iter().map(|w| key_or_keypair(w)).collect::<Result<Vec<Pubkey>, String>>()?;
            for wallet in &wallets {
                chain.airdrop(wallet, sol)?;
            }
            chain.save()?;
            let text = wallets.iter().map(|w| format!("{w} received {sol} SOL\n")).collect();
            let listed = Value::Array(wallets.iter().map(|w| json!(w.to_string())).collect());
            Ok(Report { text, json: vec![("command", json!("svm airdrop")), ("wallets", listed)] })
        }
        SvmCommand::CreateMint { decimals, mint_keypair } => {
            let mut chain = LiteSvmChain::open(file)?;
            let payer = signer()?;
            let mint = match mint_keypair {
                Some(path) => super::read_keypair(&path)?,
                None => Keypair::new(),
            };
            let rent = chain.minimum_balance(token::MINT_SIZE)?;
            let token_program = anchor_spl::token::ID;
            let instructions =
                token::create_mint(&payer.pubkey(), &mint.pubkey(), &token_program, decimals, &payer.pubkey(), rent);
            chain.send(&instructions, &payer, &[&mint]).map_err(super::refused)?;
            Ok(Report {
                text: format!("mint {} ({decimals} decimals), mint authority {}\n", mint.pubkey(), payer.pubkey()),
                json: vec![("command", json!("svm create-mint")), ("mint", json!(mint.pubkey().to_string()))],
            })
        }
        SvmCommand::MintTo { mint, wallet, amount } => {
            let mut chain = LiteSvmChain::open(file)?;
            let authority = signer()?;
            let mint: Pubkey = mint.parse().map_err(|e| format!("mint `{mint}`: {e}"))?;
            let wallet = key_or_keypair(&wallet)?;
            let info = token::mint_info(&chain, &mint)?;
            let amount = parse::tokens(&amount, info.decimals)?;
            // a token account of the mint is paid directly; a wallet through its associated token account
            let is_token_account = chain
                .account(&wallet)?
                .is_some_and(|a| a.owner == info.token_program && a.data.len() >= 165 && a.data[..32] == mint.to_bytes());
            let (account, mut instructions) = if is_token_account {
                (wallet, Vec::new())
            } else {
                // a program's account is no wallet: nobody could sign to move tokens out of its associated account
                if let Some(owner) = chain.account(&wallet)?.filter(|a| a.lamports > 0).map(|a| a.owner) {
                    if owner != solana_sdk_ids::system_program::ID {
                        return Err(format!(
                            "{wallet} is an account of the program {owner}, not a wallet: tokens sent to it would be stranded; give a wallet or a token account of the mint"
                        )
                        .into());
                    }
                }
                let account = ix::associated_token(&wallet, &ix::Mint { mint, token_program: info.token_program });
                (account, vec![token::create_associated_account(&authority.pubkey(), &wallet, &mint, &info.token_program)])
            };
            instructions.push(token::mint_to(&info.token_program, &mint, &account, &authority.pubkey(), amount));
            chain.send(&instructions, &authority, &[]).map_err(super::refused)?;
            Ok(Report {
                text: format!(
                    "minted {} to {wallet} ({account})\n",
                    device_staking_client::format::tokens(amount, info.decimals)
                ),
                json: vec![
                    ("command", json!("svm mint-to")),
                    ("token_account", json!(account.to_string())),
                    ("amount", json!(amount)),
                ],
            })
        }
        SvmCommand::Warp { to, by } => {
            let mut chain = LiteSvmChain::open(file)?;
            let now = chain.unix_time()?;
            let target = match (to, by) {
                (Some(to), _) => to,
                (None, Some(by)) => now + by,
                (None, None) => return Err("give --to UNIX_TIME or --by SECONDS".into()),
            };
            chain.warp_to(target);
            chain.save()?;
            Ok(Report {
                text: format!("the Clock is at {} ({target})\n", device_staking_client::describe::utc(target)),
                json: vec![("command", json!("svm warp")), ("unix_time", json!(target))],
            })
        }
    }
}
