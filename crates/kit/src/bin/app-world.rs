//! `app-world`: seeds a running local validator for the web app and writes what it made as one
//! JSON file (see [`device_staking_kit::app_world`]).
use std::process::ExitCode;

/// Seeds the validator of the command line's `--url`; exit code 2 on a usage error.
fn main() -> ExitCode {
    device_staking_kit::app_world::main()
}
