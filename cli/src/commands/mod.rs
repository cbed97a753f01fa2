//! The commands, one module per role: the device owner ([`owner`]), the co-staker
//! ([`costaker`]), the operators of the network (admin, oracle, reward and slash authorities:
//! [`operator`]), read-only reports ([`status`]), the embedded chain's tools ([`svm`]), and
//! keypair files and addresses ([`keys`]), the program's deployment ([`program`]), a device's or
//! a wallet's history of events and its CSV export ([`history`]).
//! Every command returns a [`Report`]: text for people and one JSON object for scripts.
pub mod costaker;
pub mod history;
pub mod keys;
pub mod offline;
pub mod operator;
pub mod owner;
pub mod program;
pub mod status;
pub mod svm;

use crate::chain::{Chain, ChainExt, SendError, Sent};
use crate::json;
use crate::token;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_client::device_staking::state::{Config, Device, Env, Tombstone};
use device_staking_client::format::tokens;
use device_staking_client::{ata, decode, describe, ix, parse, pda};
use serde::Serialize;
use serde_json::{json, Value};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::{Path, PathBuf};

/// A failed command: what to tell the user, and the program's error when it refused.
#[derive(Debug)]
pub struct CliError {
    /// The message.
    pub message: String,
    /// `(code, name, message)` of the program's or Anchor's error.
    pub program_error: Option<(u32, &'static str, &'static str)>,
    /// The program logs of a refused transaction.
    pub logs: Vec<String>,
    /// A command that stopped before sending on purpose (`--sign-only`, `--dump-transaction-message`):
    /// what it prints instead, and it succeeds.
    pub finished: Option<Box<Report>>,
}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        Self { message, program_error: None, logs: Vec::new(), finished: None }
    }
}

impl From<&str> for CliError {
    fn from(message: &str) -> Self {
        message.to_string().into()
    }
}

impl CliError {
    /// The report of a command that stopped before sending on purpose; any other error as it is.
    pub fn finished(self) -> Result<Report, CliError> {
        match self.finished {
            Some(report) => Ok(*report),
            None => Err(self),
        }
    }

    /// The error as one JSON object (see [`ErrorJson`]).
    pub fn to_json(&self) -> ErrorJson<'_> {
        ErrorJson {
            ok: false,
            error: &self.message,
            program_error: self.program_error.map(|(code, name, message)| ProgramErrorJson { code, name, message }),
            logs: &self.logs,
        }
    }
}

/// A failed command as `--output json` prints it.
#[derive(Debug, Serialize)]
pub struct ErrorJson<'a> {
    /// Always `false`.
    pub ok: bool,
    /// The message.
    pub error: &'a str,
    /// The program's or Anchor's error, when the program refused.
    pub program_error: Option<ProgramErrorJson>,
    /// The program logs of a refused transaction.
    pub logs: &'a [String],
}

/// A program's or Anchor's error by code, name and message (also `explain-error`'s JSON).
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct ProgramErrorJson {
    /// The custom error code.
    pub code: u32,
    /// The error's name.
    pub name: &'static str,
    /// What it means.
    pub message: &'static str,
}

