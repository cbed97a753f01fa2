//! A chain's state recorded for signing offline. [`Recording`] wraps a chain and writes every
//! read a command makes (accounts, program-account queries, the clock, rent) into a file;
//! [`Recorded`] answers the same reads from that file on a machine with no network and sends
//! nothing. So a command that reads the program's state to build its transaction (the config's
//! mint, a device's vaults and positions) can be built and signed on an air-gapped machine: run
//! it once online with `--record-state FILE`, carry FILE over, run it there with `--state FILE
//! --sign-only --blockhash HASH`.
use super::{Chain, SendError, Sent};
use anchor_lang::prelude::Pubkey;
use base64::Engine;
use device_staking_client::query::Memcmp;
use serde::{Deserialize, Serialize};
use solana_account::Account;
use solana_hash::Hash;
use solana_transaction::Transaction;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// An account as the file keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct StoredAccount {
    /// Lamports.
    lamports: u64,
    /// The data, base64.
    data: String,
    /// The owner program.
    owner: String,
    /// Whether it is a program.
    executable: bool,
}

/// A program-account query and its answer, as the file keeps them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct StoredQuery {
    /// The filters: `(offset, bytes base64)`.
    filters: Vec<(usize, String)>,
    /// The matching accounts: `(address, data base64)`.
    accounts: Vec<(String, String)>,
}

/// Every read a command made, as saved in the state file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainState {
    /// Accounts read, by address (`null` where none exists).
    accounts: BTreeMap<String, Option<StoredAccount>>,
    /// Program-account queries, in the order made.
    queries: Vec<StoredQuery>,
    /// The Clock's unix time when recorded.
    unix_time: Option<i64>,
    /// Rent-exempt minimums asked for, by size.
    minimum_balances: BTreeMap<usize, u64>,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(text: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD.decode(text).map_err(|e| format!("the state file holds bad base64: {e}"))
}

fn stored_filters(filters: &[Memcmp]) -> Vec<(usize, String)> {
    filters.iter().map(|f| (f.offset, b64(&f.bytes))).collect()
}

impl ChainState {
    /// Reads a state file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read the state file {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{} is not a state file: {e}", path.display()))
    }

    /// Writes the state file.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("cannot write the state file {}: {e}", path.display()))
    }
}

/// A chain whose reads are written to a state file as they happen (each read rewrites it, so
/// the file is complete whatever the command does next).
pub struct Recording {
    /// The chain read.
    inner: Box<dyn Chain>,
    /// The state file.
    path: PathBuf,
    /// What was read so far.
    state: RefCell<ChainState>,
}

impl Recording {
    /// Records the reads made of `inner` into `path` (started empty).
    pub fn new(inner: Box<dyn Chain>, path: &Path) -> Result<Self, String> {
        let recording = Self { inner, path: path.to_path_buf(), state: RefCell::new(ChainState::default()) };
        recording.state.borrow().save(path)?;
        Ok(recording)
    }

    fn note(&self, change: impl FnOnce(&mut ChainState)) -> Result<(), String> {
        change(&mut self.state.borrow_mut());
        self.state.borrow().save(&self.path)
    }
}

impl Chain for Recording {
    fn account(&self, address: &Pubkey) -> Result<Option<Account>, String> {
        let account = self.inner.account(address)?;
        let stored = account.as_ref().map(|a| StoredAccount {
            lamports: a.lamports,
            data: b64(&a.data),
            owner: a.owner.to_string(),
            executable: a.executable,
        });
        self.note(|s| {
            s.accounts.insert(address.to_string(), stored);
        })?;
        Ok(account)
    }

    fn program_accounts(&self, filters: &[Memcmp]) -> Result<Vec<(Pubkey, Vec<u8>)>, String> {
        let found = self.inner.program_accounts(filters)?;
        let accounts = found.iter().map(|(address, data)| (address.to_string(), b64(data))).collect();
        self.note(|s| s.queries.push(StoredQuery { filters: stored_filters(filters), accounts }))?;
        Ok(found)
    }

    fn unix_time(&self) -> Result<i64, String> {
        let now = self.inner.unix_time()?;
        self.note(|s| s.unix_time = Some(now))?;
        Ok(now)
    }

    fn latest_blockhash(&self) -> Result<Hash, String> {
        self.inner.latest_blockhash()
    }

    fn send_transaction(&mut self, transaction: &Transaction) -> Result<Sent, SendError> {
        self.inner.send_transaction(transaction)
    }

    fn minimum_balance(&self, space: usize) -> Result<u64, String> {
        let lamports = self.inner.minimum_balance(space)?;
        self.note(|s| {
            s.minimum_balances.insert(space, lamports);
        })?;
        Ok(lamports)
    }
}

/// A chain answered from a state file: the reads a [`Recording`] saved, nothing else; it has no
/// blockhash and sends nothing.
pub struct Recorded {
    /// The state file (named in errors).
    path: PathBuf,
    /// Its contents.
    state: ChainState,
}

