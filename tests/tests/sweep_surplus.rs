//! `sweep_surplus` (R52): the admin moves tokens donated to a device's vaults, and only those,
//! to the treasury.
use device_staking_tests::client::device_staking::events::SurplusSwept;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R52: donations never block anything, and only they are swept.
#[test]
fn r52_only_the_surplus_is_swept_only_to_the_treasury() {
    for_each_world(|w| {
        let (device, _) = w.costaked_device();
        let (stake_vault, overflow_vault) = (pda::stake_vault(&device).0, pda::overflow_vault(&device).0);
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled, w.now(), &[(device, 1_000)]));
        let mint = w.mint.mint;
        w.mint_to(&mint, &stake_vault, 5);
        w.mint_to(&mint, &overflow_vault, 7);
        // donations never block anything
        w.ok(|w| w.stake(device, 1));
        let ok = w.ok(|w| w.sweep_surplus(device));
        let e: SurplusSwept = events(&ok).remove(0);
        assert_eq!((e.device, e.from_stake_vault, e.from_overflow_vault), (device, 5, 7));
        assert_eq!(w.token_balance(&w.treasury_token), 12);
        assert_eq!((w.token_balance(&stake_vault), w.token_balance(&overflow_vault)), (MIN + HALF + 1, 1_000));
        w.refused("NoSurplus", |w| w.sweep_surplus(device));
    });
}

/// R52, R51: `sweep_surplus`'s refusals.
#[test]
fn sweep_surplus_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.refused("NoSurplus", |w| w.sweep_surplus(device));
        let mint = w.mint.mint;
        w.mint_to(&mint, &pda::stake_vault(&device).0, 5);
        let admin = w.roles.admin.insecure_clone();
        w.refused("NotTreasuryAccount", |w| w.send_by(ix::sweep_surplus(admin.pubkey(), device, w.owner.token, &w.mint), &admin));
        let intruder = w.funded_keypair();
        w.refused("NotAdmin", |w| w.send_by(ix::sweep_surplus(intruder.pubkey(), device, w.treasury_token, &w.mint), &intruder));
    });
}
