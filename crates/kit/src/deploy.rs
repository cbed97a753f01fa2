//! The deployment of a world: where the workspace and the program binary are, the floors and
//! parameters of a local deployment, and `initialize` (R30) sent by the program's upgrade
//! authority. Loading the binary into a LiteSVM with an upgrade authority is
//! [`crate::chain::litesvm::load_program`]; a validator gets it from tools/localnet/start.sh.
use crate::chain::{SendError, Sent};
use crate::stage::Stage;
use device_staking_client::device_staking::instructions::initialize::InitializeArgs;
use device_staking_client::device_staking::state::{Floors, Params};
use device_staking_client::ix::{self, Mint};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::{Path, PathBuf};

/// The program binary (SBPF v3), relative to the workspace root.
pub const PROGRAM_SO: &str = "target/deploy/device_staking.so";

/// The program binary built for SBPF v0, relative to the workspace root.
pub const PROGRAM_V0_SO: &str = "target/deploy/device_staking_v0.so";

/// The floors a local deployment may use (protocol "Floors", R30): 1 s cover window, 1 s
/// cooldown and no role change delay of their own, so that windows of seconds are allowed.
pub const LOCAL_FLOORS: Floors = Floors { cover_window_secs: 1, cooldown_secs: 1, role_change_delay_secs: 0 };

/// The parameters of a validator on this machine, relative to the workspace root.
pub const LOCAL_PARAMS_FILE: &str = "migrations/params.localnet.toml";

/// The workspace root this crate was built from.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap_or_else(|_| PathBuf::from("."))
}

/// Where the program binary is: under the workspace root this crate was built from, else under
/// the current directory; the first of them that exists.
pub fn program_path() -> Result<PathBuf, String> {
    let candidates = [root().join(PROGRAM_SO), PathBuf::from(PROGRAM_SO)];
    candidates.iter().find(|p| p.is_file()).cloned().ok_or_else(|| {
        format!(
            "the program binary is missing (looked for {} and ./{PROGRAM_SO}): build it first with `make build`",
            candidates[0].display()
        )
    })
}

/// The protocol's default parameters for a mint of `decimals` with the values of `file` (lines
/// `name = integer`, `_` allowed in numbers; `#` starts a comment); an error names a line that
/// is not a parameter.
pub fn params_from_file(file: &Path, decimals: u8) -> Result<Params, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let mut params = Params::defaults(decimals).map_err(|e| e.to_string())?;
    for line in text.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty()) {
        let at = |what: &str| format!("{}: {line}: {what}", file.display());
        let (name, value) = line.split_once('=').ok_or_else(|| at("not `name = value`"))?;
        let value: i64 = value.trim().replace('_', "").parse().map_err(|e| at(&format!("{e}")))?;
        let small = |v: i64| u16::try_from(v).map_err(|_| at("out of range"));
        match name.trim() {
            "base_stake_per_gpu" => params.base_stake_per_gpu = u64::try_from(value).map_err(|_| at("out of range"))?,
            "cover_window_secs" => params.cover_window_secs = value,
            "cooldown_secs" => params.cooldown_secs = value,
            "max_costake_bps" => params.max_costake_bps = small(value)?,
            "max_active_costakes" => params.max_active_costakes = u8::try_from(value).map_err(|_| at("out of range"))?,
            "max_reward_share_bps" => params.max_reward_share_bps = small(value)?,
            "min_offer_bps" => params.min_offer_bps = small(value)?,
            "max_slash_bps_per_30d" => params.max_slash_bps_per_30d = small(value)?,
            "max_hold_secs" => params.max_hold_secs = value,
            "role_change_delay_secs" => params.role_change_delay_secs = value,
            other => return Err(at(&format!("unknown parameter {other}"))),
        }
    }
    Ok(params)
}

/// The parameters of a validator on this machine ([`LOCAL_PARAMS_FILE`]) for a mint of `decimals`.
pub fn local_params(decimals: u8) -> Result<Params, String> {
    params_from_file(&root().join(LOCAL_PARAMS_FILE), decimals)
}

/// Creates the config (R30): `upgrade_authority` (the program's) signs, `mint` is the staking
/// mint, `args` the roles, floors and parameters.
pub fn initialize(stage: &mut Stage, upgrade_authority: &Keypair, mint: &Mint, args: InitializeArgs) -> Result<Sent, SendError> {
    let instruction = ix::initialize(upgrade_authority.pubkey(), mint.mint, mint.token_program, args);
    stage.send(&[instruction], &[upgrade_authority])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` written to a fresh file, read by [`params_from_file`] for 6 decimals.
    fn params_of(name: &str, text: &str) -> Result<Params, String> {
        let file = std::env::temp_dir().join(format!("device-staking-kit-{name}-{}.toml", std::process::id()));
        std::fs::write(&file, text).unwrap();
        let params = params_from_file(&file, 6);
        std::fs::remove_file(&file).unwrap();
        params
    }

    #[test]
    fn a_parameter_file_overrides_the_defaults_it_names() {
        let params =
            params_of("ok", "# windows of seconds\ncover_window_secs = 15\nbase_stake_per_gpu = 1_000  # tokens\n").unwrap();
        let defaults = Params::defaults(6).unwrap();
        assert_eq!((params.cover_window_secs, params.base_stake_per_gpu), (15, 1_000));
        assert_eq!(params.cooldown_secs, defaults.cooldown_secs);
    }

    #[test]
    fn a_bad_parameter_file_is_refused_with_its_line() {
        assert!(params_of("unknown", "cover_window = 15\n").unwrap_err().contains("unknown parameter cover_window"));
        assert!(params_of("range", "max_costake_bps = 70000\n").unwrap_err().contains("out of range"));
        assert!(params_of("shape", "cooldown_secs\n").unwrap_err().contains("not `name = value`"));
    }

    #[test]
    fn the_local_parameters_give_windows_of_seconds_within_the_local_floors() {
        let params = local_params(6).unwrap();
        assert!(params.cover_window_secs < 60 && params.cooldown_secs < 60);
        assert!(params.validate(&LOCAL_FLOORS).is_ok());
    }
}
