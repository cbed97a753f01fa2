//! `slash` (R40): the slash authority takes principal in order (owner stake, the unripe ticket,
//! the positions), at most `max_slash_bps_per_30d` of the device's principal per 30 days, to the
//! treasury.
use device_staking_tests::client::device_staking::state::Params;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R40.
#[test]
fn a_slash_is_capped_per_thirty_days_and_goes_to_the_treasury() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.slash(device, 10_000 * IO));
        assert_eq!(w.device(&device).owner_stake, MIN - HALF, "at most 50% of 16,000");
        assert_eq!(w.token_balance(&w.treasury_token), HALF);
        assert_eq!(w.token_balance(&pda::stake_vault(&device).0), MIN - HALF);
        w.warp_to(start + 30 * DAY - 1);
        w.refused("NothingToSlash", |w| w.slash(device, 1));
        w.warp_to(start + 30 * DAY);
        w.ok(|w| w.slash(device, 10_000 * IO));
        assert_eq!(w.device(&device).owner_stake, HALF / 2, "a new window on the 8,000 left");
    });
}

/// Rules: R40.
#[test]
fn a_ripe_ticket_is_not_slashed() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(start + 14 * DAY - 1);
        w.ok(|w| w.slash(device, IO));
        assert_eq!(w.ticket(&device).unwrap().amount, MIN - IO);
        w.warp_to(start + 14 * DAY);
        w.refused("NothingToSlash", |w| w.slash(device, IO));
        w.ok(|w| w.withdraw_ticket(device, 0));
    });
}

/// Rules: R21 R40.
#[test]
fn a_position_slashed_to_zero_earns_nothing() {
    for_each_world_slashing_all(|w| {
        let (device, seq) = w.costaked_device();
        w.ok(|w| w.slash(device, MIN + HALF));
        assert_eq!((w.device(&device).owner_stake, w.offer(&device, seq).principal), (0, 0));
        w.ok(|w| w.stake(device, MIN));
        let start = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, start - 1, w.now(), &[(device, 1_000)]));
        assert_eq!((w.offer(&device, seq).rewards, w.device(&device).owner_rewards), (0, 1_000));
    });
}

/// Rules: R40 R51.
#[test]
fn slash_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.refused("ZeroAmount", |w| w.slash(device, 0));
        let intruder = w.funded_keypair();
        w.refused("NotSlashAuthority", |w| w.slash_by(&intruder, device, IO));
        w.refused("NotTreasuryAccount", |w| {
            let authority = w.roles.slash_authority.insecure_clone();
            let ix = ix::slash(authority.pubkey(), device, w.owner.token, None, &[], IO, &w.mint);
            w.send_by(ix, &authority)
        });
        let empty = w.register(GPUS, MULTIPLIER);
        w.refused("NothingToSlash", |w| w.slash(empty, IO));
    });
}

/// Rules: R40 R51.
#[test]
fn an_open_offer_is_not_a_position_to_slash() {
    for_each_world_slashing_all(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        let open = w.offer_ok(device, HALF, SHARE);
        let authority = w.roles.slash_authority.insecure_clone();
        w.refused("PositionAccountsMismatch", |w| {
            let ix = ix::slash(authority.pubkey(), device, w.treasury_token, None, &[open, seq], MIN + HALF, &w.mint);
            w.send_by(ix, &authority)
        });
        w.ok(|w| w.send_by(ix::slash(authority.pubkey(), device, w.treasury_token, None, &[seq], MIN + HALF, &w.mint), &authority));
        assert_eq!((w.device(&device).owner_stake, w.offer(&device, seq).principal), (0, 0));
    });
}

/// R40: the owner's unripe ticket is slashed before any position. The slash authority lists the
/// accounts, so a slash that leaves out the outstanding ticket must not reach the positions.
///
/// Rules: R40 R51.
#[test]
fn a_slash_cannot_skip_the_owners_ticket() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        w.ok(|w| w.unstake(device));
        let authority = w.roles.slash_authority.insecure_clone();
        let (treasury, mint) = (w.treasury_token, w.mint);
        w.refused("TicketRequired", |w| {
            w.send_by(ix::slash(authority.pubkey(), device, treasury, None, &[seq], IO, &mint), &authority)
        });
        assert_eq!(w.offer(&device, seq).principal, HALF, "the position was slashed before the owner's ticket");
    });
}

/// R40 caps slashing at `max_slash_bps_per_30d` of the device's principal "over any 30 days":
/// a slash just before 30 days have passed since the first and one just after cannot together
/// take more than the cap within one second.
///
/// Rules: R40.
#[test]
fn slashing_stays_within_the_cap_over_any_thirty_days() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.slash(device, 1));
        w.warp_to(start + 30 * DAY - 1);
        w.ok(|w| w.slash(device, MIN));
        let principal_then = MIN - 1;
        w.warp_to(start + 30 * DAY);
        let _ = w.slash(device, MIN);
        let slashed_within_a_second = principal_then - w.device(&device).owner_stake;
        let cap = principal_then / 2;
        assert!(slashed_within_a_second <= cap, "{slashed_within_a_second} slashed within one second, above the 30-day cap of {cap}");
    });
}

/// Rules: R33 R40.
#[test]
fn the_cap_follows_the_parameter() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.update_params(Params { max_slash_bps_per_30d: 1_000, ..Params::defaults(6).unwrap() }));
        w.ok(|w| w.slash(device, MIN));
        assert_eq!(w.token_balance(&w.treasury_token), MIN / 10);
    });
}
