//! `keygen` and `address`: keypair files in the Solana CLI's format (a JSON array of the 64
//! bytes of the secret and public key), and the addresses scripts need: a keypair's public key
//! and the program id. Offline: no chain is contacted.
use super::{read_keypair, CliError, Report};
use device_staking_client::PROGRAM_ID;
use serde_json::json;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::Path;

/// `keygen`: writes a new keypair to `outfile` and reports its public key (the file's note goes
/// to standard error, so that standard output is the address alone).
pub fn keygen(outfile: &Path, force: bool) -> Result<Report, CliError> {
    let keypair = Keypair::new();
    write_keypair_file(&keypair, outfile, force)?;
    eprintln!("wrote a new keypair to {}", outfile.display());
    let pubkey = keypair.pubkey().to_string();
    Ok(Report {
        text: format!("{pubkey}\n"),
        json: vec![("command", json!("keygen")), ("outfile", json!(outfile.display().to_string())), ("pubkey", json!(pubkey))],
    })
}

/// Writes `keypair` to `path` in the Solana CLI's format, readable by its owner only, creating
/// the missing parent folders. An existing file is replaced only when `force` is set.
pub fn write_keypair_file(keypair: &Keypair, path: &Path, force: bool) -> Result<(), String> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create the folder {}: {e}", parent.display()))?;
    }
    let mut options = OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| match e.kind() {
        ErrorKind::AlreadyExists => {
            format!("{} already exists: refusing to overwrite it (give --force to replace it)", path.display())
        }
        _ => format!("cannot write {}: {e}", path.display()),
    })?;
    // a replaced file keeps its old permissions unless they are set again
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("cannot restrict {}: {e}", path.display()))?;
    }
    solana_keypair::write_keypair(keypair, &mut file).map(|_| ()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// What `address` prints the address of.
pub enum AddressOf<'a> {
    /// The program id.
    Program,
    /// The public key of the keypair file.
    Keypair(&'a Path),
}

/// `address`: the program id, or the public key of a keypair file.
pub fn address(of: AddressOf) -> Result<Report, CliError> {
    let (address, source) = match of {
        AddressOf::Program => (PROGRAM_ID, json!("program")),
        AddressOf::Keypair(path) => (read_keypair(path)?.pubkey(), json!(path.display().to_string())),
    };
    Ok(Report {
        text: format!("{address}\n"),
        json: vec![("command", json!("address")), ("address", json!(address.to_string())), ("of", source)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_keypair_reads_back_and_is_not_overwritten_without_force() {
        let dir = std::env::temp_dir().join(format!("device-staking-keys-{}", std::process::id()));
        let path = dir.join("nested/id.json");
        let first = Keypair::new();
        write_keypair_file(&first, &path, false).unwrap();
        assert_eq!(read_keypair(&path).unwrap().pubkey(), first.pubkey());
        assert_eq!(solana_keypair::read_keypair_file(&path).unwrap().pubkey(), first.pubkey(), "the Solana CLI reads it");

        let second = Keypair::new();
        let refused = write_keypair_file(&second, &path, false).unwrap_err();
        assert!(refused.contains("already exists") && refused.contains("--force"), "{refused}");
        assert_eq!(read_keypair(&path).unwrap().pubkey(), first.pubkey());

        write_keypair_file(&second, &path, true).unwrap();
        assert_eq!(read_keypair(&path).unwrap().pubkey(), second.pubkey());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
