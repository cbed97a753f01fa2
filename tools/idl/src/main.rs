//! `device-staking-idl [--check]`: builds the program's IDL with Anchor's IDL builder (the
//! program's `idl-build` feature, in its own target directory so the normal build keeps its
//! cache) and writes it to `idl/device_staking.json`; with `--check`, compares instead and
//! exits 1 when the committed file is stale.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The committed IDL, relative to the workspace root.
const IDL_PATH: &str = "idl/device_staking.json";

fn main() -> ExitCode {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => {
            eprintln!("usage: device-staking-idl [--check]  (unexpected argument {other})");
            return ExitCode::from(2);
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    match build(&root) {
        Ok(json) => finish(&root.join(IDL_PATH), &json, check),
        Err(err) => {
            eprintln!("building the IDL failed: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The IDL as pretty JSON with a final newline.
fn build(root: &Path) -> Result<String, String> {
    // The builder runs `cargo +$RUSTUP_TOOLCHAIN test ...` when that variable is set (as it is
    // under a rustup proxy); the machine's one toolchain is the right one, so clear it.
    // SAFETY: single-threaded at this point; no other thread reads the environment.
    unsafe { std::env::remove_var("RUSTUP_TOOLCHAIN") };
    let target_dir = root.join("target/idl-build");
    let idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(root.join("programs/device-staking"))
        .resolution(true)
        .skip_lint(true)
        .cargo_args(vec!["--locked".into(), "--target-dir".into(), target_dir.display().to_string()])
        .build()
        .map_err(|e| e.to_string())?;
    let mut json = serde_json::to_string_pretty(&idl).map_err(|e| e.to_string())?;
    json.push('\n');
    Ok(json)
}

/// Writes `json` to `path`, or with `check` compares it with the file there.
fn finish(path: &PathBuf, json: &str, check: bool) -> ExitCode {
    if !check {
        return match std::fs::write(path, json) {
            Ok(()) => {
                println!("wrote {}", path.display());
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("cannot write {}: {err}", path.display());
                ExitCode::FAILURE
            }
        };
    }
    match std::fs::read_to_string(path) {
        Ok(committed) if committed == json => {
            println!("{} is current", path.display());
            ExitCode::SUCCESS
        }
        Ok(_) => {
            eprintln!("{} is stale: the program changed; run `make idl` and commit the result", path.display());
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("cannot read {}: {err}", path.display());
            ExitCode::FAILURE
        }
    }
}
