//! `retract_offer` (R10): the owner closes an open offer; its rent returns to its payer.
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;

/// Rules: R10.
#[test]
fn the_owner_retracts_an_open_offer_and_gets_the_rent_back() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        let lamports = w.account(&w.owner.pubkey()).lamports;
        let rent = w.account(&pda::offer(&device, seq).0).lamports;
        w.ok(|w| w.retract(device, seq));
        assert_eq!(w.account(&w.owner.pubkey()).lamports, lamports + rent, "rent back to the payer");
        assert!(w.svm.get_account(&pda::offer(&device, seq).0).is_none());
        let d = w.device(&device);
        assert_eq!((d.open_offer, d.live_offers), (None, 0));
        // a retracted offer cannot be filled on its stale terms (R11)
        let c = w.costaker(0);
        w.refused("AccountNotInitialized", |w| w.fill_terms(&c, device, seq, HALF, SHARE));
    });
}

/// Rules: R10 R51.
#[test]
fn retract_offer_refusals() {
    for_each_world(|w| {
        let (device, filled) = w.costaked_device();
        w.refused("OfferNotOpen", |w| w.retract(device, filled));
        w.refused("AccountNotInitialized", |w| w.retract(device, filled + 1));
        let other = w.staked_device();
        let seq = w.offer_ok(other, HALF, SHARE);
        let intruder = w.owner2.clone();
        w.refused("NotDeviceOwner", |w| {
            let ix = ix::retract_offer(intruder.pubkey(), other, seq, w.owner.pubkey());
            w.send_by(ix, &intruder.key)
        });
        // the rent goes only to the offer's payer
        let owner = w.owner.clone();
        w.refused("ConstraintHasOne", |w| w.send_by(ix::retract_offer(owner.pubkey(), other, seq, intruder.pubkey()), &owner.key));
    });
}
