//! `program`: the program's deployment on the chain (read-only): whether it is deployed and
//! executable, its program data account, upgrade authority, and whether the deployed bytes are a
//! given local build. The deploy step (`migrations/deploy.sh`) checks this before initializing.
use super::{CliError, Context, Report};
use crate::json::Json;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::bpf_loader_upgradeable::{self, UpgradeableLoaderState};
use device_staking_client::PROGRAM_ID;
use std::path::Path;

/// What the chain holds at the program id.
#[derive(Debug, PartialEq, Eq)]
pub enum Deployment {
    /// No account at the program id.
    Missing,
    /// An account that is not an upgradeable program (another loader, or not executable).
    Other {
        /// The account's owner.
        owner: Pubkey,
        /// Whether it is marked executable.
        executable: bool,
    },
    /// An upgradeable program.
    Upgradeable {
        /// Its program data account.
        program_data: Pubkey,
        /// The slot of its last deployment.
        slot: u64,
        /// Its upgrade authority; `None` once made immutable.
        upgrade_authority: Option<Pubkey>,
        /// The program data's ELF bytes (the account's data after its header).
        elf: Vec<u8>,
    },
}

impl Deployment {
    /// Whether the deployed bytes are `binary` (the program data may be longer: zero padding).
    pub fn runs(&self, binary: &[u8]) -> bool {
        match self {
            Deployment::Upgradeable { elf, .. } => {
                elf.len() >= binary.len() && &elf[..binary.len()] == binary && elf[binary.len()..].iter().all(|b| *b == 0)
            }
            _ => false,
        }
    }
}

/// Reads the deployment of the program.
pub fn deployment(ctx: &Context) -> Result<Deployment, String> {
    let Some(program) = ctx.chain.account(&PROGRAM_ID)? else { return Ok(Deployment::Missing) };
    let other = Deployment::Other { owner: program.owner, executable: program.executable };
    if program.owner != bpf_loader_upgradeable::ID || !program.executable {
        return Ok(other);
    }
    let Ok(UpgradeableLoaderState::Program { programdata_address }) = bincode_state(&program.data) else { return Ok(other) };
    let data = ctx
        .chain
        .account(&programdata_address)?
        .ok_or_else(|| format!("the program data account {programdata_address} is missing"))?;
    let header = UpgradeableLoaderState::size_of_programdata_metadata();
    match bincode_state(&data.data) {
        Ok(UpgradeableLoaderState::ProgramData { slot, upgrade_authority_address }) if data.data.len() >= header => {
            Ok(Deployment::Upgradeable {
                program_data: programdata_address,
                slot,
                upgrade_authority: upgrade_authority_address,
                elf: data.data[header..].to_vec(),
            })
        }
        _ => Err(format!("{programdata_address} is not a program data account")),
    }
}

/// The loader's state at the start of an account's data.
fn bincode_state(data: &[u8]) -> Result<UpgradeableLoaderState, String> {
    bincode::deserialize(data).map_err(|e| e.to_string())
}

/// Shows the deployment; with `expect`, fails unless the deployed program is that binary.
pub fn run(ctx: &Context, expect: Option<&Path>) -> Result<Report, CliError> {
    let deployment = deployment(ctx)?;
    let binary = match expect {
        Some(path) => Some(std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?),
        None => None,
    };
    let matches = binary.as_ref().map(|b| deployment.runs(b));
    let (text, mut json) = match &deployment {
        Deployment::Missing => {
            (format!("program {PROGRAM_ID}: not deployed on this chain\n"), vec![("deployed", Json::Bool(false))])
        }
        Deployment::Other { owner, executable } => (
            format!("program {PROGRAM_ID}: an account owned by {owner} (executable: {executable}), not an upgradeable program\n"),
            vec![("deployed", Json::Bool(false)), ("owner", Json::str(owner.to_string()))],
        ),
        Deployment::Upgradeable { program_data, slot, upgrade_authority, elf } => {
            let authority = upgrade_authority.map_or("none (immutable)".to_string(), |a| a.to_string());
            (
                format!(
                    "program {PROGRAM_ID}: deployed (upgradeable) at slot {slot}\n  program data       {program_data} ({} bytes)\n  upgrade authority  {authority}\n",
                    elf.len()
                ),
                vec![
                    ("deployed", Json::Bool(true)),
                    ("program_data", Json::str(program_data.to_string())),
                    ("slot", Json::Int((*slot).into())),
                    ("upgrade_authority", upgrade_authority.map_or(Json::Null, |a| Json::str(a.to_string()))),
                    ("program_data_bytes", Json::Int(elf.len() as i128)),
                ],
            )
        }
    };
    json.insert(0, ("program", Json::str(PROGRAM_ID.to_string())));
    let mut text = text;
    if let (Some(path), Some(matches)) = (expect, matches) {
        json.push(("matches", Json::Bool(matches)));
        text.push_str(&format!("  runs {}  {}\n", path.display(), if matches { "yes" } else { "no" }));
        if !matches {
            return Err(CliError::from(format!("{text}the deployed program is not {}", path.display())));
        }
    }
    Ok(Report { text, json })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upgradeable(elf: &[u8]) -> Deployment {
        Deployment::Upgradeable { program_data: Pubkey::new_unique(), slot: 1, upgrade_authority: None, elf: elf.to_vec() }
    }

    #[test]
    fn a_deployment_runs_its_binary_with_zero_padding_only() {
        assert!(upgradeable(&[1, 2, 3, 0, 0]).runs(&[1, 2, 3]));
        assert!(upgradeable(&[1, 2, 3]).runs(&[1, 2, 3]));
        assert!(!upgradeable(&[1, 2, 3, 4]).runs(&[1, 2, 3]));
        assert!(!upgradeable(&[1, 2]).runs(&[1, 2, 3]));
        assert!(!upgradeable(&[1, 9, 3]).runs(&[1, 2, 3]));
        assert!(!Deployment::Missing.runs(&[]));
    }
}
