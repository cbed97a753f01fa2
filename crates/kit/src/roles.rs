//! The cast of a world as keypairs: the config's roles ([`Roles`]: admin, oracle, reward
//! authority, slash authority, treasury), new, fixed (the same addresses, PDA bumps and so
//! compute units on every run) or derived from a wallet (found again by a later run with the
//! same wallet); and keypair files for tools that take `-k FILE` ([`KeyFiles`]).
use device_staking_client::device_staking::instructions::initialize::InitializeArgs;
use device_staking_client::device_staking::state::{Floors, Params};
use solana_keypair::{read_keypair_file, write_keypair_file, Keypair};
use solana_signer::Signer;
use std::path::{Path, PathBuf};

/// The keys of the config's roles.
pub struct Roles {
    /// The admin.
    pub admin: Keypair,
    /// The oracle.
    pub oracle: Keypair,
    /// The reward authority.
    pub reward_authority: Keypair,
    /// The slash authority.
    pub slash_authority: Keypair,
    /// The treasury wallet.
    pub treasury: Keypair,
}

/// A keypair whose secret is `seed` repeated: the same address on every run.
pub fn fixed_key(seed: u8) -> Keypair {
    Keypair::new_from_array([seed; 32])
}

/// A key that only the holder of `wallet` can derive again: SHA-256 of `label`, `name` and
/// `wallet`'s secret.
pub fn derived_key(wallet: &Keypair, label: &str, name: &str) -> Keypair {
    let seed = solana_sha256_hasher::hashv(&[label.as_bytes(), name.as_bytes(), &wallet.secret_bytes()[..]]);
    Keypair::new_from_array(seed.to_bytes())
}

/// New keypairs, `count` of them (owners, co-stakers).
pub fn new_keys(count: usize) -> Vec<Keypair> {
    (0..count).map(|_| Keypair::new()).collect()
}

impl Roles {
    /// The role names, in the order of [`Roles::all`].
    pub const NAMES: [&'static str; 5] = ["admin", "oracle", "reward authority", "slash authority", "treasury"];

    /// New keys for every role.
    pub fn new() -> Self {
        Self::from_keys(std::array::from_fn(|_| Keypair::new()))
    }

    /// Fixed keys: the secret seeds `first`, `first + 1`, ... in the order of [`Roles::all`].
    pub fn fixed(first: u8) -> Self {
        Self::from_keys(std::array::from_fn(|i| fixed_key(first + i as u8)))
    }

    /// Keys derived from `wallet` and `label` (see [`derived_key`]), one per role name.
    pub fn derived(wallet: &Keypair, label: &str) -> Self {
        Self::from_keys(Self::NAMES.map(|name| derived_key(wallet, label, name)))
    }

    /// The roles of `keys` in the order of [`Roles::all`].
    pub fn from_keys([admin, oracle, reward_authority, slash_authority, treasury]: [Keypair; 5]) -> Self {
        Self { admin, oracle, reward_authority, slash_authority, treasury }
    }

    /// Every role's key: admin, oracle, reward authority, slash authority, treasury.
    pub fn all(&self) -> [&Keypair; 5] {
        [&self.admin, &self.oracle, &self.reward_authority, &self.slash_authority, &self.treasury]
    }

    /// `initialize`'s arguments naming these roles, with the local floors
    /// ([`crate::deploy::LOCAL_FLOORS`]) and `params` (`None`: the defaults).
    pub fn initialize_args(&self, params: Option<Params>) -> InitializeArgs {
        self.initialize_args_with(crate::deploy::LOCAL_FLOORS, params)
    }

    /// `initialize`'s arguments naming these roles, with `floors` and `params`.
    pub fn initialize_args_with(&self, floors: Floors, params: Option<Params>) -> InitializeArgs {
        InitializeArgs {
            admin: self.admin.pubkey(),
            oracle: self.oracle.pubkey(),
            reward_authority: self.reward_authority.pubkey(),
            slash_authority: self.slash_authority.pubkey(),
            treasury: self.treasury.pubkey(),
            floors,
            params,
        }
    }
}

impl Default for Roles {
    fn default() -> Self {
        Self::new()
    }
}

/// Keypair files `<name>.json` in one folder, for tools that sign with `-k FILE`.
pub struct KeyFiles {
    dir: PathBuf,
}

impl KeyFiles {
    /// New keypairs `<name>.json` in `dir` (created if missing), replacing files of those names.
    pub fn create(dir: &Path, names: &[&str]) -> Result<Self, String> {
        let files = Self::open(dir);
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for name in names {
            files.write(name, &Keypair::new())?;
        }
        Ok(files)
    }

