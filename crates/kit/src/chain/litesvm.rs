//! [`Chain`] on an embedded LiteSVM running the built program, optionally kept in a state file
//! between runs of the CLI (`--url svm:PATH`): every account except programs and sysvars, the
//! Clock and the program's upgrade authority. LiteSVM has no index of program accounts, so
//! listing scans the accounts it holds.
use super::{Chain, Refusal, SendError, Sent};
use crate::deploy::program_path;
use anchor_lang::prelude::Pubkey;
use device_staking_client::query::{self, Memcmp};
use device_staking_client::{pda, PROGRAM_ID};
use litesvm::LiteSVM;
use serde::{Deserialize, Serialize};
use solana_account::Account;
use solana_clock::Clock;
use solana_hash::Hash;
use solana_sdk_ids::{bpf_loader, bpf_loader_deprecated, bpf_loader_upgradeable, native_loader, sysvar};
use solana_transaction::Transaction;
use std::path::{Path, PathBuf};

/// The LiteSVM, and the file its state is kept in (if any).
pub struct LiteSvmChain {
    svm: LiteSVM,
    upgrade_authority: Pubkey,
    state_file: Option<PathBuf>,
}

/// One account of the state file.
#[derive(Serialize, Deserialize)]
struct StoredAccount {
    address: String,
    lamports: u64,
    owner: String,
    executable: bool,
    rent_epoch: u64,
    /// The data in hex.
    data: String,
}

/// The state file: what a new LiteSVM needs to continue where the last run stopped.
#[derive(Serialize, Deserialize)]
struct StoredState {
    upgrade_authority: String,
    unix_timestamp: i64,
    slot: u64,
    accounts: Vec<StoredAccount>,
}

fn parse_key(text: &str) -> Result<Pubkey, String> {
    text.parse().map_err(|e| format!("`{text}` in the state file is not an address: {e}"))
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) {
        return Err("odd-length hex in the state file".into());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|e| format!("bad hex in the state file: {e}")))
        .collect()
}

/// Deploys the program binary at `path` into `svm` (as LiteSVM does: through the upgradeable
/// loader) and records `upgrade_authority` in its program-data account (what `initialize`
/// checks, R30).
pub fn load_program(svm: &mut LiteSVM, path: &Path, upgrade_authority: Option<Pubkey>) -> Result<(), String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read {} ({e}): build the program first with `make build`", path.display()))?;
    svm.add_program(PROGRAM_ID, &bytes).map_err(|e| format!("cannot load {}: {e:?}", path.display()))?;
    set_upgrade_authority(svm, upgrade_authority)
}

/// Writes `authority` (or none) into the program's program-data account. LiteSVM deploys with
/// none; the layout is `u32` tag 3, `u64` slot, `Option<Pubkey>` (1-byte tag + 32 bytes).
pub fn set_upgrade_authority(svm: &mut LiteSVM, authority: Option<Pubkey>) -> Result<(), String> {
    let address = pda::program_data(&PROGRAM_ID).0;
    let mut account = svm.get_account(&address).ok_or("no program-data account")?;
    if account.data.get(..4) != Some(&3u32.to_le_bytes()[..]) || account.data.len() < 45 {
        return Err("the program-data account is not a ProgramData account".into());
    }
    let (tag, key) = account.data[12..45].split_at_mut(1);
    tag[0] = u8::from(authority.is_some());
    key.copy_from_slice(authority.unwrap_or_default().as_ref());
    svm.set_account(address, account).map_err(|e| format!("cannot set program-data: {e:?}"))
}

/// Sets the Clock's unix time of `svm` to `unix_ts`, moves to the next slot and expires the
/// blockhash (so that a transaction identical to an earlier one is new).
pub fn set_clock(svm: &mut LiteSVM, unix_ts: i64) {
    let mut clock = svm.get_sysvar::<Clock>();
    clock.unix_timestamp = unix_ts;
    clock.slot += 1;
    svm.set_sysvar(&clock);
    svm.expire_blockhash();
}

/// Whether the state file keeps the account of `owner`: not programs, loaders or sysvars, which
/// a new LiteSVM makes itself.
fn is_kept(account: &Account) -> bool {
    let made_by_the_svm = [bpf_loader::ID, bpf_loader_deprecated::ID, bpf_loader_upgradeable::ID, native_loader::ID, sysvar::ID];
    !account.executable && account.lamports > 0 && !made_by_the_svm.contains(&account.owner)
}

impl LiteSvmChain {
    /// Deploys the program at `path` with `upgrade_authority` as its upgrade authority (what
    /// `initialize` checks, R30); the Clock starts at `start` (unix seconds). Blockhashes are
    /// not checked, so a transaction signed in one run (a co-signature) can be sent in another.
    pub fn new(path: &Path, upgrade_authority: Pubkey, start: i64) -> Result<Self, String> {
        let mut svm = LiteSVM::new().with_blockhash_check(false);
        load_program(&mut svm, path, Some(upgrade_authority))?;
        let mut this = Self { svm, upgrade_authority, state_file: None };
        this.warp_to(start);
        Ok(this)
    }