/// What a command prints: text for people, one JSON object for scripts.
#[derive(Debug)]
pub struct Report {
    /// The text, printed as it is.
    pub text: String,
    /// The JSON object's fields (`"ok": true` is added in front).
    pub json: Vec<(&'static str, Value)>,
}

impl Report {
    /// A report of a sent transaction: `summary` as text (with its signature and compute units)
    /// and `fields` plus the signature and compute units as JSON.
    pub fn sent(summary: String, sent: &Sent, mut fields: Vec<(&'static str, Value)>) -> Self {
        let units = sent.compute_units.map_or(String::new(), |cu| format!(", {cu} CU"));
        fields.push(("signature", json!(sent.signature)));
        fields.push(("compute_units", json!(sent.compute_units)));
        fields.push(("logs", json!(sent.logs)));
        Self { text: format!("{summary}\n  signature {}{units}\n", sent.signature), json: fields }
    }

    /// The JSON object printed for `--output json`.
    pub fn to_json(&self) -> Value {
        json::object(std::iter::once(("ok", json!(true))).chain(self.json.iter().cloned()))
    }
}

/// What every command shares: the chain, its URL and the signer's keypair file.
pub struct Context {
    /// Where the transactions go.
    pub chain: Box<dyn Chain>,
    /// The chain's URL as resolved from `--url` (`svm:PATH` for an embedded LiteSVM).
    pub url: String,
    /// The signer's keypair file (`-k`, default `~/.config/solana/id.json`), or its address when
    /// its signature comes from `--signer` or is not needed (`--sign-only`, `--dump-transaction-message`).
    pub keypair: Option<PathBuf>,
    /// `--with-compute-unit-price` and `--with-compute-unit-limit`.
    pub budget: crate::chain::ComputeBudget,
    /// `--sign-only`, `--blockhash`, `--signer` and `--dump-transaction-message`.
    pub offline: offline::Offline,
    /// `--yes`: no confirmation asked before a step that cannot be undone.
    pub yes: bool,
}

/// Whether `url` is a chain on this machine: an embedded LiteSVM (`svm:PATH`) or a validator on
/// localhost. Only such a chain may get the second-long floors of a local deployment.
pub fn is_local_url(url: &str) -> bool {
    if url.starts_with("svm:") {
        return true;
    }
    let host = url.split("://").nth(1).unwrap_or("").split(['/', '?']).next().unwrap_or("");
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    matches!(host, "localhost" | "127.0.0.1" | "::1")
}

/// The config with its mint as the instruction builders and amounts need it.
pub struct Setup {
    /// The global config.
    pub config: Config,
    /// The staking mint and its token program.
    pub mint: ix::Mint,
    /// The mint's decimals.
    pub decimals: u8,
    /// The Clock's unix time when the config was read.
    pub now: i64,
}

impl Setup {
    /// `amount` base units in whole tokens: "16,000.000000".
    pub fn tokens(&self, amount: u64) -> String {
        tokens(amount, self.decimals)
    }

    /// Whole tokens as typed (`"16000"`, `"0.5"`) in base units.
    pub fn parse_tokens(&self, text: &str) -> Result<u64, String> {
        parse::tokens(text, self.decimals)
    }

    /// `amount` as JSON: base units (exact) and whole tokens (for reading).
    pub fn amount_json(&self, amount: u64) -> Value {
        json!({ "base_units": amount, "tokens": self.tokens(amount) })
    }

    /// The config facts the device rules read, at the Clock of `now` (the parameters in force then).
    pub fn env(&self, now: i64) -> Env {
        self.config.env(now)
    }

    /// A time for people: its UTC date and how far it is from the Clock ("in 6 d 4 h", "3 h ago").
    pub fn when(&self, at: i64) -> String {
        format!("{} ({})", describe::utc(at), describe::relative(at, self.now))
    }
}

/// What a device's address holds: a live device, or the tombstone a closed one left (R8).
pub enum DeviceAccount {
    /// A live device.
    Live(Box<Device>),
    /// A closed device (R8); `owner register` revives it (R3).
    Closed(Tombstone),
}

impl Context {
    /// The signer (`-k`): a keypair file, or an address whose signature `--signer` gives (or that
    /// does not sign here: `--sign-only`, `--dump-transaction-message`).
    pub fn signer(&self) -> Result<Box<dyn Signer>, String> {
        self.offline.signer(&given_keypair(self.keypair.as_deref())?.to_string_lossy())
    }

