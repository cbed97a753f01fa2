//! Addresses of the program's accounts. Each function returns `(address, bump)`; the seeds are
//! the program's own constants (`device_staking::constants`).
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::bpf_loader_upgradeable;
use device_staking::constants::{
    CONFIG_SEED, COSTAKER_SEED, DEVICE_SEED, ESCROW_SEED, OFFER_SEED, OVERFLOW_VAULT_SEED, STAKE_VAULT_SEED, TICKET_SEED,
};
use device_staking::ID;

fn find(seeds: &[&[u8]]) -> (Pubkey, u8) {
    Pubkey::find_program_address(seeds, &ID)
}

/// The global config: `["config"]`.
pub fn config() -> (Pubkey, u8) {
    find(&[CONFIG_SEED])
}

/// A device, by its 32-byte id: `["device", device_id]`.
pub fn device(device_id: &[u8; 32]) -> (Pubkey, u8) {
    find(&[DEVICE_SEED, device_id])
}

/// A device's stake vault (principal): `["stake_vault", device]`.
pub fn stake_vault(device: &Pubkey) -> (Pubkey, u8) {
    find(&[STAKE_VAULT_SEED, device.as_ref()])
}

/// A device's overflow vault (rewards): `["overflow_vault", device]`.
pub fn overflow_vault(device: &Pubkey) -> (Pubkey, u8) {
    find(&[OVERFLOW_VAULT_SEED, device.as_ref()])
}

/// The offer / co-stake position number `seq` of a device: `["offer", device, seq as u64 LE]`.
pub fn offer(device: &Pubkey, seq: u64) -> (Pubkey, u8) {
    find(&[OFFER_SEED, device.as_ref(), &seq.to_le_bytes()])
}

/// The owner's unstake ticket number `seq` of a device: `["ticket", device, seq as u64 LE]`.
pub fn ticket(device: &Pubkey, seq: u64) -> (Pubkey, u8) {
    find(&[TICKET_SEED, device.as_ref(), &seq.to_le_bytes()])
}

/// A co-staker's profile: `["costaker", wallet]`.
pub fn costaker(wallet: &Pubkey) -> (Pubkey, u8) {
    find(&[COSTAKER_SEED, wallet.as_ref()])
}

/// A released position's escrow token account `["escrow", offer]` (R16).
pub fn escrow(offer: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[ESCROW_SEED, offer.as_ref()], &ID)
}

/// The upgradeable loader's program-data account of `program_id` (holds its upgrade authority).
pub fn program_data(program_id: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[program_id.as_ref()], &bpf_loader_upgradeable::ID)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `found` is the program address of `seeds` with its canonical bump.
    fn assert_derived(found: (Pubkey, u8), seeds: &[&[u8]]) {
        let (address, bump) = found;
        let bump_seed = [bump];
        let with_bump: Vec<&[u8]> = seeds.iter().copied().chain([&bump_seed[..]]).collect();
        assert_eq!(Pubkey::create_program_address(&with_bump, &ID).unwrap(), address, "{seeds:?}");
        assert_eq!(Pubkey::find_program_address(seeds, &ID), found, "{seeds:?}");
    }

    /// Seeds written out literally, so a change of a seed constant or of the `seq` encoding is
    /// caught here rather than on chain.
    #[test]
    fn addresses_follow_the_documented_seeds() {
        let device_key = Pubkey::new_unique();
        let wallet = Pubkey::new_unique();
        let id = [7u8; 32];
        let seq = 0x0102_0304_0506_0708u64;
        let le = [8u8, 7, 6, 5, 4, 3, 2, 1];
        assert_derived(config(), &[b"config"]);
        assert_derived(device(&id), &[b"device", &id]);
        assert_derived(stake_vault(&device_key), &[b"stake_vault", device_key.as_ref()]);
        assert_derived(overflow_vault(&device_key), &[b"overflow_vault", device_key.as_ref()]);
        assert_derived(offer(&device_key, seq), &[b"offer", device_key.as_ref(), &le]);
        assert_derived(ticket(&device_key, seq), &[b"ticket", device_key.as_ref(), &le]);
        assert_derived(costaker(&wallet), &[b"costaker", wallet.as_ref()]);
    }

    #[test]
    fn addresses_differ_by_every_input() {
        let a = Pubkey::new_unique();
        let b = Pubkey::new_unique();
        assert_ne!(device(&[1; 32]).0, device(&[2; 32]).0);
        assert_ne!(stake_vault(&a).0, overflow_vault(&a).0);
        assert_ne!(stake_vault(&a).0, stake_vault(&b).0);
        assert_ne!(offer(&a, 0).0, offer(&a, 1).0);
        assert_ne!(offer(&a, 0).0, ticket(&a, 0).0);
        assert_ne!(costaker(&a).0, costaker(&b).0);
    }

    #[test]
    fn program_data_is_the_loader_pda_of_the_program() {
        let (address, bump) = program_data(&ID);
        let loader = bpf_loader_upgradeable::ID;
        assert_eq!(Pubkey::create_program_address(&[ID.as_ref(), &[bump]], &loader).unwrap(), address);
        assert_ne!(program_data(&Pubkey::new_unique()).0, address);
    }
}
