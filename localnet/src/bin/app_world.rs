//! `app_world`: the kit's `app-world` (see [`device_staking_kit::app_world`]) under the name the
//! browser tests' harness runs (`cargo run -p device-staking-localnet --bin app_world`).
use std::process::ExitCode;

/// Seeds the validator of the command line's `--url`; exit code 2 on a usage error.
fn main() -> ExitCode {
    device_staking_kit::app_world::main()
}
