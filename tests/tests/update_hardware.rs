//! `update_hardware` (R2): the oracle attests new hardware; a rising minimum keeps the previous
//! one in force for one cover window on a device that met it, and a running grace never grows.
use device_staking_tests::client::device_staking::state::Params;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R2.
#[test]
fn a_higher_minimum_gives_a_device_that_met_the_old_one_a_grace_window() {
    for_each_world(|w| {
        let device = w.staked_device();
        let changed = w.now();
        w.ok(|w| w.update_hardware(device, 16, 100_000));
        let d = w.device(&device);
        assert_eq!((d.gpu_count, d.multiplier_bps), (16, 100_000));
        assert_eq!((d.min_required, d.grace_min, d.grace_end), (2 * MIN, MIN, changed + 7 * DAY));
        w.warp_to(changed + 7 * DAY - 1);
        assert!(w.eligible(&device), "judged against the previous minimum during the grace");
        // a later change never extends the running grace
        w.ok(|w| w.update_hardware(device, 24, 100_000));
        assert_eq!(w.device(&device).grace_end, changed + 7 * DAY);
        w.warp_to(changed + 7 * DAY);
        assert!(!w.eligible(&device));
        w.ok(|w| w.stake(device, 2 * MIN));
        assert!(w.eligible(&device));
    });
}

/// Rules: R2.
#[test]
fn a_device_short_of_its_minimum_gets_no_grace() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        w.ok(|w| w.stake(device, MIN - 1));
        w.ok(|w| w.update_hardware(device, 16, 100_000));
        let d = w.device(&device);
        assert_eq!((d.min_required, d.grace_end), (2 * MIN, 0));
        // a lower minimum applies at once
        w.ok(|w| w.update_hardware(device, 4, 100_000));
        assert!(w.eligible(&device));
    });
}

/// Rules: R2 R51 R53.
#[test]
fn update_hardware_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let intruder = w.funded_keypair();
        w.refused("NotOracle", |w| w.send_by(ix::update_hardware(intruder.pubkey(), device, 16, 100_000), &intruder));
        w.refused("InvalidHardware", |w| w.update_hardware(device, 0, 100_000));
        w.refused("InvalidHardware", |w| w.update_hardware(device, 1, 0));
        w.ok(|w| w.update_params(Params { base_stake_per_gpu: u64::MAX / 2, ..Params::defaults(6).unwrap() }));
        w.refused("MathOverflow", |w| w.update_hardware(device, 8, 10_000));
    });
}
