//! `update_hardware` (R2): the oracle attests new hardware; a rising minimum keeps the previous
//! one in force for one cover window on a device that met it, and a running grace never grows.
use device_staking_tests::client::device_staking::events::MinimumChanged;
use device_staking_tests::client::device_staking::state::Params;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R2: a device that met its minimum is judged against it for one cover window after a rise;
/// a later change does not extend that grace.
#[test]
fn r2_a_higher_minimum_gives_a_device_that_met_the_old_one_a_grace_window() {
    for_each_world(|w| {
        let device = w.staked_device();
        let changed = w.now();
        let ok = w.ok(|w| w.update_hardware(device, 16, 100_000));
        let e: MinimumChanged = events(&ok).remove(0);
        assert_eq!((e.previous_min, e.min_required, e.grace_end), (MIN, 2 * MIN, changed + 7 * DAY));
        let d = w.device(&device);
        assert_eq!((d.gpu_count, d.multiplier_bps, d.grace_min, d.grace_end), (16, 100_000, MIN, changed + 7 * DAY));
        let status = w.status(device);
        assert_eq!((status.min_required, status.min_in_force), (2 * MIN, MIN));
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

/// R2: a device short of its minimum gets no grace; a lower minimum applies at once.
#[test]
fn r2_a_device_short_of_its_minimum_gets_no_grace() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        w.ok(|w| w.stake(device, MIN - 1));
        w.ok(|w| w.update_hardware(device, 16, 100_000));
        let d = w.device(&device);
        assert_eq!((w.status(device).min_in_force, d.grace_end), (2 * MIN, 0));
        w.ok(|w| w.update_hardware(device, 4, 100_000));
        assert!(w.eligible(&device));
    });
}

/// R2, R51: `update_hardware`'s refusals.
#[test]
fn update_hardware_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let intruder = w.funded_keypair();
        w.refused("NotOracle", |w| w.send_by(ix::update_hardware(intruder.pubkey(), device, 16, 100_000), &intruder));
        w.refused("InvalidHardware", |w| w.update_hardware(device, 0, 100_000));
        w.refused("InvalidHardware", |w| w.update_hardware(device, 1, 0));
    });
}

/// R1, R53: hardware whose minimum exceeds u64 is refused.
#[test]
fn r53_a_minimum_beyond_u64_is_refused() {
    for_each_world_with(Params { base_stake_per_gpu: 10_000 * IO, ..Params::defaults(6).unwrap() }, |w| {
        let device = w.register(1, 10_000);
        w.refused("MathOverflow", |w| w.update_hardware(device, u16::MAX, u32::MAX));
        w.ok(|w| w.update_hardware(device, 8, 100_000));
    });
}
