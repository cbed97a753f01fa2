//! R50: every state change emits an event carrying its amounts and the resulting state, and no
//! event is lost to a truncated log.
use device_staking_tests::attack::Scene;
use device_staking_tests::client::device_staking::events::{OfferFilled, Staked};
use device_staking_tests::world::*;
use device_staking_tests::*;

/// Rules: R50.
#[test]
fn r50_stake_and_fill_emit_their_amounts_and_the_resulting_state() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        let ok = w.ok(|w| w.stake(device, MIN));
        let staked: Vec<Staked> = events(&ok);
        assert_eq!(staked.len(), 1);
        assert_eq!((staked[0].device, staked[0].amount, staked[0].owner_stake), (device, MIN, MIN));
        assert_eq!((staked[0].counted_stake, staked[0].eligible), (MIN, true));

        let (device, seq) = w.costaked_device();
        assert_eq!(w.device(&device).filled_position().map(|p| p.seq), Some(seq));
        let ok = w.ok(|w| w.stake(device, 1));
        let staked: Vec<Staked> = events(&ok);
        assert_eq!(staked[0].counted_stake, MIN + HALF + 1, "the event reports the counted stake after the change");
        assert!(events::<OfferFilled>(&ok).is_empty(), "no unrelated event");
    });
}

/// Rules: R50.
/// Each of the 33 state-changing instructions, called as it would succeed in the attack scene,
/// emits at least one event, and its log is complete (not truncated); `device_status` changes
/// nothing and emits none.
#[test]
fn r50_every_state_change_emits_an_event() {
    for binary in Binary::ALL {
        let mut scene = Scene::new(binary);
        for call in scene.calls() {
            let result = scene.w.env.simulate(std::slice::from_ref(&call.ix), &call.signer_refs());
            let ok = assert_ok(&result);
            let emitted = ok.logs.iter().filter(|l| l.starts_with("Program data: ")).count();
            assert!(!ok.logs.iter().any(|l| l.contains("Log truncated")), "{}: the log was truncated", call.name);
            if call.name == "device_status" {
                assert_eq!(emitted, 0, "device_status is read-only");
            } else {
                assert!(emitted >= 1, "{} emitted no event; logs:\n{}", call.name, ok.logs.join("\n"));
            }
        }
    }
}