    /// Creates the state file `file` for a new chain (see [`LiteSvmChain::new`]).
    pub fn create(file: &Path, upgrade_authority: Pubkey, start: i64) -> Result<Self, String> {
        let mut this = Self::new(&program_path()?, upgrade_authority, start)?;
        this.state_file = Some(file.to_path_buf());
        this.save()?;
        Ok(this)
    }

    /// Opens the chain kept in `file` (made by [`LiteSvmChain::create`]).
    pub fn open(file: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(file).map_err(|e| {
            format!("cannot read the LiteSVM state {}: {e} (create it with `device-staking svm init`)", file.display())
        })?;
        let state: StoredState =
            serde_json::from_str(&text).map_err(|e| format!("{} is not a LiteSVM state file: {e}", file.display()))?;
        let mut this = Self::new(&program_path()?, parse_key(&state.upgrade_authority)?, state.unix_timestamp)?;
        this.state_file = Some(file.to_path_buf());
        for stored in state.accounts {
            let account = Account {
                lamports: stored.lamports,
                data: unhex(&stored.data)?,
                owner: parse_key(&stored.owner)?,
                executable: stored.executable,
                rent_epoch: stored.rent_epoch,
            };
            let address = parse_key(&stored.address)?;
            this.svm.set_account(address, account).map_err(|e| format!("cannot restore {address}: {e:?}"))?;
        }
        let mut clock = this.svm.get_sysvar::<Clock>();
        clock.slot = state.slot;
        this.svm.set_sysvar(&clock);
        Ok(this)
    }

    /// Writes the state to its file, if it has one.
    pub fn save(&self) -> Result<(), String> {
        let Some(file) = &self.state_file else { return Ok(()) };
        let mut accounts: Vec<StoredAccount> = self
            .svm
            .accounts_db()
            .inner
            .keys()
            .filter_map(|address| self.svm.get_account(address).filter(is_kept).map(|account| (*address, account)))
            .map(|(address, account)| StoredAccount {
                address: address.to_string(),
                lamports: account.lamports,
                owner: account.owner.to_string(),
                executable: account.executable,
                rent_epoch: account.rent_epoch,
                data: hex(&account.data),
            })
            .collect();
        accounts.sort_by(|a, b| a.address.cmp(&b.address));
        let clock = self.svm.get_sysvar::<Clock>();
        let state = StoredState {
            upgrade_authority: self.upgrade_authority.to_string(),
            unix_timestamp: clock.unix_timestamp,
            slot: clock.slot,
            accounts,
        };
        let text = serde_json::to_string_pretty(&state).map_err(|e| format!("cannot write the state: {e}"))?;
        std::fs::write(file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))
    }

    /// Adds `sol` SOL to `address`.
    pub fn airdrop(&mut self, address: &Pubkey, sol: u64) -> Result<(), String> {
        self.svm
            .airdrop(address, sol.saturating_mul(1_000_000_000))
            .map(|_| ())
            .map_err(|e| format!("airdrop to {address} failed: {:?}", e.err))
    }

    /// Sets the Clock's unix time to `unix_ts` and moves to the next slot.
    pub fn warp_to(&mut self, unix_ts: i64) {
        set_clock(&mut self.svm, unix_ts);
    }
}

impl Chain for LiteSvmChain {
    fn account(&self, address: &Pubkey) -> Result<Option<Account>, String> {
        Ok(self.svm.get_account(address))
    }

    fn program_accounts(&self, filters: &[Memcmp]) -> Result<Vec<(Pubkey, Vec<u8>)>, String> {
        let mut found: Vec<(Pubkey, Vec<u8>)> = self
            .svm
            .get_program_accounts(&PROGRAM_ID)
            .into_iter()
            .filter(|(_, account)| account.lamports > 0 && query::matches(filters, &account.data))
            .map(|(address, account)| (address, account.data))
            .collect();
        found.sort_by_key(|(address, _)| *address);
        Ok(found)
    }

    fn unix_time(&self) -> Result<i64, String> {
        Ok(self.svm.get_sysvar::<Clock>().unix_timestamp)
    }

    fn latest_blockhash(&self) -> Result<Hash, String> {
        Ok(self.svm.latest_blockhash())
    }

    fn minimum_balance(&self, space: usize) -> Result<u64, String> {
        Ok(self.svm.minimum_balance_for_rent_exemption(space))
    }

    fn warp_clock(&mut self, unix_ts: i64) -> Result<bool, String> {
        self.warp_to(unix_ts);
        self.save()?;
        Ok(true)
    }

    fn send_transaction(&mut self, transaction: &Transaction) -> Result<Sent, SendError> {
        let outcome = self.svm.send_transaction(transaction.clone());
        // a new blockhash per transaction lets an identical one through later
        self.svm.expire_blockhash();
        match outcome {
            Ok(meta) => {
                self.save().map_err(SendError::Failed)?;
                Ok(Sent {
                    signature: meta.signature.to_string(),
                    compute_units: Some(meta.compute_units_consumed),
                    logs: meta.logs,
                })
            }
            Err(failed) => Err(SendError::Refused(Refusal {
                error: failed.err,
                compute_units: Some(failed.meta.compute_units_consumed),
                logs: failed.meta.logs,
            })),
        }
    }
}
