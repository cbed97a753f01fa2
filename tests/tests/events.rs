//! R50: state changes emit events carrying their amounts and the resulting state.
use anchor_lang::{AnchorDeserialize, Discriminator};
use device_staking_tests::client::device_staking::events::{OfferFilled, Staked};
use device_staking_tests::world::*;
use device_staking_tests::*;

/// The events Anchor logged (`Program data: <base64>`) that decode as `T`.
fn events<T: AnchorDeserialize + Discriminator>(ok: &TxOk) -> Vec<T> {
    use anchor_lang::__private::base64::{engine::general_purpose::STANDARD, Engine};
    ok.logs
        .iter()
        .filter_map(|line| line.strip_prefix("Program data: "))
        .filter_map(|data| STANDARD.decode(data).ok())
        .filter(|bytes| bytes.starts_with(T::DISCRIMINATOR))
        .map(|bytes| T::deserialize(&mut &bytes[T::DISCRIMINATOR.len()..]).expect("event decodes"))
        .collect()
}

/// Rules: R50.
#[test]
fn stake_and_fill_emit_their_amounts_and_the_resulting_state() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        let ok = w.ok(|w| w.stake(device, MIN));
        let staked: Vec<Staked> = events(&ok);
        assert_eq!(staked.len(), 1);
        assert_eq!((staked[0].device, staked[0].amount, staked[0].owner_stake), (device, MIN, MIN));
        assert_eq!((staked[0].counted_stake, staked[0].eligible), (MIN, true));

        let (device, seq) = w.costaked_device();
        let filled = w.device(&device);
        assert_eq!(filled.filled.map(|f| f.seq), Some(seq));
        let ok = w.ok(|w| w.stake(device, 1));
        let staked: Vec<Staked> = events(&ok);
        assert_eq!(staked[0].counted_stake, MIN + HALF + 1, "the event reports the counted stake after the change");
        assert!(events::<OfferFilled>(&ok).is_empty(), "no unrelated event");
    });
}
