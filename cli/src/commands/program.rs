//! `program`: the program's deployment on the chain (read-only): whether it is deployed and
//! executable, its program data account, upgrade authority, and whether the deployed bytes are a
//! given local build. The deploy step (`migrations/deploy.sh`) checks this before initializing.
use super::{CliError, Context, Report};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::bpf_loader_upgradeable::{self, UpgradeableLoaderState};
use device_staking_client::PROGRAM_ID;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

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

    /// The deployed program without the zero padding of its program data account: the ELF up to
    /// the end its headers give, else (headers that cannot be read) without its trailing zeros.
    pub fn program_bytes(&self) -> Option<&[u8]> {
        let Deployment::Upgradeable { elf, .. } = self else { return None };
        let end = elf_len(elf).filter(|&end| end <= elf.len() && elf[end..].iter().all(|b| *b == 0));
        Some(&elf[..end.unwrap_or_else(|| elf.iter().rposition(|b| *b != 0).map_or(0, |last| last + 1))])
    }
}

/// A build the deployed program must be (`program --expect`).
#[derive(Debug, PartialEq, Eq)]
pub enum Expected {
    /// A local build: a file.
    File(PathBuf),
    /// The sha256 of a build (as `sha256sum` prints it, e.g. from docs/verify.md).
    Sha256([u8; 32]),
}

/// The build of `program --expect` given without a value.
pub const DEFAULT_BUILD: &str = "target/deploy/device_staking.so";

impl Expected {
    /// `value` as a sha256 when it is 64 hex digits and no file has that name, else as a file.
    pub fn parse(value: &str) -> Self {
        match parse_sha256(value) {
            Some(hash) if !Path::new(value).exists() => Expected::Sha256(hash),
            _ => Expected::File(PathBuf::from(value)),
        }
    }
}

