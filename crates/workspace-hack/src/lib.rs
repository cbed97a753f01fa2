//! No code: this crate's dependencies pin the features of shared host crates to their union over
//! the workspace (see its Cargo.toml), so that every `cargo test -p ...` of `make test` reuses
//! what an earlier one compiled.
