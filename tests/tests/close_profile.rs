//! `close_profile` (R18): a co-staker closes their profile when it counts no filled positions;
//! its rent goes back to its payer; a later fill creates it again. Never paused (R17).
use device_staking_tests::client::device_staking::events::ProfileClosed;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R17, R18: closed while paused with the position still cooling down; the rent returns; the
/// position is withdrawn without a profile; a later fill recreates the profile.
#[test]
fn r18_a_profile_without_filled_positions_closes_and_returns_its_rent() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let profile = pda::costaker(&c.pubkey()).0;
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.ok(|w| w.set_paused(true));
        let (lamports, rent) = (w.account(&c.pubkey()).lamports, w.account(&profile).lamports);
        let ok = w.ok(|w| w.close_profile(&c));
        assert_eq!(events::<ProfileClosed>(&ok)[0].wallet, c.pubkey());
        assert_eq!(w.account(&c.pubkey()).lamports, lamports + rent);
        assert!(!w.is_program_account(&profile));
        w.ok(|w| w.set_paused(false));
        w.warp_to(cancelled + 21 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
        let next = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.fill(&c, device, next));
        let p = w.profile(&c.pubkey()).expect("recreated");
        assert_eq!((p.wallet, p.active_positions, p.payer), (c.pubkey(), 1, c.pubkey()));
    });
}

/// R18, R51: not while it counts a filled position, only by its wallet (another wallet's profile
/// is not at its address: ConstraintSeeds, before the program's NotCostaker), rent only to its payer.
#[test]
fn close_profile_refusals() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.refused("ProfileHasPositions", |w| w.close_profile(&c));
        w.ok(|w| w.cancel(&c, device, seq));
        let other = w.costaker(1);
        w.refused("AccountOwnedByWrongProgram", |w| w.close_profile(&other));
        w.refused("ConstraintSeeds", |w| {
            let mut ix = ix::close_profile(other.pubkey(), other.pubkey());
            replace_account(&mut ix, &pda::costaker(&other.pubkey()).0, pda::costaker(&c.pubkey()).0);
            w.send_by(ix, &other.key)
        });
        let intruder = w.funded_keypair();
        w.refused("ConstraintHasOne", |w| w.send_by(ix::close_profile(c.pubkey(), intruder.pubkey()), &c.key));
        w.ok(|w| w.close_profile(&c));
        w.refused("AccountOwnedByWrongProgram", |w| w.close_profile(&c));
    });
}
