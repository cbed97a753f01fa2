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

use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;

/// Whether `key` is the all-zero key (`Pubkey::default()`, an empty slot). Read as four words:
/// `==` on two keys compiles to a `memcmp` call, a syscall on SBF (about 20 CU), and the reward
/// split scans eight slots per device.
pub fn is_zero_key(key: &Pubkey) -> bool {
    let word = |at: usize| {
        let b = key.as_ref();
        u64::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4], b[at + 5], b[at + 6], b[at + 7]])
    };
    (word(0) | word(8) | word(16) | word(24)) == 0
}

/// Whether `a` and `b` are the same key, compared as four words (see [`is_zero_key`]).
pub fn same_key(a: &Pubkey, b: &Pubkey) -> bool {
    let word = |key: &Pubkey, at: usize| {
        let b = key.as_ref();
        u64::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4], b[at + 5], b[at + 6], b[at + 7]])
    };
    (0..4).all(|i| word(a, 8 * i) == word(b, 8 * i))
}

/// A zero-copy account's value in its data (the discriminator, then the Pod layout), read or
/// changed in place: for the accounts a handler takes unchecked (a device that becomes a
/// tombstone, a tombstone revived, a profile created on the way) and for clients and tests.
/// Refused by the names Anchor's loader uses: `AccountDiscriminatorNotFound` when the data is
/// shorter than a discriminator, `AccountDiscriminatorMismatch`, `AccountDidNotDeserialize` when
/// it is too short for the value.
pub trait InAccount: bytemuck::Pod + Discriminator {
    /// Where the value lies in `data`, after its discriminator is checked.
    fn value_range(data: &[u8]) -> Result<core::ops::Range<usize>> {
        let start = Self::DISCRIMINATOR.len();
        require!(data.len() >= start, AnchorError::AccountDiscriminatorNotFound);
        require!(data.starts_with(Self::DISCRIMINATOR), AnchorError::AccountDiscriminatorMismatch);
        let end = start + core::mem::size_of::<Self>();
        require!(data.len() >= end, AnchorError::AccountDidNotDeserialize);
        Ok(start..end)
    }

    /// The value stored in `data`, read in place.
    fn in_account(data: &[u8]) -> Result<&Self> {
        let range = Self::value_range(data)?;
        bytemuck::try_from_bytes(&data[range]).map_err(|_| error!(AnchorError::AccountDidNotDeserialize))
    }

    /// The value stored in `data`, to change in place.
    fn in_account_mut(data: &mut [u8]) -> Result<&mut Self> {
        let range = Self::value_range(data)?;
        bytemuck::try_from_bytes_mut(&mut data[range]).map_err(|_| error!(AnchorError::AccountDidNotDeserialize))
    }

    /// The account's data holding this value: the discriminator, then the Pod bytes.
    fn account_data(&self) -> Vec<u8> {
        [Self::DISCRIMINATOR, bytemuck::bytes_of(self)].concat()
    }
}

impl InAccount for Config {}
impl InAccount for CostakerProfile {}
impl InAccount for Device {}
impl InAccount for Offer {}
impl InAccount for Ticket {}
impl InAccount for Tombstone {}

#[cfg(test)]
mod key_tests {
    use super::*;

    #[test]
    fn keys_compared_as_words_agree_with_equality() {
        let zero = Pubkey::default();
        assert!(is_zero_key(&zero));
        for at in [0, 7, 8, 15, 16, 31] {
            let mut bytes = [0u8; 32];
            bytes[at] = 1;
            let one = Pubkey::new_from_array(bytes);
            assert!(!is_zero_key(&one), "byte {at}");
            assert!(!same_key(&one, &zero) && !same_key(&zero, &one), "byte {at}");
            assert!(same_key(&one, &Pubkey::new_from_array(bytes)), "byte {at}");
        }
        let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
        assert_eq!((same_key(&a, &a), same_key(&a, &b)), (true, a == b));
    }
}

#[cfg(test)]
mod in_account_tests {
    use super::*;

    fn name(error: Error) -> String {
        match error {
            Error::AnchorError(e) => e.error_name.clone(),
            e => e.to_string(),
        }
    }

    #[test]
    fn a_value_is_read_and_changed_in_place_behind_its_discriminator() {
        let profile = CostakerProfile::new(Pubkey::new_unique(), 254, Pubkey::new_unique());
        let mut data = profile.account_data();
        assert_eq!(data.len(), 8 + COSTAKER_PROFILE_SIZE);
        assert!(data.starts_with(CostakerProfile::DISCRIMINATOR));
        CostakerProfile::in_account_mut(&mut data).unwrap().active_positions = 3;
        let back = CostakerProfile::in_account(&data).unwrap();
        assert_eq!((back.wallet, back.bump, back.active_positions), (profile.wallet, 254, 3));
        // longer data (a resized account) still reads
        data.extend_from_slice(&[0; 16]);
        assert_eq!(CostakerProfile::in_account(&data).unwrap().active_positions, 3);
    }

    #[test]
    fn wrong_or_short_data_is_refused_by_the_loaders_names() {
        let data = CostakerProfile::new(Pubkey::new_unique(), 254, Pubkey::new_unique()).account_data();
        assert_eq!(name(CostakerProfile::in_account(&data[..7]).unwrap_err()), "AccountDiscriminatorNotFound");
        assert_eq!(name(Offer::in_account(&data).unwrap_err()), "AccountDiscriminatorMismatch");
        assert_eq!(name(CostakerProfile::in_account(&data[..data.len() - 1]).unwrap_err()), "AccountDidNotDeserialize");
        let mut short = data[..20].to_vec();
        assert_eq!(name(CostakerProfile::in_account_mut(&mut short).unwrap_err()), "AccountDidNotDeserialize");
    }
}

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
