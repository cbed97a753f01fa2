//! `set_hired(until)` (R7): the oracle marks a device hired until a time at most 30 days ahead
//! (0 clears it); hired blocks the owner's unstake (R15) until then, without a renewal.
use device_staking_tests::client::device_staking::events::HiredSet;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R7, R15: hired until a time blocks unstake until that second; 0 clears it at once; hired
/// does not change eligibility.
#[test]
fn r7_a_device_is_hired_until_the_time_the_oracle_set() {
    for_each_world(|w| {
        let device = w.staked_device();
        let until = w.now() + 30 * DAY;
        let ok = w.ok(|w| w.set_hired(device, until));
        assert_eq!(events::<HiredSet>(&ok)[0].hired_until, until);
        let status = w.status(device);
        assert_eq!((status.hired, status.hired_until, status.eligible), (true, until, true));
        w.warp_to(until - 1);
        w.refused("DeviceHired", |w| w.unstake(device));
        w.warp_to(until);
        assert!(!w.status(device).hired, "the mark lapses by itself");
        // renewed, then cleared
        w.ok(|w| w.set_hired(device, w.now() + DAY));
        w.refused("DeviceHired", |w| w.unstake(device));
        w.ok(|w| w.set_hired(device, 0));
        w.ok(|w| w.unstake(device));
    });
}

/// R7, R51: `set_hired`'s refusals: only the oracle, only a time in the next 30 days (or 0), and
/// never on a terminated device.
#[test]
fn set_hired_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let intruder = w.funded_keypair();
        let now = w.now();
        w.refused("NotOracle", |w| w.send_by(ix::set_hired(intruder.pubkey(), device, now + DAY), &intruder));
        w.refused("InvalidHiredUntil", |w| w.set_hired(device, now));
        w.refused("InvalidHiredUntil", |w| w.set_hired(device, now - 1));
        w.refused("InvalidHiredUntil", |w| w.set_hired(device, now + 30 * DAY + 1));
        w.ok(|w| w.terminate(device));
        w.refused("DeviceTerminated", |w| w.set_hired(device, now + DAY));
        w.refused("DeviceTerminated", |w| w.set_hired(device, 0));
    });
}
