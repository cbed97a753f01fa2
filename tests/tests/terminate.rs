//! `terminate` (R7): final; clears hired; the device earns nothing and takes no offers, and
//! nobody's stake is unstaked automatically.
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R5 R7.
#[test]
fn the_oracle_terminates_for_good() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        w.ok(|w| w.set_hired(device, true));
        w.ok(|w| w.terminate(device));
        let d = w.device(&device);
        assert_eq!((d.terminated, d.hired), (true, false), "terminate clears hired");
        assert!(!w.eligible(&device));
        assert_eq!((d.owner_stake, w.offer(&device, seq).principal), (MIN, HALF), "nobody's stake is unstaked automatically");
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        w.refused("DeviceTerminated", |w| w.create_offer(device, HALF, SHARE).0);
        w.ok(|w| w.unstake(device));
    });
}

/// Rules: R7 R51.
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
