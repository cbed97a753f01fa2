//! `retract_offer` (R10): the owner closes an open offer; its rent returns to its payer. Not
//! pausable (R32).
use device_staking_tests::client::device_staking::events::OfferRetracted;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::*;

/// R10, R32: retracted while paused, the offer is gone with its rent back, and cannot be filled.
#[test]
fn r10_the_owner_retracts_an_open_offer_and_gets_the_rent_back() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        let lamports = w.account(&w.owner.pubkey()).lamports;
        let rent = w.account(&pda::offer(&device, seq).0).lamports;
        w.ok(|w| w.set_paused(true));
        let ok = w.ok(|w| w.retract(device, seq));
        let e: OfferRetracted = events(&ok).remove(0);
        assert_eq!((e.device, e.seq), (device, seq));
        assert_eq!(w.account(&w.owner.pubkey()).lamports, lamports + rent, "rent back to the payer");
        assert!(!w.is_program_account(&pda::offer(&device, seq).0));
        assert_eq!(w.device(&device).open_offer(), None);
        w.ok(|w| w.set_paused(false));
        // a retracted offer cannot be filled on its stale terms (R11)
        let c = w.costaker(0);
        w.refused("AccountOwnedByWrongProgram", |w| w.fill_terms(&c, device, seq, HALF, SHARE));
        // and the next offer takes the next number
        assert_eq!(w.offer_ok(device, HALF, SHARE), seq + 1);
    });
}

/// R10, R51: `retract_offer`'s refusals.
#[test]
fn retract_offer_refusals() {
    for_each_world(|w| {
        let (device, filled) = w.costaked_device();
        w.refused("OfferNotOpen", |w| w.retract(device, filled));
        w.refused("AccountOwnedByWrongProgram", |w| w.retract(device, filled + 1));
        let other = w.staked_device();
        let seq = w.offer_ok(other, HALF, SHARE);
        let intruder = w.owner2.clone();
        w.refused("NotDeviceOwner", |w| {
            let ix = ix::retract_offer(intruder.pubkey(), other, seq, w.owner.pubkey());
            w.send_by(ix, &intruder.key)
        });
        // the rent goes only to the offer's payer
        let owner = w.owner.clone();
        w.refused("ConstraintHasOne", |w| {
            w.send_by(ix::retract_offer(owner.pubkey(), other, seq, intruder.pubkey()), &owner.key)
        });
        // an offer of another device
        w.refused("ConstraintSeeds", |w| {
            let mut ix = ix::retract_offer(owner.pubkey(), device, seq, owner.pubkey());
            replace_account(&mut ix, &pda::offer(&device, seq).0, pda::offer(&other, seq).0);
            w.send_by(ix, &owner.key)
        });
    });
}
