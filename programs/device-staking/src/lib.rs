//! Staking on GPU devices with co-staking. `lib.rs` only dispatches: each instruction lives in
//! `instructions/<name>.rs`, the rules in `state/`. Rule ids (R1...) refer to docs/protocol.md.
#![allow(unexpected_cfgs)]
use anchor_lang::prelude::*;

#[cfg(target_os = "solana")]
use solana_compiler_builtins as _;

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod state;

use instructions::*;

declare_id!("Cwc5d6dFVPJ7twW2ySKFB2SW3XNFybZbBA5ksb1Rka6e");

#[program]
pub mod device_staking {
    use super::*;

    /// R30: creates the config; only the program's upgrade authority may call it.
    pub fn initialize(ctx: Context<Initialize>, args: InitializeArgs) -> Result<()> {
        initialize::handler(ctx, args)
    }
}
