//! `transfer_device`, `cancel_transfer`, `accept_device` (R19): the owner proposes a new owner
//! wallet, which accepts within 7 days (the owner may cancel before); both steps are refused
//! while unstaking, with an open offer, while held, or when the new wallet holds a position of
//! the device. At acceptance the owner, the owner stake, the unclaimed rewards and the rent payer
//! move; positions and their terms are untouched.
use device_staking_tests::client::device_staking::events::{DeviceTransferred, TransferCancelled, TransferProposed};
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;

/// How long a proposal may be accepted.
const WINDOW: i64 = 7 * DAY;

/// R19: accepted one second before the proposal lapses, the device moves with its stake, its
/// rewards and its rent payer; the position is untouched; the new owner closes it one day.
#[test]
fn r19_the_new_wallet_accepts_within_seven_days_and_takes_the_device_over() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled, w.now(), &[(device, 1_000)]));
        let (old, new) = (w.owner.clone(), w.owner2.clone());
        let proposed = w.now();
        let ok = w.ok(|w| w.transfer_device(device, new.pubkey()));
        let e: TransferProposed = events(&ok).remove(0);
        assert_eq!((e.device, e.owner, e.new_owner, e.expires_at), (device, old.pubkey(), new.pubkey(), proposed + WINDOW));
        let position = w.device(&device).position(seq).copied().unwrap();
        w.warp_to(proposed + WINDOW - 1);
        let ok = w.ok(|w| w.accept_device(&new, device));
        let e: DeviceTransferred = events(&ok).remove(0);
        assert_eq!((e.device, e.previous_owner, e.owner), (device, old.pubkey(), new.pubkey()));
        let d = w.device(&device);
        assert_eq!((d.owner, d.payer, d.owner_stake, d.owner_rewards), (new.pubkey(), new.pubkey(), MIN, 260));
        assert_eq!(*d.position(seq).unwrap(), position);
        assert_eq!(d.pending_owner, Default::default());
        w.refused("NotDeviceOwner", |w| {
            w.send_by(ix::withdraw_overflow(old.pubkey(), device, old.token, 260, &w.mint), &old.key)
        });
        let before = w.token_balance(&new.token);
        w.ok(|w| w.withdraw_overflow(device, 260));
        assert_eq!(w.token_balance(&new.token), before + 260);
    });
}

/// R19: a cancelled proposal can no longer be accepted; a new one can.
#[test]
fn r19_the_owner_cancels_a_proposal() {
    for_each_world(|w| {
        let device = w.staked_device();
        let new = w.owner2.clone();
        w.ok(|w| w.transfer_device(device, new.pubkey()));
        let ok = w.ok(|w| w.cancel_transfer(device));
        assert_eq!(events::<TransferCancelled>(&ok)[0].device, device);
        w.refused("NoPendingChange", |w| w.accept_device(&new, device));
        w.ok(|w| w.transfer_device(device, new.pubkey()));
        w.ok(|w| w.accept_device(&new, device));
        assert_eq!(w.device(&device).owner, new.pubkey());
    });
}

/// R19, R51: `transfer_device`'s refusals.
#[test]
fn transfer_device_refusals() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let (owner, new, c) = (w.owner.clone(), w.owner2.clone(), w.costaker(0));
        w.refused("NotDeviceOwner", |w| w.send_by(ix::transfer_device(new.pubkey(), device, new.pubkey()), &new.key));
        w.refused("InvalidNewOwner", |w| w.transfer_device(device, owner.pubkey()));
        w.refused("InvalidNewOwner", |w| w.transfer_device(device, Default::default()));
        w.refused("NewOwnerHoldsPosition", |w| w.transfer_device(device, c.pubkey()));
        // an exiting position is still the co-staker's
        w.ok(|w| w.cancel(&c, device, seq));
        w.refused("NewOwnerHoldsPosition", |w| w.transfer_device(device, c.pubkey()));
        let open = w.offer_ok(device, HALF, SHARE);
        w.refused("OpenOfferExists", |w| w.transfer_device(device, new.pubkey()));
        w.ok(|w| w.retract(device, open));
        w.ok(|w| w.hold(device, w.now() + DAY));
        w.refused("DeviceOnHold", |w| w.transfer_device(device, new.pubkey()));
        w.advance(DAY);
        w.ok(|w| w.unstake(device));
        w.refused("DeviceUnstaking", |w| w.transfer_device(device, new.pubkey()));
    });
}

/// R19, R51: `cancel_transfer`'s refusals.
#[test]
fn cancel_transfer_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let new = w.owner2.clone();
        w.refused("NoPendingChange", |w| w.cancel_transfer(device));
        w.ok(|w| w.transfer_device(device, new.pubkey()));
        w.refused("NotDeviceOwner", |w| w.send_by(ix::cancel_transfer(new.pubkey(), device), &new.key));
    });
}

/// R19, R51: `accept_device`'s refusals: only the proposed wallet, before the proposal lapses,
/// and with every condition of the proposal checked again at acceptance.
#[test]
fn accept_device_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let (new, c) = (w.owner2.clone(), w.costaker(0));
        w.refused("NoPendingChange", |w| w.accept_device(&new, device));
        let proposed = w.now();
        w.ok(|w| w.transfer_device(device, new.pubkey()));
        w.refused("NotPendingKey", |w| w.accept_device(&c, device));
        w.warp_to(proposed + WINDOW);
        w.refused("TransferExpired", |w| w.accept_device(&new, device));

        // conditions that arose after the proposal
        w.ok(|w| w.transfer_device(device, new.pubkey()));
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("OpenOfferExists", |w| w.accept_device(&new, device));
        w.ok(|w| w.fill(&new, device, seq));
        w.refused("NewOwnerHoldsPosition", |w| w.accept_device(&new, device));
        w.ok(|w| w.cancel(&new, device, seq));
        w.ok(|w| w.transfer_device(device, c.pubkey()));
        w.ok(|w| w.hold(device, w.now() + DAY));
        w.refused("DeviceOnHold", |w| w.accept_device(&c, device));
        w.advance(DAY);
        w.ok(|w| w.unstake(device));
        w.refused("DeviceUnstaking", |w| w.accept_device(&c, device));
    });
}
