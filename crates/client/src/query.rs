//! Filters that select the program's accounts of one type by the bytes of one of their fields,
//! as RPC `getProgramAccounts` takes them (`memcmp`), and the same test for backends that scan
//! accounts themselves ([`matches`]).
//!
//! The program's accounts are zero-copy (Pod layouts): each field sits at its `offset_of!` in
//! the struct, after the 8-byte discriminator, so a change of the layout cannot leave a stale
//! offset here.
use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use device_staking::state::{Device, Offer, OfferState};

/// Accounts whose data holds `bytes` at `offset`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Memcmp {
    /// Byte offset in the account's data (the 8-byte discriminator included).
    pub offset: usize,
    /// The bytes expected there.
    pub bytes: Vec<u8>,
}

/// Whether `data` passes every filter.
pub fn matches(filters: &[Memcmp], data: &[u8]) -> bool {
    filters.iter().all(|f| data.get(f.offset..f.offset + f.bytes.len()) == Some(&f.bytes[..]))
}

/// Accounts of type `T`: its discriminator at offset 0.
pub fn of_type<T: Discriminator>() -> Memcmp {
    Memcmp { offset: 0, bytes: T::DISCRIMINATOR.to_vec() }
}

/// Offers and positions of `device` (every state).
pub fn offers_of_device(device: &Pubkey) -> Vec<Memcmp> {
    vec![of_type::<Offer>(), Memcmp { offset: 8 + core::mem::offset_of!(Offer, device), bytes: device.to_bytes().to_vec() }]
}

/// Offers in `state` (e.g. every open offer of the marketplace).
pub fn offers_in_state(state: OfferState) -> Vec<Memcmp> {
    vec![of_type::<Offer>(), Memcmp { offset: 8 + core::mem::offset_of!(Offer, state), bytes: vec![state as u8] }]
}

/// Offers filled by the co-staker `wallet` (their positions live in the devices' tables; a
/// released one's tokens wait in its escrow).
pub fn positions_of_costaker(wallet: &Pubkey) -> Vec<Memcmp> {
    vec![of_type::<Offer>(), Memcmp { offset: 8 + core::mem::offset_of!(Offer, costaker), bytes: wallet.to_bytes().to_vec() }]
}

/// Devices owned by `owner`. The device is a zero-copy account: its fields sit at their offsets
/// in the Pod layout, after the discriminator.
pub fn devices_of_owner(owner: &Pubkey) -> Vec<Memcmp> {
    vec![of_type::<Device>(), Memcmp { offset: 8 + core::mem::offset_of!(Device, owner), bytes: owner.to_bytes().to_vec() }]
}

/// Devices whose owner proposed `wallet` as their new owner (R19; the proposal may have lapsed:
/// check the decoded field).
pub fn devices_offered_to(wallet: &Pubkey) -> Vec<Memcmp> {
    vec![
        of_type::<Device>(),
        Memcmp { offset: 8 + core::mem::offset_of!(Device, pending_owner), bytes: wallet.to_bytes().to_vec() },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use device_staking::state::InAccount;

    fn offer(device: Pubkey, costaker: Pubkey, state: OfferState) -> Vec<u8> {
        let mut offer = Offer::open(device, 0, 255, Pubkey::default(), 5, 0, 0);
        offer.costaker = costaker;
        offer.state = state as u8;
        offer.account_data()
    }

    #[test]
    fn filters_select_by_field_on_the_real_layout() {
        let (device, other, wallet) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let filled = offer(device, wallet, OfferState::Filled);
        assert!(matches(&offers_of_device(&device), &filled));
        assert!(!matches(&offers_of_device(&other), &filled));
        assert!(matches(&positions_of_costaker(&wallet), &filled));
        assert!(!matches(&positions_of_costaker(&device), &filled));
        assert!(matches(&offers_in_state(OfferState::Filled), &filled));
        assert!(!matches(&offers_in_state(OfferState::Open), &filled));
        assert!(matches(&offers_in_state(OfferState::Open), &offer(device, wallet, OfferState::Open)));
        // another account type never matches, even with the same bytes further on
        assert!(!matches(&devices_of_owner(&device), &filled));
        assert!(!matches(&devices_offered_to(&wallet), &filled));
        assert!(!matches(&offers_of_device(&device), &filled[..20]));
    }

    #[test]
    fn offsets_follow_the_documented_layout() {
        // discriminator (8), then Offer.device; Device.device_id (32) before Device.owner
        assert_eq!(offers_of_device(&Pubkey::default())[1].offset, 8);
        assert_eq!(devices_of_owner(&Pubkey::default())[1].offset, 8 + 32);
        assert!(devices_offered_to(&Pubkey::default())[1].offset > devices_of_owner(&Pubkey::default())[1].offset);
    }
}
