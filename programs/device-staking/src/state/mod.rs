//! Account types and the protocol's rules as plain methods on them.
//! Nothing here knows about account infos or CPIs: every rule is unit-tested on the host.
pub mod config;
pub mod costaker;
pub mod device;
pub mod math;
pub mod offer;
pub mod position;
pub mod slash_record;
pub mod ticket;

pub use config::*;
pub use costaker::*;
pub use device::*;
pub use math::*;
pub use offer::*;
pub use position::*;
pub use slash_record::*;
pub use ticket::*;

#[cfg(test)]
mod size_tests {
    use super::*;
    use anchor_lang::Space;

    /// Account sizes (8-byte discriminator included) stay small enough for cheap rent; printed
    /// for the docs' size table.
    #[test]
    fn account_sizes() {
        let sizes = [
            ("Config", 8 + Config::INIT_SPACE),
            ("Device", 8 + Device::INIT_SPACE),
            ("Offer", 8 + Offer::INIT_SPACE),
            ("Ticket", 8 + Ticket::INIT_SPACE),
            ("Tombstone", 8 + Tombstone::INIT_SPACE),
            ("CostakerProfile", 8 + CostakerProfile::INIT_SPACE),
        ];
        for (name, size) in sizes {
            // rent exemption at 3,480 lamports per byte-year for two years, 128 bytes of overhead
            println!("SIZE {name} {size} bytes, rent {} lamports", (128 + size as u64) * 6_960);
            assert!(size <= 2_048, "{name} is {size} bytes");
        }
    }
}