/// 64 hex digits as 32 bytes.
fn parse_sha256(value: &str) -> Option<[u8; 32]> {
    if value.len() != 64 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut hash = [0u8; 32];
    for (i, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&value[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(hash)
}

/// The sha256 of `bytes` in lowercase hex, as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&solana_sha256_hasher::hash(bytes).to_bytes())
}

/// Bytes in lowercase hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The length of a 64-bit little-endian ELF as its headers give it: the end of its program
/// headers, section headers, segments and sections (whichever is last); `None` if `elf` is not
/// such an ELF or its headers point outside it.
pub fn elf_len(elf: &[u8]) -> Option<usize> {
    let u16_at = |at: usize| Some(u16::from_le_bytes(elf.get(at..at + 2)?.try_into().ok()?) as usize);
    let u32_at = |at: usize| Some(u32::from_le_bytes(elf.get(at..at + 4)?.try_into().ok()?));
    let u64_at = |at: usize| usize::try_from(u64::from_le_bytes(elf.get(at..at + 8)?.try_into().ok()?)).ok();
    // magic, 64-bit, little-endian
    if elf.get(..6)? != b"\x7fELF\x02\x01" {
        return None;
    }
    let (phoff, shoff) = (u64_at(0x20)?, u64_at(0x28)?);
    let (phentsize, phnum, shentsize, shnum) = (u16_at(0x36)?, u16_at(0x38)?, u16_at(0x3a)?, u16_at(0x3c)?);
    let mut end = 0x40usize.max(phoff.checked_add(phentsize * phnum)?).max(shoff.checked_add(shentsize * shnum)?);
    for i in 0..phnum {
        let header = phoff + i * phentsize;
        end = end.max(u64_at(header + 8)?.checked_add(u64_at(header + 32)?)?);
    }
    /// Sections of this type take no room in the file.
    const SHT_NOBITS: u32 = 8;
    for i in 0..shnum {
        let header = shoff + i * shentsize;
        if u32_at(header + 4)? != SHT_NOBITS {
            end = end.max(u64_at(header + 24)?.checked_add(u64_at(header + 32)?)?);
        }
    }
    (end <= elf.len()).then_some(end)
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

/// Shows the deployment; with `expect`, fails unless the deployed program is that build (a
/// file, or a sha256 of the program without its zero padding).
pub fn run(ctx: &Context, expect: Option<&Expected>) -> Result<Report, CliError> {
    let deployment = deployment(ctx)?;
    let binary = match expect {
        Some(Expected::File(path)) => {
            Some(std::fs::read(path).map_err(|e| format!("cannot read the build {}: {e}", path.display()))?)
        }
        _ => None,
    };
    let (text, mut json) = match &deployment {
        Deployment::Missing => (format!("program {PROGRAM_ID}: not deployed on this chain\n"), vec![("deployed", json!(false))]),
        Deployment::Other { owner, executable } => (
            format!("program {PROGRAM_ID}: an account owned by {owner} (executable: {executable}), not an upgradeable program\n"),
            vec![("deployed", json!(false)), ("owner", json!(owner.to_string()))],
        ),
        Deployment::Upgradeable { program_data, slot, upgrade_authority, elf } => {
            let authority = upgrade_authority.map_or("none (immutable)".to_string(), |a| a.to_string());
            let program = deployment.program_bytes().unwrap_or_default();
            let sha256 = sha256_hex(program);
            (
                format!(
                    "program {PROGRAM_ID}: deployed (upgradeable) at slot {slot}\n  program data       {program_data} ({} bytes)\n  upgrade authority  {authority}\n  program            {} bytes, sha256 {sha256}\n",
                    elf.len(),
                    program.len()
                ),
                vec![
                    ("deployed", json!(true)),
                    ("program_data", json!(program_data.to_string())),
                    ("slot", json!(*slot)),
                    ("upgrade_authority", upgrade_authority.map_or(Value::Null, |a| json!(a.to_string()))),
                    ("program_data_bytes", json!(elf.len())),
                    ("program_bytes", json!(program.len())),
                    ("sha256", json!(sha256)),
                ],
            )
        }
    };
    json.insert(0, ("program", json!(PROGRAM_ID.to_string())));
    let mut text = text;
    let Some(expected) = expect else { return Ok(Report { text, json }) };
    let (what, expected_sha256, matches) = match (expected, &binary) {
        (Expected::File(path), Some(binary)) => (path.display().to_string(), sha256_hex(binary), deployment.runs(binary)),
        (Expected::Sha256(hash), _) => {
            let hash = hex(hash);
            let matches = deployment.program_bytes().is_some_and(|program| sha256_hex(program) == hash);
            (format!("the build with sha256 {hash}"), hash, matches)
        }
        (Expected::File(_), None) => unreachable!("the file was read above"),
    };
    json.push(("expected", json!(&what)));
    json.push(("expected_sha256", json!(&expected_sha256)));
    json.push(("matches", json!(matches)));
    text.push_str(&format!("  runs {what}  {}\n", if matches { "yes" } else { "no" }));
    if !matches {
        let error = match deployment {
            Deployment::Upgradeable { .. } => format!("ProgramMismatch: the deployed program is not {what}"),
            _ => format!("ProgramNotDeployed: no upgradeable program at {PROGRAM_ID}, so it is not {what}"),
        };
        return Err(CliError::from(format!("{text}{error}")));
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

    /// A minimal ELF header (no program or section headers) followed by `body`.
    fn tiny_elf(body: &[u8]) -> Vec<u8> {
        let mut elf = vec![0u8; 0x40];
        elf[..6].copy_from_slice(b"\x7fELF\x02\x01");
        elf.extend_from_slice(body);
        elf
    }

    #[test]
    fn the_program_bytes_end_where_the_elf_ends_even_when_it_ends_with_zeros() {
        // the header alone: a program whose last bytes are zeros keeps them
        let elf = tiny_elf(&[]);
        let padded = [elf.clone(), vec![0; 100]].concat();
        assert_eq!(elf_len(&elf), Some(0x40));
        assert_eq!(upgradeable(&padded).program_bytes(), Some(&elf[..]));
        // not an ELF: the trailing zeros are the padding
        assert_eq!(upgradeable(&[1, 2, 0, 3, 0, 0]).program_bytes(), Some(&[1, 2, 0, 3][..]));
        assert_eq!(Deployment::Missing.program_bytes(), None);
    }

    #[test]
    fn the_built_binaries_measure_their_own_length() {
        for name in ["device_staking.so", "device_staking_v0.so"] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/deploy").join(name);
            let Ok(binary) = std::fs::read(&path) else { continue };
            assert_eq!(elf_len(&binary), Some(binary.len()), "{name}");
            let padded = upgradeable(&[binary.clone(), vec![0; 4096]].concat());
            assert_eq!(padded.program_bytes().map(sha256_hex), Some(sha256_hex(&binary)), "{name}");
        }
    }

    #[test]
    fn expect_takes_a_sha256_or_a_file() {
        let hash = "19db2dbe8d68cf170dd63c1f293d919f06798c865ef1a5aaf7625beb3be4fe7a";
        let Expected::Sha256(bytes) = Expected::parse(hash) else { panic!("a sha256") };
        assert_eq!(hex(&bytes), hash);
        assert_eq!(Expected::parse(&hash.to_uppercase()), Expected::Sha256(bytes));
        assert_eq!(Expected::parse(&hash[1..]), Expected::File(PathBuf::from(&hash[1..])));
        assert_eq!(Expected::parse("target/deploy/x.so"), Expected::File(PathBuf::from("target/deploy/x.so")));
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
