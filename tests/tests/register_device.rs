//! `register_device` (R3) and the oracle's device instructions: `update_hardware` and
//! `refresh_min` (R1, R2), `set_hired` and `terminate` (R7).
use device_staking_tests::client::device_staking::state::Device;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// Rules: R1 R3.
#[test]
fn the_owner_registers_with_the_oracle_co_signing() {
    for_each_world(|w| {
        let owner = w.owner.clone();
        let id = w.new_device_id();
        w.ok(|w| w.try_register(&owner, id, 4, 2_500));
        let device = pda::device(&id).0;
        let d: Device = w.device(&device);
        assert_eq!((d.owner, d.payer, d.gpu_count, d.multiplier_bps), (owner.pubkey(), owner.pubkey(), 4, 2_500));
        assert_eq!(d.min_required, 800 * IO, "4 x RTX 4070 at 0.25 (R1)");
        assert_eq!((d.stake_vault, d.overflow_vault), (pda::stake_vault(&device).0, pda::overflow_vault(&device).0));
        for vault in [d.stake_vault, d.overflow_vault] {
            assert_eq!((w.account(&vault).owner, w.token_balance(&vault)), (SPL_TOKEN, 0));
        }
        assert!(!w.eligible(&device), "nothing staked");
        // the same id again: the system program refuses to allocate the device (custom 0)
        let fail = w.try_register(&owner, id, 4, 2_500).expect_err("registered twice");
        assert_eq!(fail.error_code, Some(0));
    });
}

/// Rules: R1 R3 R51.
#[test]
fn registration_needs_the_oracle_and_valid_hardware() {
    for_each_world(|w| {
        let (owner, intruder) = (w.owner.clone(), w.funded_keypair());
        let id = w.new_device_id();
        w.refused("NotOracle", |w| {
            let ix = ix::register_device(owner.pubkey(), intruder.pubkey(), id, 1, 10_000, &w.mint);
            w.env.send(&[ix], &[&owner.key, &intruder])
        });
        w.refused("InvalidHardware", |w| w.try_register(&owner, id, 0, 10_000));
        w.refused("InvalidHardware", |w| w.try_register(&owner, id, 1, 0));
        assert!(w.svm.get_account(&pda::device(&id).0).is_none());
    });
}

/// Rules: R2.
#[test]
fn a_higher_minimum_gives_a_device_that_met_the_old_one_a_grace_window() {
    for_each_world(|w| {
        let device = w.staked_device();
        let oracle = w.roles.oracle.insecure_clone();
        let intruder = w.funded_keypair();
        w.refused("NotOracle", |w| w.send_by(ix::update_hardware(intruder.pubkey(), device, 16, 100_000), &intruder));
        w.refused("InvalidHardware", |w| w.send_by(ix::update_hardware(oracle.pubkey(), device, 0, 100_000), &oracle));
        let changed = w.now();
        w.ok(|w| w.send_by(ix::update_hardware(oracle.pubkey(), device, 16, 100_000), &oracle));
        let d = w.device(&device);
        assert_eq!((d.min_required, d.grace_min, d.grace_end), (2 * MIN, MIN, changed + 7 * DAY));
        w.warp_to(changed + 7 * DAY - 1);
        assert!(w.eligible(&device), "judged against the previous minimum during the grace");
        // a later change never extends the running grace
        w.ok(|w| w.send_by(ix::update_hardware(oracle.pubkey(), device, 24, 100_000), &oracle));
        assert_eq!(w.device(&device).grace_end, changed + 7 * DAY);
        w.warp_to(changed + 7 * DAY);
        assert!(!w.eligible(&device));
        w.ok(|w| w.stake(device, 2 * MIN));
        assert!(w.eligible(&device));
        // refresh_min with an unchanged base changes nothing
        w.ok(|w| w.env.send(&[ix::refresh_min(device)], &[]));
        assert_eq!(w.device(&device).min_required, 3 * MIN);
    });
}

/// Rules: R7.
#[test]
fn the_oracle_marks_hired_and_terminates_for_good() {
    for_each_world(|w| {
        let device = w.staked_device();
        let intruder = w.funded_keypair();
        w.refused("NotOracle", |w| w.send_by(ix::set_hired(intruder.pubkey(), device, true), &intruder));
        w.refused("NotOracle", |w| w.send_by(ix::terminate(intruder.pubkey(), device), &intruder));
        w.ok(|w| w.set_hired(device, true));
        assert!(w.device(&device).hired);
        w.ok(|w| w.terminate(device));
        let d = w.device(&device);
        assert_eq!((d.terminated, d.hired), (true, false), "terminate clears hired");
        assert!(!w.eligible(&device));
        w.refused("DeviceTerminated", |w| w.terminate(device));
        w.refused("DeviceTerminated", |w| w.set_hired(device, true));
        w.ok(|w| w.set_hired(device, false));
        assert_eq!(w.device(&device).owner_stake, MIN, "nobody's stake is unstaked automatically");
    });
}
