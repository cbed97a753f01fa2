//! `accept_admin` (R31): the proposed admin takes over; nobody else can.
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R31.
#[test]
fn the_proposed_admin_takes_over_and_the_previous_one_has_no_power_left() {
    for_each_world(|w| {
        let (admin, next) = (w.roles.admin.insecure_clone(), w.funded_keypair());
        w.ok(|w| w.send_by(ix::propose_admin(admin.pubkey(), next.pubkey()), &admin));
        w.ok(|w| w.send_by(ix::accept_admin(next.pubkey()), &next));
        assert_eq!((w.config().admin, w.config().pending_admin), (next.pubkey(), Default::default()));
        w.refused("NotAdmin", |w| w.send_by(ix::set_paused(admin.pubkey(), true), &admin));
        w.ok(|w| w.send_by(ix::set_paused(next.pubkey(), true), &next));
        // the handover is spent: accepting again is refused
        w.refused("NotPendingAdmin", |w| w.send_by(ix::accept_admin(next.pubkey()), &next));
    });
}

/// With nothing proposed the signer is not the (empty) pending admin: `NotPendingAdmin` is checked
/// before `NoPendingChange`, which no real signer can reach (it would have to sign as the zero key).
///
/// Rules: R31 R51.
#[test]
fn only_the_proposed_admin_accepts_and_only_a_pending_proposal() {
    for_each_world(|w| {
        let (admin, next, intruder) = (w.roles.admin.insecure_clone(), w.funded_keypair(), w.funded_keypair());
        w.refused("NotPendingAdmin", |w| w.send_by(ix::accept_admin(next.pubkey()), &next));
        w.ok(|w| w.send_by(ix::propose_admin(admin.pubkey(), next.pubkey()), &admin));
        w.refused("NotPendingAdmin", |w| w.send_by(ix::accept_admin(intruder.pubkey()), &intruder));
        w.refused("NotPendingAdmin", |w| w.send_by(ix::accept_admin(admin.pubkey()), &admin));
    });
}
