//! `propose_admin` (R31): the admin names a successor, who must accept before anything changes.
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R31.
#[test]
fn the_admin_proposes_a_successor_without_handing_over_yet() {
    for_each_world(|w| {
        let (admin, next) = (w.roles.admin.insecure_clone(), w.funded_keypair());
        w.ok(|w| w.send_by(ix::propose_admin(admin.pubkey(), next.pubkey()), &admin));
        assert_eq!((w.config().admin, w.config().pending_admin), (admin.pubkey(), next.pubkey()));
        // a second proposal replaces the first
        let other = w.funded_keypair();
        w.ok(|w| w.send_by(ix::propose_admin(admin.pubkey(), other.pubkey()), &admin));
        assert_eq!(w.config().pending_admin, other.pubkey());
        w.ok(|w| w.set_paused(true));
    });
}

/// Rules: R31 R51.
#[test]
fn only_the_admin_proposes() {
    for_each_world(|w| {
        let (intruder, next) = (w.funded_keypair(), w.funded_keypair());
        w.refused("NotAdmin", |w| w.send_by(ix::propose_admin(intruder.pubkey(), next.pubkey()), &intruder));
    });
}