    /// Asks on the terminal before `what` (a step that cannot be undone) unless `--yes` was given,
    /// the transaction is only signed or dumped, or standard input is not a terminal (a script:
    /// nobody to ask); anything but y/yes stops the command before anything is sent.
    pub fn confirm(&self, what: &str) -> Result<(), CliError> {
        use std::io::{BufRead, IsTerminal, Write};
        if self.yes || self.offline.sign_only || self.offline.dump.is_some() || !std::io::stdin().is_terminal() {
            return Ok(());
        }
        eprint!("{what}\nContinue? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).map_err(|e| format!("cannot read the answer: {e}"))?;
        match answer.trim().to_ascii_lowercase().as_str() {
            "y" | "yes" => Ok(()),
            _ => Err("stopped: nothing was sent (give --yes to skip the question)".into()),
        }
    }

    /// The Clock's unix time.
    pub fn now(&self) -> Result<i64, String> {
        self.chain.unix_time()
    }

    /// The config and its mint; an error saying the program is not initialized when missing.
    pub fn setup(&self) -> Result<Setup, String> {
        let config: Config = self
            .chain
            .find(&pda::config().0)?
            .ok_or("the program has no config yet: run `device-staking operator initialize` first")?;
        let mint = ix::Mint { mint: config.mint, token_program: config.token_program };
        let decimals = token::mint_info(&*self.chain, &config.mint)?.decimals;
        Ok(Setup { config, mint, decimals, now: self.now()? })
    }

    /// A device by its address (base58) or its id (64 hex characters, or a text of at most 32
    /// bytes): its address and what the address holds (a live device or a tombstone).
    pub fn device_account(&self, reference: &str) -> Result<(Pubkey, DeviceAccount), String> {
        // a chain that cannot answer is an error (not "no device"); an account of another type is none
        let read = |address: &Pubkey| -> Result<Option<DeviceAccount>, String> {
            let Some(account) = self.chain.account(address)?.filter(|a| a.lamports > 0) else { return Ok(None) };
            if let Ok(device) = decode::account::<Device>(&account.data) {
                return Ok(Some(DeviceAccount::Live(Box::new(device))));
            }
            Ok(decode::account::<Tombstone>(&account.data).ok().map(DeviceAccount::Closed))
        };
        if let Ok(address) = reference.parse::<Pubkey>() {
            if let Some(found) = read(&address)? {
                return Ok((address, found));
            }
        }
        let address = pda::device(&parse_device_id(reference)?).0;
        let found = read(&address)?.ok_or_else(|| format!("no device `{reference}` (looked at {address})"))?;
        Ok((address, found))
    }

    /// A live device by its address or id: its address and decoded state; a closed one is an
    /// error that says how to revive it.
    pub fn device(&self, reference: &str) -> Result<(Pubkey, Device), String> {
        match self.device_account(reference)? {
            (address, DeviceAccount::Live(device)) => Ok((address, *device)),
            (address, DeviceAccount::Closed(tombstone)) => Err(format!(
                "the device {address} was closed {} (R8); `owner register` with the oracle revives it",
                describe::utc(tombstone.closed_at)
            )),
        }
    }

    /// Where a payment to `staker` goes (R16) when `signer` sends it: signed by the staker, the
    /// token account of `--to` or else the staker's associated token account; sent by anyone
    /// else, the staker's associated token account. A missing associated token account is
    /// created first, paid by the signer, in its own instruction of the same transaction
    /// (`CreateIdempotent`): the program pays a staker's own account only when it exists, and its
    /// path that creates the account inside a permissionless withdraw costs more than this.
    /// Returns the destination and the instructions to send before.
    pub fn destination(
        &self,
        signer: &Pubkey,
        staker: &Pubkey,
        to: Option<&str>,
        setup: &Setup,
    ) -> Result<(Pubkey, Vec<Instruction>), String> {
        match (signer == staker, to) {
            (true, Some(text)) => Ok((text.parse().map_err(|e| format!("--to `{text}`: {e}"))?, Vec::new())),
            (false, Some(_)) => {
                let ata = ix::associated_token(staker, &setup.mint);
                Err(format!(
                    "--to is for the staker {staker} signing; anyone else pays the staker's associated token account {ata}"
                ))
            }
            (_, None) => {
                let found = self.chain.account(&ix::associated_token(staker, &setup.mint))?;
                let recipient = ata::recipient_account(signer, staker, &setup.mint, |_| found.is_some_and(|a| a.lamports > 0));
                Ok((recipient.address, recipient.instructions()))
            }
        }
    }

    /// The treasury's associated token account (of the treasury in force), and the instruction
    /// that creates it first when it is missing (close_device and sweep_surplus pay into it).
    pub fn treasury_account(&self, payer: &Pubkey, setup: &Setup) -> Result<(Pubkey, Vec<Instruction>), String> {
        let treasury = setup.config.treasury.key_at(setup.now);
        let ata = ix::associated_token(&treasury, &setup.mint);
        let missing = self.chain.account(&ata)?.is_none_or(|a| a.lamports == 0);
        let create =
            missing.then(|| token::create_associated_account(payer, &treasury, &setup.mint.mint, &setup.mint.token_program));
        Ok((ata, create.into_iter().collect()))
    }

    /// Sends `instructions` paid by `payer` and signed by `payer` and `signers`; a refusal becomes an error
    /// naming the program's error. With `--blockhash`, `--sign-only` or `--dump-transaction-message`:
    /// the transaction of a fixed compute budget with that blockhash, sent with the `--signer`
    /// signatures, or its signatures or message printed instead (an error carrying that report).
    pub fn send(&mut self, instructions: &[Instruction], payer: &dyn Signer, signers: &[&dyn Signer]) -> Result<Sent, CliError> {
        if !self.offline.fixed_message() {
            return self.chain.send(instructions, payer, signers).map_err(refused);
        }
        let blockhash = match self.offline.blockhash {
            Some(blockhash) => blockhash,
            None => self.chain.latest_blockhash()?,
        };
        let unit_limit = self.budget.unit_limit.unwrap_or(crate::chain::OFFLINE_COMPUTE_UNITS);
        let mut all = crate::chain::budget_instructions(unit_limit, self.budget.unit_price.unwrap_or(0));
        all.extend_from_slice(instructions);
        if let Some(report) = self.offline.report(&all, payer, signers, blockhash)? {
            return Err(CliError { finished: Some(Box::new(report)), ..CliError::from("") });
        }
        let transaction = crate::chain::signed(&all, payer, signers, blockhash).map_err(refused)?;
        self.chain.send_transaction(&transaction).map_err(refused)
    }
}

/// A [`SendError`] as a [`CliError`]: the program's error by name and message, never a code alone.
pub fn refused(error: SendError) -> CliError {
    match error {
        SendError::Refused(refusal) => CliError {
            message: format!("the transaction was refused: {refusal}"),
            program_error: refusal.code().and_then(|code| refusal.named().map(|(name, message)| (code, name, message))),
            logs: refusal.logs,
            finished: None,
        },
        SendError::Failed(message) => message.into(),
    }
}

/// The keypair file to use: `--keypair`, else `~/.config/solana/id.json` when it exists.
pub fn keypair_path(given: Option<PathBuf>) -> Option<PathBuf> {
    given.or_else(|| {
        std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config/solana/id.json")).filter(|p| p.is_file())
    })
}

/// The keypair file of `-k` (or the default one); an error saying how to give one when missing.
pub fn given_keypair(path: Option<&Path>) -> Result<&Path, String> {
    path.ok_or_else(|| "no keypair: give -k/--keypair (there is no ~/.config/solana/id.json)".to_string())
}

/// Reads a Solana CLI keypair file: a JSON array of 64 numbers.
pub fn read_keypair(path: &Path) -> Result<Keypair, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read the keypair {}: {e}", path.display()))?;
    let bytes: Result<Vec<u8>, _> =
        text.trim().trim_start_matches('[').trim_end_matches(']').split(',').map(|n| n.trim().parse::<u8>()).collect();
    bytes
        .ok()
        .and_then(|b| Keypair::try_from(b.as_slice()).ok())
        .ok_or_else(|| format!("{} is not a keypair file (a JSON array of 64 bytes)", path.display()))
}

/// A public key given as an address (base58) or as a keypair file.
pub fn key_or_keypair(text: &str) -> Result<Pubkey, String> {
    match text.parse::<Pubkey>() {
        Ok(key) => Ok(key),
        Err(_) if Path::new(text).is_file() => read_keypair(Path::new(text)).map(|k| k.pubkey()),
        Err(e) => Err(format!("`{text}` is neither an address ({e}) nor a keypair file")),
    }
}

/// A device id from 64 hex characters, or from a text of at most 32 bytes padded with zeros.
pub fn parse_device_id(value: &str) -> Result<[u8; 32], String> {
    let mut id = [0u8; 32];
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        for (i, byte) in id.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&value[2 * i..2 * i + 2], 16).expect("hex digits");
        }
    } else if value.len() <= 32 {
        id[..value.len()].copy_from_slice(value.as_bytes());
    } else {
        return Err(format!("device id `{value}`: give 64 hex characters or a text of at most 32 bytes"));
    }
    Ok(id)
}