    /// The keypair files already in `dir`.
    pub fn open(dir: &Path) -> Self {
        Self { dir: dir.to_path_buf() }
    }

    /// Writes `keypair` as `<name>.json`.
    pub fn write(&self, name: &str, keypair: &Keypair) -> Result<(), String> {
        let file = self.file(name);
        write_keypair_file(keypair, &file).map(|_| ()).map_err(|e| format!("cannot write {}: {e}", file.display()))
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The keypair file of `name`.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    /// The keypair file of `name`, as a command-line argument.
    pub fn arg(&self, name: &str) -> String {
        self.file(name).display().to_string()
    }

    /// The keypair of `name`; panics when its file cannot be read.
    pub fn keypair(&self, name: &str) -> Keypair {
        read_keypair(&self.file(name)).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The address of `name`; panics when its file cannot be read.
    pub fn pubkey(&self, name: &str) -> anchor_lang::prelude::Pubkey {
        self.keypair(name).pubkey()
    }

    /// Another file in the folder (not a keypair), as a command-line argument.
    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

/// The keypair in the file `file` (the Solana CLI's JSON array of 64 bytes).
pub fn read_keypair(file: &Path) -> Result<Keypair, String> {
    read_keypair_file(file).map_err(|e| format!("cannot read the keypair {}: {e}", file.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_roles_are_the_same_keys_on_every_run_and_distinct() {
        let (first, again) = (Roles::fixed(2), Roles::fixed(2));
        let keys: Vec<_> = first.all().iter().map(|k| k.pubkey()).collect();
        assert_eq!(keys, again.all().iter().map(|k| k.pubkey()).collect::<Vec<_>>());
        assert_eq!(first.admin.pubkey(), fixed_key(2).pubkey());
        assert_eq!(first.treasury.pubkey(), fixed_key(6).pubkey());
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 5);
    }

    #[test]
    fn derived_roles_come_back_from_the_same_wallet_and_label_only() {
        let wallet = Keypair::new();
        let first = Roles::derived(&wallet, "label");
        assert_eq!(first.oracle.pubkey(), Roles::derived(&wallet, "label").oracle.pubkey());
        assert_ne!(first.oracle.pubkey(), Roles::derived(&wallet, "other").oracle.pubkey());
        assert_ne!(first.oracle.pubkey(), Roles::derived(&Keypair::new(), "label").oracle.pubkey());
        // the seed is SHA-256 of the label, the role's name and the wallet's secret
        let seed = solana_sha256_hasher::hashv(&[b"label", b"reward authority", &wallet.secret_bytes()[..]]);
        assert_eq!(first.reward_authority.pubkey(), Keypair::new_from_array(seed.to_bytes()).pubkey());
    }

    #[test]
    fn initialize_args_name_every_role_with_the_floors_given() {
        let roles = Roles::new();
        let args = roles.initialize_args(None);
        assert_eq!(
            [args.admin, args.oracle, args.reward_authority, args.slash_authority, args.treasury],
            roles.all().map(|k| k.pubkey())
        );
        assert_eq!(args.floors, crate::deploy::LOCAL_FLOORS);
        assert!(args.params.is_none());
    }

    #[test]
    fn key_files_are_written_and_read_back() {
        let dir = std::env::temp_dir().join(format!("device-staking-kit-keys-{}", std::process::id()));
        let files = KeyFiles::create(&dir, &["owner", "oracle"]).unwrap();
        let owner = files.keypair("owner");
        assert_eq!(files.pubkey("owner"), owner.pubkey());
        assert_ne!(files.pubkey("owner"), files.pubkey("oracle"));
        assert_eq!(KeyFiles::open(&dir).pubkey("owner"), owner.pubkey());
        assert!(read_keypair(&files.file("missing")).unwrap_err().contains("missing.json"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
