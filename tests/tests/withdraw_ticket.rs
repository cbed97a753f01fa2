//! `withdraw_ticket` (R16): anyone pays a ripe ticket to the owner and closes it; the owner may
//! stake again; a hold delays it (R41); never paused (R17).
use device_staking_tests::client::pda;
use device_staking_tests::world::*;

/// Rules: R15 R16.
#[test]
fn anyone_withdraws_a_ripe_ticket_to_the_owner() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(start + 14 * DAY);
        let (tokens, lamports) = (w.token_balance(&w.owner.token), w.account(&w.owner.pubkey()).lamports);
        let rent = w.account(&pda::ticket(&device, 0).0).lamports;
        w.ok(|w| w.withdraw_ticket(device, 0));
        assert_eq!(w.token_balance(&w.owner.token), tokens + MIN);
        assert_eq!(w.account(&w.owner.pubkey()).lamports, lamports + rent, "rent back to the payer");
        assert!(w.svm.get_account(&pda::ticket(&device, 0).0).is_none());
        let d = w.device(&device);
        assert_eq!((d.unstaking, d.ticket_principal), (false, 0));
        w.ok(|w| w.stake(device, MIN));
    });
}

/// Rules: R16 R51.
#[test]
fn withdraw_ticket_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.refused("AccountNotInitialized", |w| w.withdraw_ticket(device, 0));
        let start = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(start + 14 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_ticket(device, 0));
        w.refused("AccountNotInitialized", |w| w.withdraw_ticket(device, 1));
        w.warp_to(start + 14 * DAY);
        w.ok(|w| w.withdraw_ticket(device, 0));
        w.refused("AccountNotInitialized", |w| w.withdraw_ticket(device, 0));
    });
}

/// Rules: R41.
#[test]
fn a_held_ticket_waits_for_the_hold() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(start + 13 * DAY);
        w.ok(|w| w.hold(device, start + 15 * DAY));
        w.warp_to(start + 15 * DAY - 1);
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(device, 0));
        w.warp_to(start + 15 * DAY);
        w.ok(|w| w.withdraw_ticket(device, 0));
    });
}