/// Basis points of one times the base stake (x1).
pub const X1_BPS: u64 = 10_000;

/// An earning multiplier for people: `x10`, `x1.5` (from basis points, 10,000 = x1).
pub fn multiplier_text(bps: u64) -> String {
    let whole = bps / X1_BPS;
    let fraction = bps % X1_BPS;
    if fraction == 0 {
        return format!("x{whole}");
    }
    let digits = format!("{fraction:04}");
    format!("x{whole}.{}", digits.trim_end_matches('0'))
}

/// An earning multiplier as typed: `x10`, `10x` or `x1.5` (times), or a plain integer of basis
/// points (`100000` = x10), in basis points.
pub fn parse_multiplier(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let times = text.strip_prefix(['x', 'X']).or_else(|| text.strip_suffix(['x', 'X']));
    let bps = match times {
        Some(times) => device_staking_client::parse::tokens(times, 4).map_err(|e| format!("multiplier `{text}`: {e}"))?,
        None => text
            .parse::<u64>()
            .map_err(|_| format!("multiplier `{text}`: give x10, 10x, x1.5, or basis points (100000 = x10)"))?,
    };
    u32::try_from(bps).map_err(|_| format!("multiplier `{text}` is too large"))
}

/// A device id for people: the text when it is printable text padded with zeros, else hex.
pub fn device_id_text(id: &[u8; 32]) -> String {
    let end = id.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    let text = &id[..end];
    if !text.is_empty() && text.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        String::from_utf8_lossy(text).into_owned()
    } else {
        id.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_ids_are_hex_or_padded_text_and_print_back() {
        assert_eq!(parse_device_id(&"ab".repeat(32)).unwrap(), [0xab; 32]);
        let id = parse_device_id("gpu-1").unwrap();
        assert_eq!(&id[..5], b"gpu-1");
        assert_eq!(id[5..], [0; 27]);
        assert!(parse_device_id(&"x".repeat(33)).is_err());
        assert_eq!(device_id_text(&id), "gpu-1");
        assert_eq!(device_id_text(&[0xab; 32]), "ab".repeat(32));
    }

    #[test]
    fn refusals_carry_the_program_error_name() {
        use solana_instruction_error::InstructionError;
        use solana_transaction_error::TransactionError;
        let code = u32::from(device_staking_client::device_staking::error::StakingError::ExceedsOverflow);
        let refusal = crate::chain::Refusal {
            error: TransactionError::InstructionError(0, InstructionError::Custom(code)),
            compute_units: Some(10),
            logs: vec!["log".into()],
        };
        let error = refused(SendError::Refused(refusal));
        assert_eq!(error.program_error.map(|e| e.1), Some("ExceedsOverflow"));
        assert!(error.message.contains("ExceedsOverflow"), "{}", error.message);
        assert!(!error.message.contains("0x"), "{}", error.message);
    }

    /// A System or Token program refusal is named from the program that failed, not "custom error 1".
    #[test]
    fn system_and_token_refusals_are_named() {
        use solana_instruction_error::InstructionError;
        use solana_transaction_error::TransactionError;
        let refusal = |program: &str, code: u32| crate::chain::Refusal {
            error: TransactionError::InstructionError(0, InstructionError::Custom(code)),
            compute_units: None,
            logs: vec![
                format!("Program {program} invoke [2]"),
                format!("Program {program} failed: custom program error: 0x{code:x}"),
            ],
        };
        let system = refused(SendError::Refused(refusal("11111111111111111111111111111111", 0)));
        assert_eq!(system.program_error.map(|e| e.1), Some("AccountAlreadyInUse"));
        let token = refused(SendError::Refused(refusal("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", 1)));
        assert_eq!(token.program_error.map(|e| e.1), Some("InsufficientFunds"));
        assert!(token.message.contains("insufficient funds") && !token.message.contains("custom error"), "{}", token.message);
        let system = refused(SendError::Refused(refusal("11111111111111111111111111111111", 1)));
        assert!(system.message.contains("ResultWithNegativeLamports"), "{}", system.message);
    }

    #[test]
    fn multipliers_read_and_show_as_times() {
        assert_eq!(multiplier_text(100_000), "x10");
        assert_eq!(multiplier_text(15_000), "x1.5");
        assert_eq!(multiplier_text(10_025), "x1.0025");
        assert_eq!(parse_multiplier("x10"), Ok(100_000));
        assert_eq!(parse_multiplier("10x"), Ok(100_000));
        assert_eq!(parse_multiplier("x1.5"), Ok(15_000));
        assert_eq!(parse_multiplier("100000"), Ok(100_000));
        assert!(parse_multiplier("ten").is_err());
        assert!(parse_multiplier("x1.00001").is_err());
    }

    #[test]
    fn only_this_machine_is_local() {
        for url in
            ["svm:/tmp/chain.json", "http://localhost:8899", "http://127.0.0.1:8899", "http://[::1]:8899/", "http://localhost"]
        {
            assert!(is_local_url(url), "{url}");
        }
        for url in [
            "https://api.devnet.solana.com",
            "http://10.0.0.1:8899",
            "http://localhost.example.com:8899",
            "http://127.0.0.1.nip.io",
        ] {
            assert!(!is_local_url(url), "{url}");
        }
    }
}