impl Recorded {
    /// The chain of the state file at `path`.
    pub fn open(path: &Path) -> Result<Self, String> {
        Ok(Self { path: path.to_path_buf(), state: ChainState::load(path)? })
    }

    /// The error of a read the file does not hold.
    fn missing(&self, what: &str) -> String {
        format!(
            "the state file {} holds no {what}: record it online with the same command and --record-state",
            self.path.display()
        )
    }
}

impl Chain for Recorded {
    fn account(&self, address: &Pubkey) -> Result<Option<Account>, String> {
        let stored = self.state.accounts.get(&address.to_string()).ok_or_else(|| self.missing(&format!("account {address}")))?;
        let Some(stored) = stored else { return Ok(None) };
        Ok(Some(Account {
            lamports: stored.lamports,
            data: unb64(&stored.data)?,
            owner: stored.owner.parse().map_err(|e| format!("the state file holds a bad owner: {e}"))?,
            executable: stored.executable,
            rent_epoch: 0,
        }))
    }

    fn program_accounts(&self, filters: &[Memcmp]) -> Result<Vec<(Pubkey, Vec<u8>)>, String> {
        let wanted = stored_filters(filters);
        let query = self.state.queries.iter().find(|q| q.filters == wanted).ok_or_else(|| self.missing("such query"))?;
        query
            .accounts
            .iter()
            .map(|(address, data)| {
                Ok((address.parse().map_err(|e| format!("the state file holds a bad address: {e}"))?, unb64(data)?))
            })
            .collect()
    }

    fn unix_time(&self) -> Result<i64, String> {
        self.state.unix_time.ok_or_else(|| self.missing("clock"))
    }

    fn latest_blockhash(&self) -> Result<Hash, String> {
        Err("no blockhash offline: pass --blockhash (a recent one, from the machine that will send)".into())
    }

    fn send_transaction(&mut self, _transaction: &Transaction) -> Result<Sent, SendError> {
        Err(SendError::Failed(
            "nothing is sent from a state file (--state): sign with --sign-only or print the message with --dump-transaction-message"
                .into(),
        ))
    }

    fn minimum_balance(&self, space: usize) -> Result<u64, String> {
        self.state.minimum_balances.get(&space).copied().ok_or_else(|| self.missing(&format!("rent for {space} bytes")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain of one account, a clock and one query, counting nothing else.
    struct Fixed;

    impl Chain for Fixed {
        fn account(&self, address: &Pubkey) -> Result<Option<Account>, String> {
            Ok((*address == Pubkey::new_from_array([1; 32])).then(|| Account {
                lamports: 5,
                data: vec![1, 2, 3],
                owner: Pubkey::new_from_array([9; 32]),
                executable: false,
                rent_epoch: 0,
            }))
        }
        fn program_accounts(&self, filters: &[Memcmp]) -> Result<Vec<(Pubkey, Vec<u8>)>, String> {
            Ok(vec![(Pubkey::new_from_array([2; 32]), filters.iter().flat_map(|f| f.bytes.clone()).collect())])
        }
        fn unix_time(&self) -> Result<i64, String> {
            Ok(1_700_000_000)
        }
        fn latest_blockhash(&self) -> Result<Hash, String> {
            Ok(Hash::default())
        }
        fn send_transaction(&mut self, _transaction: &Transaction) -> Result<Sent, SendError> {
            Err(SendError::Failed("not here".into()))
        }
        fn minimum_balance(&self, space: usize) -> Result<u64, String> {
            Ok(space as u64 * 10)
        }
    }

    #[test]
    fn what_a_command_read_online_is_answered_the_same_offline() {
        let dir = std::env::temp_dir().join(format!("recorded-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        let (present, absent) = (Pubkey::new_from_array([1; 32]), Pubkey::new_from_array([3; 32]));
        let filters = [Memcmp { offset: 8, bytes: vec![7, 7] }];
        let online = Recording::new(Box::new(Fixed), &path).unwrap();
        let reads = (
            online.account(&present).unwrap(),
            online.account(&absent).unwrap(),
            online.program_accounts(&filters).unwrap(),
            online.unix_time().unwrap(),
            online.minimum_balance(165).unwrap(),
        );
        let offline = Recorded::open(&path).unwrap();
        let again = (
            offline.account(&present).unwrap(),
            offline.account(&absent).unwrap(),
            offline.program_accounts(&filters).unwrap(),
            offline.unix_time().unwrap(),
            offline.minimum_balance(165).unwrap(),
        );
        assert_eq!(again, reads);
        // what was not read online is an error naming it, never a guess
        let other = Pubkey::new_from_array([4; 32]);
        assert!(offline.account(&other).unwrap_err().contains(&other.to_string()));
        assert!(offline.program_accounts(&[Memcmp { offset: 8, bytes: vec![6] }]).is_err());
        assert!(offline.minimum_balance(82).is_err());
        assert!(offline.latest_blockhash().unwrap_err().contains("--blockhash"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
