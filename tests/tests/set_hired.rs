//! `set_hired` (R7): the oracle marks a device hired or idle; hired blocks unstake (R15).
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R7 R15.
#[test]
fn the_oracle_marks_a_device_hired_and_idle() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.set_hired(device, true));
        assert!(w.device(&device).hired);
        assert!(w.eligible(&device), "hired does not change eligibility");
        w.refused("DeviceHired", |w| w.unstake(device));
        w.ok(|w| w.set_hired(device, false));
        assert!(!w.device(&device).hired);
        w.ok(|w| w.unstake(device));
    });
}

/// Rules: R7 R51.
#[test]
fn set_hired_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let intruder = w.funded_keypair();
        w.refused("NotOracle", |w| w.send_by(ix::set_hired(intruder.pubkey(), device, true), &intruder));
        w.ok(|w| w.terminate(device));
        w.refused("DeviceTerminated", |w| w.set_hired(device, true));
        // marking a terminated device idle is harmless
        w.ok(|w| w.set_hired(device, false));
    });
}
