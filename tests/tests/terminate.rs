//! `terminate` (R7): final; clears hired; the device earns nothing for blocks from then on and
//! takes no stake or offers; nobody's stake is unstaked automatically; a co-staker who cancels
//! on it has no wait.
use device_staking_tests::client::device_staking::events::{CostakeCancelled, DeviceTerminated, RewardSkipped};
use device_staking_tests::client::device_staking::state::skip;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R5, R7, R20: the oracle terminates for good; later blocks are skipped; the stakers leave the
/// ordinary way, the co-staker without the cover window.
#[test]
fn r7_the_oracle_terminates_for_good() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        w.ok(|w| w.set_hired(device, w.now() + DAY));
        w.advance(60);
        let terminated = w.now();
        let ok = w.ok(|w| w.terminate(device));
        assert_eq!(events::<DeviceTerminated>(&ok)[0].device, device);
        let d = w.device(&device);
        assert_eq!((d.terminated_at, d.hired_until), (terminated, 0), "terminate clears hired");
        assert!(!w.eligible(&device));
        assert_eq!((d.owner_stake, d.position(seq).unwrap().principal), (MIN, HALF), "nobody's stake is unstaked automatically");
        w.advance(60);
        let ok = w.ok(|w| w.reward(1, terminated, w.now(), &[(device, 1_000)]));
        assert_eq!(events::<RewardSkipped>(&ok)[0].reason, skip::TERMINATED);
        w.refused("DeviceTerminated", |w| w.stake(device, IO));
        let c = w.costaker(0);
        let ok = w.ok(|w| w.cancel(&c, device, seq));
        let e: CostakeCancelled = events(&ok).remove(0);
        assert_eq!((e.wait_end, e.unlock_at), (w.now(), w.now() + 14 * DAY), "no cover window on a terminated device");
        w.refused("DeviceTerminated", |w| w.create_offer(device, HALF, SHARE).0);
        w.ok(|w| w.unstake(device));
    });
}

/// R7, R51: `terminate`'s refusals.
#[test]
fn terminate_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let intruder = w.funded_keypair();
        w.refused("NotOracle", |w| w.send_by(ix::terminate(intruder.pubkey(), device), &intruder));
        w.ok(|w| w.terminate(device));
        w.refused("DeviceTerminated", |w| w.terminate(device));
    });
}
