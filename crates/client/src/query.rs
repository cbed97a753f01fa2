//! Filters that select the program's accounts of one type by the bytes of one of their fields,
//! as RPC `getProgramAccounts` takes them (`memcmp`), and the same test for backends that scan
//! accounts themselves ([`matches`]).
//!
//! The offset of each field is measured on the program's own serialization (a sample account is
//! serialized twice, with the field changed the second time), so a change of the layout cannot
//! leave a stale offset here.
use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorDeserialize, AnchorSerialize, Discriminator};
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

/// The offset in the account data of the field that `change` modifies, measured on a zeroed
/// sample of `T` (every field of this program's accounts decodes from zeros).
fn field_offset<T: Discriminator + AnchorSerialize + AnchorDeserialize>(change: impl Fn(&mut T)) -> usize {
    let zeros = [0u8; 4096];
    let sample = || T::deserialize(&mut &zeros[..]).expect("a zeroed account decodes");
    let mut changed = sample();
    change(&mut changed);
    let (mut before, mut after) = (Vec::new(), Vec::new());
    sample().serialize(&mut before).expect("serialize");
    changed.serialize(&mut after).expect("serialize");
    let index = before.iter().zip(&after).position(|(a, b)| a != b).expect("the change is visible in the data");
    T::DISCRIMINATOR.len() + index
}

fn borsh<T: AnchorSerialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    value.serialize(&mut out).expect("serialize");
    out
}

const MARKER: Pubkey = Pubkey::new_from_array([0xff; 32]);

/// Offers and positions of `device` (every state).
pub fn offers_of_device(device: &Pubkey) -> Vec<Memcmp> {
    vec![of_type::<Offer>(), Memcmp { offset: field_offset::<Offer>(|o| o.device = MARKER), bytes: device.to_bytes().to_vec() }]
}

/// Offers in `state` (e.g. every open offer of the marketplace).
pub fn offers_in_state(state: OfferState) -> Vec<Memcmp> {
    vec![of_type::<Offer>(), Memcmp { offset: field_offset::<Offer>(|o| o.state = OfferState::Released), bytes: borsh(&state) }]
}

/// Offers filled by the co-staker `wallet` (their positions live in the devices' tables; a
/// released one's tokens wait in its escrow).
pub fn positions_of_costaker(wallet: &Pubkey) -> Vec<Memcmp> {
    vec![of_type::<Offer>(), Memcmp { offset: field_offset::<Offer>(|o| o.costaker = MARKER), bytes: wallet.to_bytes().to_vec() }]
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
    use anchor_lang::AccountSerialize;

    fn offer(device: Pubkey, costaker: Pubkey, state: OfferState) -> Vec<u8> {
        let zeros = [0u8; 4096];
        let mut offer = Offer::deserialize(&mut &zeros[..]).unwrap();
        offer.device = device;
        offer.costaker = costaker;
        offer.state = state;
        offer.amount = 5;
        let mut data = Vec::new();
        offer.try_serialize(&mut data).unwrap();
        data
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
