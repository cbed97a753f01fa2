//! Regression tests of the external review's findings on v1, each on both binaries and checked
//! from outside (token balances, events, times): they fail on a program that still has the flaw.
//! Finding n is `findingn_...`; the further cases the review raised follow them.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_spl::token_2022::spl_token_2022;
use device_staking_tests::client::device_staking::events::{DeviceRegistered, RewardPaid, RewardSkipped, Slashed, Unstaked};
use device_staking_tests::client::device_staking::state::{skip, Params, Role};
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The byte of an SPL token account that holds its state (after mint, owner, amount and the
/// optional delegate); 2 is `Frozen`.
const TOKEN_ACCOUNT_STATE: usize = 108;

/// Freezes the token account `account` as the mint's freeze authority would (the world's mint has
/// none: the state byte is written directly).
fn freeze(w: &mut World, account: &Pubkey) {
    let mut data = w.account(account);
    data.data[TOKEN_ACCOUNT_STATE] = 2;
    w.svm.set_account(*account, data).expect("set the token account");
}

/// Empties `wallet`'s associated token account into a new account of theirs and closes it; returns the new account.
fn close_ata(w: &mut World, wallet: &Wallet) -> Pubkey {
    let mint = w.mint.mint;
    let other = w.create_token_account(&wallet.pubkey(), &mint);
    let amount = w.token_balance(&wallet.token);
    let ixs = [
        spl_token_2022::instruction::transfer_checked(&SPL_TOKEN, &wallet.token, &mint, &other, &wallet.pubkey(), &[], amount, 6)
            .unwrap(),
        spl_token_2022::instruction::close_account(&SPL_TOKEN, &wallet.token, &wallet.pubkey(), &wallet.pubkey(), &[]).unwrap(),
    ];
    assert_ok(&w.env.send(&ixs, &[&wallet.key]));
    assert!(w.svm.get_account(&wallet.token).is_none_or(|a| a.data.is_empty()));
    other
}

/// Sends `ix` signed by `signer`, asserts the token program refused it with a log containing
/// `why`, and that no account of the world changed.
fn refused_by_token_program(w: &mut World, why: &str, ix: Instruction, signer: &Keypair) {
    let watched = w.all_accounts();
    let before = w.snapshot(&watched);
    let fail = w.send_by(ix, signer).expect_err("the token program should refuse");
    assert!(fail.logs.iter().any(|l| l.contains(why)), "expected {why:?} in the logs:\n{}", fail.logs.join("\n"));
    assert!(w.snapshot(&watched) == before, "a refused transaction changed an account");
}

/// `slash(amount, incident_at)` signed by `authority`, paid to `treasury`'s associated token account.
fn slash_as(w: &mut World, authority: &Keypair, treasury: Pubkey, device: Pubkey, amount: u64, incident_at: i64) -> TxResult {
    let ix = ix::slash(authority.pubkey(), device, treasury, amount, incident_at, &w.mint);
    w.send_by(ix, authority)
}

/// The one event of type `T` in `ok`.
fn one<T: anchor_lang::AnchorDeserialize + anchor_lang::Discriminator>(ok: &TxOk) -> T {
    let mut all = events::<T>(ok);
    assert_eq!(all.len(), 1, "expected exactly one event");
    all.remove(0)
}

// ---- finding 1 ----

/// Finding 1 (R20, R21 `stopped_at`): a co-staker who cancels after a block ended is credited
/// their share of that block when the batch lands later, and withdraws it with their principal;
/// a block that overlaps the cancel is the owner's alone.
#[test]
fn finding1_r21_a_cancel_after_the_block_ended_still_earns_the_block_paid_later() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let filled = w.now();
        let block_end = filled + DAY;
        let cancelled = block_end + 3_600;
        w.warp_to(cancelled);
        w.ok(|w| w.cancel(&c, device, seq));
        w.advance(DAY);
        let source = w.token_balance(&w.reward_source);
        let ok = w.ok(|w| w.reward(1, filled, block_end, &[(device, 1_000)]));
        let paid: RewardPaid = one(&ok);
        assert_eq!((paid.position_seq, paid.position_part, paid.owner_part), (Some(seq), 740, 260));
        assert_eq!((paid.position_left, paid.transferred), (false, 1_000));
        assert_eq!(w.token_balance(&w.reward_source), source - 1_000);
        // the next block spans the cancel: the position stopped earning before it ended
        let ok = w.ok(|w| w.reward(2, block_end, cancelled + 1, &[(device, 1_000)]));
        let paid: RewardPaid = one(&ok);
        assert_eq!((paid.position_seq, paid.owner_part), (None, 1_000));
        // the credited share is paid with the principal at unlock
        w.warp_to(cancelled + 21 * DAY);
        let before = w.token_balance(&c.token);
        w.ok(|w| w.withdraw_position(device, seq));
        assert_eq!(w.token_balance(&c.token), before + HALF + 740);
        let owner_before = w.token_balance(&w.owner.token);
        w.ok(|w| w.withdraw_overflow(device, 1_260));
        assert_eq!(w.token_balance(&w.owner.token), owner_before + 1_260);
    });
}

/// Finding 1 (R21, G4): a block the position earned, paid after the position was withdrawn or
/// released, does not pay its part at all: it stays with the reward authority, the event names
/// the position with `position_left`, and the owner receives only the rest.
#[test]
fn finding1_r21_a_withdrawn_or_released_positions_part_is_not_paid() {
    for_each_world(|w| {
        let (withdrawn, seq_w) = w.costaked_device();
        let released = w.staked_device();
        let seq_r = w.offer_ok(released, HALF, SHARE);
        let (c0, c1) = (w.costaker(0), w.costaker(1));
        w.ok(|w| w.fill(&c1, released, seq_r));
        let filled = w.now();
        let block_end = filled + DAY;
        w.warp_to(block_end + 1);
        w.ok(|w| w.cancel(&c0, withdrawn, seq_w));
        w.ok(|w| w.cancel(&c1, released, seq_r));
        w.warp_to(block_end + 1 + 21 * DAY);
        w.ok(|w| w.withdraw_position(withdrawn, seq_w));
        w.ok(|w| w.release(released, seq_r));
        let (c0_before, escrow) = (w.token_balance(&c0.token), pda::escrow(&pda::offer(&released, seq_r).0).0);
        assert_eq!(w.token_balance(&escrow), HALF);

        let source = w.token_balance(&w.reward_source);
        let ok = w.ok(|w| w.reward(1, filled, block_end, &[(withdrawn, 1_000), (released, 1_000)]));
        let paid: Vec<RewardPaid> = events(&ok);
        assert_eq!(paid.len(), 2);
        for (p, seq) in paid.iter().zip([seq_w, seq_r]) {
            assert_eq!((p.position_seq, p.position_left, p.position_part), (Some(seq), true, 740));
            assert_eq!((p.owner_part, p.transferred), (260, 260));
        }
        assert_eq!(w.token_balance(&w.reward_source), source - 520, "the departed parts stay with the reward authority");
        assert_eq!(w.token_balance(&c0.token), c0_before);
        assert_eq!(w.token_balance(&escrow), HALF, "nothing is added to the escrow");
        for device in [withdrawn, released] {
            assert_eq!(w.device(&device).owner_rewards, 260);
            assert_eq!(w.token_balance(&pda::overflow_vault(&device).0), 260);
        }
        let c1_before = w.token_balance(&c1.token);
        w.ok(|w| w.withdraw_escrow(&c1, released, seq_r));
        assert_eq!(w.token_balance(&c1.token), c1_before + HALF);
    });
}

// ---- finding 2 ----

/// Finding 2 (R41): holds cannot be chained. A hold at the second the previous one ends is a new
/// incident, refused (HoldIncidentTooSoon) until 30 days after the previous incident started;
/// in between the device is not held (principal overflow comes out).
#[test]
fn finding2_r41_a_new_hold_waits_thirty_days_after_the_previous_incident() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.stake(device, 10 * IO));
        let start = w.now();
        w.ok(|w| w.hold(device, start + 7 * DAY));
        w.warp_to(start + 7 * DAY - 1);
        w.refused("DeviceOnHold", |w| w.withdraw_overflow(device, IO));
        w.warp_to(start + 7 * DAY);
        w.refused("HoldIncidentTooSoon", |w| w.hold(device, w.now() + DAY));
        w.ok(|w| w.withdraw_overflow(device, IO));
        w.warp_to(start + 30 * DAY - 1);
        w.refused("HoldIncidentTooSoon", |w| w.hold(device, w.now() + DAY));
        w.ok(|w| w.withdraw_overflow(device, IO));
        w.warp_to(start + 30 * DAY);
        w.ok(|w| w.hold(device, start + 37 * DAY));
        assert_eq!(w.status(device).hold_incident_start, start + 30 * DAY);
        w.refused("DeviceOnHold", |w| w.withdraw_overflow(device, IO));
    });
}

/// Finding 2 (R41): a hold does not newly freeze a ticket that was already ripe when the incident
/// started; a ticket not yet ripe then waits for the hold's end.
#[test]
fn finding2_r41_a_ripe_ticket_is_not_newly_frozen() {
    for_each_world(|w| {
        let ripe = w.staked_device();
        let unripe = w.staked_device();
        let unstaked = w.now();
        w.ok(|w| w.unstake(ripe));
        w.ok(|w| w.unstake(unripe));
        w.warp_to(unstaked + 14 * DAY - 1);
        w.ok(|w| w.hold(unripe, unstaked + 21 * DAY - 1));
        w.warp_to(unstaked + 14 * DAY);
        w.ok(|w| w.hold(ripe, unstaked + 21 * DAY));
        let before = w.token_balance(&w.owner.token);
        w.ok(|w| w.withdraw_ticket(ripe));
        assert_eq!(w.token_balance(&w.owner.token), before + MIN);
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(unripe));
        w.warp_to(unstaked + 21 * DAY - 2);
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(unripe));
        w.warp_to(unstaked + 21 * DAY - 1);
        w.ok(|w| w.withdraw_ticket(unripe));
        assert_eq!(w.token_balance(&w.owner.token), before + 2 * MIN);
    });
}

// ---- finding 3 ----

/// Finding 3 (R31-R34, G3): the role timelock cannot be bypassed. Parameters with no role delay
/// and a 100% slash cap, proposed at A, apply only at A + max(7 d, 7 d + 14 d, 14 d + 7 d) + 1 s;
/// a new slash authority and a new treasury proposed at A accept at once and still wait as long.
/// A co-staker who cancels at A, and an owner who unstakes at A and is then held as long as
/// possible, have both withdrawn before that second.
#[test]
fn finding3_r34_a_loosening_and_new_keys_wait_until_every_leaver_is_out() {
    for_each_world(|w| {
        let (leaving, seq) = w.costaked_device();
        let unstaking = w.register_for(&w.owner2.clone(), GPUS, MULTIPLIER);
        w.ok(|w| w.stake(unstaking, MIN));
        let (before_change, at_change) = (w.staked_device(), w.staked_device());
        let (old_slasher, old_treasury) = (w.roles.slash_authority.insecure_clone(), w.roles.treasury.pubkey());
        let (new_slasher, new_treasury) = (w.funded_keypair(), w.funded_keypair());

        let announced = w.now();
        let change_at = announced + 21 * DAY + 1;
        let loose = Params { role_change_delay_secs: 0, max_slash_bps_per_30d: 10_000, ..Params::defaults(6).unwrap() };
        w.ok(|w| w.update_params(loose));
        w.ok(|w| w.propose_role(Role::SlashAuthority, new_slasher.pubkey()));
        w.ok(|w| w.propose_role(Role::Treasury, new_treasury.pubkey()));
        w.ok(|w| w.accept_role(&new_slasher, Role::SlashAuthority));
        w.ok(|w| w.accept_role(&new_treasury, Role::Treasury));
        // the stakers who start leaving at the announcement
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, leaving, seq));
        w.ok(|w| w.unstake(unstaking));
        // the slash authority in force holds the owner as late and as long as it can
        w.warp_to(announced + 14 * DAY - 1);
        w.ok(|w| w.hold(unstaking, announced + 21 * DAY - 1));
        w.warp_to(announced + 21 * DAY - 1);
        let owner2_before = w.token_balance(&w.owner2.token);
        w.ok(|w| w.withdraw_ticket(unstaking));
        assert_eq!(w.token_balance(&w.owner2.token), owner2_before + MIN);
        w.warp_to(announced + 21 * DAY);
        let c_before = w.token_balance(&c.token);
        w.ok(|w| w.withdraw_position(leaving, seq));
        assert_eq!(w.token_balance(&c.token), c_before + HALF);

        // one second before the change: the old cap, the old slash authority, the old treasury
        assert_eq!(w.now(), change_at - 1);
        w.refused("NotSlashAuthority", |w| slash_as(w, &new_slasher, old_treasury, before_change, MIN, w.now()));
        w.refused("NotTreasuryAccount", |w| slash_as(w, &old_slasher, new_treasury.pubkey(), before_change, MIN, w.now()));
        let treasury_before = w.token_balance(&w.treasury_token);
        let ok = w.ok(|w| slash_as(w, &old_slasher, old_treasury, before_change, MIN, w.now()));
        assert_eq!(one::<Slashed>(&ok).total, HALF, "50% until the change applies");
        assert_eq!(w.token_balance(&w.treasury_token), treasury_before + HALF);

        // at the change: all of it at once, by the new keys only
        w.warp_to(change_at);
        assert_eq!(w.params(), loose);
        w.refused("NotSlashAuthority", |w| slash_as(w, &old_slasher, old_treasury, at_change, MIN, w.now()));
        w.refused("NotTreasuryAccount", |w| slash_as(w, &new_slasher, old_treasury, at_change, MIN, w.now()));
        let new_treasury_token = ix::associated_token(&new_treasury.pubkey(), &w.mint);
        assert!(w.svm.get_account(&new_treasury_token).is_none());
        let ok = w.ok(|w| slash_as(w, &new_slasher, new_treasury.pubkey(), at_change, MIN, w.now()));
        assert_eq!(one::<Slashed>(&ok).total, MIN);
        assert_eq!(w.token_balance(&new_treasury_token), MIN, "the new treasury's token account, created by the slash");

        // no role delay of the admin's own still leaves R34's floor: the next grant waits as long
        let next = w.funded_keypair();
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::Oracle, next.pubkey()));
        w.ok(|w| w.accept_role(&next, Role::Oracle));
        assert_eq!(w.config().oracle.effective_at, proposed + 21 * DAY + 1);
    });
}

/// Finding 3 (R31, R34): a proposed key that never accepts never takes over, and one accepting
/// after R34's time takes over at its acceptance.
#[test]
fn finding3_r31_a_new_key_takes_over_only_once_it_accepts() {
    for_each_world(|w| {
        let device = w.staked_device();
        let (old_slasher, old_treasury) = (w.roles.slash_authority.insecure_clone(), w.roles.treasury.pubkey());
        let new_treasury = w.funded_keypair();
        let announced = w.now();
        w.ok(|w| w.propose_role(Role::Treasury, new_treasury.pubkey()));
        w.warp_to(announced + 40 * DAY);
        w.refused("NotTreasuryAccount", |w| slash_as(w, &old_slasher, new_treasury.pubkey(), device, IO, w.now()));
        w.ok(|w| w.accept_role(&new_treasury, Role::Treasury));
        w.refused("NotTreasuryAccount", |w| slash_as(w, &old_slasher, old_treasury, device, IO, w.now()));
        w.ok(|w| slash_as(w, &old_slasher, new_treasury.pubkey(), device, IO, w.now()));
        assert_eq!(w.token_balance(&ix::associated_token(&new_treasury.pubkey(), &w.mint)), IO);
    });
}

/// Finding 3 (R34): revocations are immediate: a revoked slash authority can neither slash nor
/// hold, its running hold ends at once, and a pending grant of the role is cancelled; a hired mark
/// set by a revoked oracle no longer blocks the owner's unstake.
#[test]
fn finding3_r34_revocation_is_immediate() {
    for_each_world(|w| {
        let held = w.staked_device();
        let hired = w.staked_device();
        let next = w.funded_keypair();
        w.ok(|w| w.propose_role(Role::SlashAuthority, next.pubkey()));
        w.ok(|w| w.accept_role(&next, Role::SlashAuthority));
        w.ok(|w| w.set_hired(hired, w.now() + 20 * DAY));
        let unstaked = w.now();
        w.ok(|w| w.unstake(held));
        w.warp_to(unstaked + 13 * DAY);
        w.ok(|w| w.hold(held, unstaked + 20 * DAY));
        w.warp_to(unstaked + 14 * DAY);
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(held));
        w.refused("DeviceHired", |w| w.unstake(hired));

        w.ok(|w| w.revoke_role(Role::SlashAuthority));
        w.ok(|w| w.withdraw_ticket(held));
        w.refused("NotSlashAuthority", |w| w.slash(hired, IO, w.now()));
        w.refused("NotSlashAuthority", |w| w.hold(hired, w.now() + DAY));
        w.ok(|w| w.revoke_role(Role::Oracle));
        w.ok(|w| w.unstake(hired));
        // the grant pending at the revocation never takes over
        w.warp_to(unstaked + 60 * DAY);
        let treasury = w.roles.treasury.pubkey();
        w.refused("NotSlashAuthority", |w| slash_as(w, &next, treasury, hired, IO, w.now()));
    });
}

// ---- finding 4 ----

/// Finding 4 (R40, G1): a slash during a hold takes the owner first, up to the owner's cap
/// (here the ticket created after the incident), and the rest pro rata on the positions that
/// counted at the incident, each within its own cap: no co-staker loses more than
/// max_slash_bps_per_30d (50%) of their principal in 30 days.
#[test]
fn finding4_r40_owner_first_then_positions_pro_rata_each_within_its_cap() {
    for_each_world(|w| {
        let device = w.staked_device();
        let (c0, c1) = (w.costaker(0), w.costaker(1));
        let first = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.fill(&c0, device, first));
        w.ok(|w| w.cancel(&c0, device, first));
        let second = w.offer_ok(device, 4_000 * IO, SHARE);
        w.ok(|w| w.fill(&c1, device, second));
        w.advance(60);
        let incident = w.now();
        w.ok(|w| w.hold(device, incident + 7 * DAY));
        w.advance(1);
        w.ok(|w| w.unstake(device));
        w.advance(1);

        let treasury = w.token_balance(&w.treasury_token);
        let ok = w.ok(|w| w.slash(device, 11_000 * IO, incident));
        let s: Slashed = one(&ok);
        assert_eq!(
            (s.from_owner_stake, s.from_ticket, s.total),
            (0, HALF, 11_000 * IO),
            "the owner's cap first, from the ticket"
        );
        let parts: Vec<(u64, u64)> = s.from_positions.iter().map(|p| (p.seq, p.amount)).collect();
        assert_eq!(parts, [(first, 2_000 * IO), (second, 1_000 * IO)], "the rest pro rata to 8,000 and 4,000");
        let ok = w.ok(|w| w.slash(device, 100_000 * IO, incident));
        let s: Slashed = one(&ok);
        let parts: Vec<(u64, u64)> = s.from_positions.iter().map(|p| (p.seq, p.amount)).collect();
        assert_eq!((s.from_ticket, parts), (0, vec![(first, 2_000 * IO), (second, 1_000 * IO)]), "each up to its own cap");
        w.refused("NothingToSlash", |w| w.slash(device, 1, incident));
        assert_eq!(w.token_balance(&w.treasury_token), treasury + 14_000 * IO);

        // each staker lost exactly half of their principal
        let unlock = w.device(&device).ticket_unlock_at;
        w.warp_to(unlock);
        let (c0_before, c1_before, owner_before) =
            (w.token_balance(&c0.token), w.token_balance(&c1.token), w.token_balance(&w.owner.token));
        w.ok(|w| w.withdraw_position(device, first));
        w.ok(|w| w.withdraw_position(device, second));
        w.ok(|w| w.withdraw_ticket(device));
        assert_eq!(w.token_balance(&c0.token), c0_before + HALF / 2);
        assert_eq!(w.token_balance(&c1.token), c1_before + 2_000 * IO);
        assert_eq!(w.token_balance(&w.owner.token), owner_before + HALF);
    });
}

/// Finding 4 (R40): a position whose wait ended before the incident, and a ripe position, are not
/// slashable; a ripe ticket is not slashable unless a hold keeps it (then it is, as the owner's).
#[test]
fn finding4_r40_ripe_and_departed_positions_are_safe_a_held_ticket_is_not() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        let (held, free) = (w.staked_device(), w.staked_device());
        w.advance(10);
        w.ok(|w| w.unstake(held));
        w.ok(|w| w.unstake(free));
        let unstaked = w.now();
        let incident = unstaked - 5;

        // an incident at the second the position's wait ended: the owner only
        w.warp_to(cancelled + 7 * DAY + 1);
        let ok = w.ok(|w| w.slash(device, 100_000 * IO, cancelled + 7 * DAY));
        let s: Slashed = one(&ok);
        assert_eq!((s.from_owner_stake, s.from_positions.len()), (HALF, 0));

        // tickets created after an incident: ripe and free is safe, ripe and held is not
        w.warp_to(unstaked + 14 * DAY - 1);
        w.ok(|w| w.hold(held, unstaked + 21 * DAY - 1));
        w.warp_to(unstaked + 14 * DAY + 10);
        w.refused("NothingToSlash", |w| w.slash(free, IO, incident));
        let ok = w.ok(|w| w.slash(held, 100_000 * IO, incident));
        assert_eq!(one::<Slashed>(&ok).from_ticket, HALF);
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(held));
        let owner = w.token_balance(&w.owner.token);
        w.ok(|w| w.withdraw_ticket(free));

        // one second before the position is ripe it answers for an incident it counted in
        w.warp_to(cancelled + 21 * DAY - 1);
        let ok = w.ok(|w| w.slash(device, IO, cancelled + DAY));
        let s: Slashed = one(&ok);
        assert_eq!((s.from_owner_stake, s.from_positions[0].seq, s.from_positions[0].amount), (0, seq, IO));
        w.warp_to(cancelled + 21 * DAY);
        w.refused("NothingToSlash", |w| w.slash(device, IO, cancelled + DAY));
        let before = w.token_balance(&c.token);
        w.ok(|w| w.withdraw_position(device, seq));
        assert_eq!(w.token_balance(&c.token), before + HALF - IO);

        w.warp_to(unstaked + 21 * DAY - 1);
        w.ok(|w| w.withdraw_ticket(held));
        assert_eq!(w.token_balance(&w.owner.token), owner + MIN + HALF);
    });
}

// ---- finding 5 ----

/// Finding 5 (R15, G2): after the cooldown is shortened, the owner's unstake re-caps every
/// position in the table, one cooling down past its wait included: no co-staker unlocks later
/// than the owner's ticket.
#[test]
fn finding5_r15_after_a_cooldown_change_no_co_staker_unlocks_later_than_the_owner() {
    for_each_world(|w| {
        let (device, first) = w.costaked_device();
        let (c0, c1) = (w.costaker(0), w.costaker(1));
        let announced = w.now();
        w.ok(|w| w.update_params(Params { cooldown_secs: 7 * DAY, ..Params::defaults(6).unwrap() }));
        // cancelled under the 14-day cooldown: unlock 7 + 14 days later
        let cancelled = announced + 21 * DAY;
        w.warp_to(cancelled);
        w.ok(|w| w.cancel(&c0, device, first));
        let second = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.fill(&c1, device, second));
        // the owner unstakes under the 7-day cooldown once the first position cools down
        let unstaked = cancelled + 7 * DAY;
        w.warp_to(unstaked);
        assert_eq!(w.params().cooldown_secs, 7 * DAY);
        let ok = w.ok(|w| w.unstake(device));
        let u: Unstaked = one(&ok);
        assert_eq!((u.unlock_at, u.stopped_seq, u.positions_recapped), (unstaked + 7 * DAY, Some(second), 2));
        for seq in [first, second] {
            assert_eq!(w.status(device).positions.iter().find(|p| p.seq == seq).unwrap().unlock_at, unstaked + 7 * DAY);
        }
        w.warp_to(unstaked + 7 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_position(device, first));
        w.refused("StillLocked", |w| w.withdraw_position(device, second));
        w.refused("StillLocked", |w| w.withdraw_ticket(device));
        w.warp_to(unstaked + 7 * DAY);
        let (b0, b1) = (w.token_balance(&c0.token), w.token_balance(&c1.token));
        w.ok(|w| w.withdraw_position(device, first));
        w.ok(|w| w.withdraw_position(device, second));
        w.ok(|w| w.withdraw_ticket(device));
        assert_eq!((w.token_balance(&c0.token), w.token_balance(&c1.token)), (b0 + HALF, b1 + HALF));
    });
}

// ---- finding 6 ----

/// Finding 6 (R3, R8, R20): closing a device and registering its id again keeps the last paid
/// block and the sequence counters: the block already paid is skipped (nothing moves), a block
/// from before the revival is skipped, and offer and ticket numbers continue.
#[test]
fn finding6_r3_r8_a_revived_device_keeps_its_paid_blocks_and_counters() {
    for_each_world(|w| {
        let owner = w.owner.clone();
        let id = w.new_device_id();
        w.ok(|w| w.try_register(&owner, id, GPUS, MULTIPLIER));
        let device = pda::device(&id).0;
        w.ok(|w| w.stake(device, MIN));
        let seq = w.offer_ok(device, HALF, SHARE);
        let c = w.costaker(0);
        w.ok(|w| w.fill(&c, device, seq));
        let filled = w.now();
        w.advance(DAY);
        w.ok(|w| w.reward(1, filled, filled + DAY, &[(device, 1_000)]));
        w.ok(|w| w.unstake(device));
        w.advance(14 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
        w.ok(|w| w.withdraw_ticket(device));
        w.ok(|w| w.withdraw_overflow(device, 260));
        w.ok(|w| w.close_device(device));
        let t = w.tombstone(&device);
        assert_eq!((t.next_offer_seq, t.next_ticket_seq, t.last_paid_end), (1, 1, filled + DAY));

        let owner2 = w.owner2.clone();
        let ok = w.ok(|w| w.try_register(&owner2, id, GPUS, MULTIPLIER));
        assert!(one::<DeviceRegistered>(&ok).revived);
        let revived = w.now();
        w.ok(|w| w.stake(device, MIN));
        w.advance(60);
        let source = w.token_balance(&w.reward_source);
        let ok = w.ok(|w| w.reward(1, filled, filled + DAY, &[(device, 1_000)]));
        assert_eq!(one::<RewardSkipped>(&ok).reason, skip::ALREADY_PAID);
        let ok = w.ok(|w| w.reward(2, filled + DAY, revived, &[(device, 1_000)]));
        assert_eq!(one::<RewardSkipped>(&ok).reason, skip::NOT_REGISTERED);
        assert_eq!(w.token_balance(&w.reward_source), source, "nothing paid twice, nothing before the revival");
        let ok = w.ok(|w| w.reward(3, revived, w.now(), &[(device, 1_000)]));
        assert_eq!(one::<RewardPaid>(&ok).owner_part, 1_000);
        assert_eq!(w.device(&device).owner_rewards, 1_000);

        assert_eq!(w.offer_ok(device, HALF, SHARE), 1, "offer numbers continue");
        w.ok(|w| w.retract(device, 1));
        w.ok(|w| w.unstake(device));
        assert_eq!(w.device(&device).ticket_seq, 1, "ticket numbers continue");
        assert!(w.is_program_account(&pda::ticket(&device, 1).0));
    });
}

// ---- further cases of the review ----

/// R20: a batch built before stakers acted still lands: a co-staker's cancel, an owner's unstake
/// and a device's close between the building and the landing skip nothing they should not and
/// fail nothing; the other devices are paid.
#[test]
fn r20_a_batch_built_before_stakers_acted_lands_and_pays_the_others() {
    for_each_world(|w| {
        let (cancelled, seq) = w.costaked_device();
        let unstaked = w.staked_device();
        let closed = w.register(1, 10_000);
        let untouched = w.staked_device();
        let start = w.now();
        w.advance(DAY);
        let pay = [(cancelled, 1_000), (unstaked, 2_000), (closed, 3_000), (untouched, 4_000)];
        let targets: Vec<_> = pay.iter().map(|&(d, a)| w.target(d, a)).collect();
        let authority = w.roles.reward_authority.insecure_clone();
        let batch = ix::distribute_rewards(authority.pubkey(), w.reward_source, 7, start, start + DAY, &targets, &w.mint);

        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, cancelled, seq));
        w.ok(|w| w.unstake(unstaked));
        w.ok(|w| w.close_device(closed));
        let source = w.token_balance(&w.reward_source);
        let ok = w.ok(|w| w.send_by(batch, &authority));
        let paid: Vec<RewardPaid> = events(&ok);
        let got: Vec<(Pubkey, u64, u64)> = paid.iter().map(|p| (p.device, p.owner_part, p.position_part)).collect();
        assert_eq!(got, [(cancelled, 260, 740), (unstaked, 2_000, 0), (untouched, 4_000, 0)]);
        let skipped: RewardSkipped = one(&ok);
        assert_eq!((skipped.device, skipped.reason), (closed, skip::CLOSED));
        assert_eq!(w.token_balance(&w.reward_source), source - 7_000);
    });
}

/// R16: a frozen or missing token account of a staker blocks no exit: the co-staker signs and
/// names another account of theirs, or anyone releases the position into its escrow (freeing
/// the slot so that the device closes) and the co-staker empties it later; the owner signs for
/// the ticket; a missing associated account is created by whoever withdraws.
#[test]
fn r16_a_frozen_or_missing_token_account_blocks_no_exit_slot_or_close() {
    for_each_world(|w| {
        let (signed, seq_s) = w.costaked_device();
        let released = w.staked_device();
        let seq_r = w.offer_ok(released, HALF, SHARE);
        let missing = w.staked_device();
        let seq_m = w.offer_ok(missing, HALF, SHARE);
        let (c0, c1, c2) = (w.costaker(0), w.costaker(1), w.costaker(2));
        w.ok(|w| w.fill(&c1, released, seq_r));
        w.ok(|w| w.fill(&c2, missing, seq_m));
        for (device, seq, c) in [(signed, seq_s, &c0), (released, seq_r, &c1), (missing, seq_m, &c2)] {
            w.ok(|w| w.cancel(c, device, seq));
        }
        w.ok(|w| w.unstake(released));
        w.advance(21 * DAY);
        let (c0_token, c1_token, owner_token) = (c0.token, c1.token, w.owner.token);
        freeze(w, &c0_token);
        freeze(w, &c1_token);
        freeze(w, &owner_token);
        let mint = w.mint.mint;

        // the co-staker signs and names another account of theirs
        let anyone = w.anyone.insecure_clone();
        let ix = ix::withdraw_position(anyone.pubkey(), signed, seq_s, c0.pubkey(), w.owner.pubkey(), c0_token, &w.mint);
        refused_by_token_program(w, "Account is frozen", ix, &anyone);
        let other0 = w.create_token_account(&c0.pubkey(), &mint);
        w.ok(|w| w.withdraw_position_by(&c0.key, signed, seq_s, Some(other0)));
        assert_eq!(w.token_balance(&other0), HALF);

        // anyone releases; the owner signs for the ticket; the device closes; the escrow waits
        w.ok(|w| w.release(released, seq_r));
        let owner_key = w.owner.key.insecure_clone();
        let owner = w.owner.pubkey();
        let other_owner = w.create_token_account(&owner, &mint);
        w.ok(|w| w.withdraw_ticket_by(&owner_key, released, Some(other_owner)));
        assert_eq!(w.token_balance(&other_owner), MIN);
        w.ok(|w| w.close_device(released));
        let other1 = w.create_token_account(&c1.pubkey(), &mint);
        w.ok(|w| w.withdraw_escrow_to(&c1, released, seq_r, other1));
        assert_eq!(w.token_balance(&other1), HALF);

        // a missing associated token account is created by whoever withdraws
        let kept = close_ata(w, &c2);
        w.ok(|w| w.withdraw_position(missing, seq_m));
        assert_eq!(w.token_balance(&c2.token), HALF);
        assert!(w.token_balance(&kept) > 0);
    });
}

/// R6: stake into a terminated device is refused, whatever its state.
#[test]
fn r6_stake_into_a_terminated_device_is_refused() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.terminate(device));
        w.refused("DeviceTerminated", |w| w.stake(device, IO));
        w.ok(|w| w.set_paused(true));
        w.refused("DeviceTerminated", |w| w.stake(device, IO));
    });
}

/// R40: a slash pays the treasury's associated token account, created (at the slash
/// authority's cost) when the treasury has none.
#[test]
fn r40_a_slash_creates_the_treasurys_missing_token_account() {
    for_each_world(|w| {
        let device = w.staked_device();
        let treasury = w.roles.treasury.insecure_clone();
        let close = spl_token_2022::instruction::close_account(
            &SPL_TOKEN,
            &w.treasury_token,
            &treasury.pubkey(),
            &treasury.pubkey(),
            &[],
        )
        .unwrap();
        assert_ok(&w.send_by(close, &treasury));
        assert!(w.svm.get_account(&w.treasury_token).is_none_or(|a| a.data.is_empty()));
        let slasher = w.roles.slash_authority.pubkey();
        let lamports = w.account(&slasher).lamports;
        w.ok(|w| w.slash(device, IO, w.now()));
        assert_eq!(w.token_balance(&w.treasury_token), IO);
        assert!(w.account(&slasher).lamports < lamports, "the slash authority paid the account's rent");
    });
}

/// R18: a co-staker closes a profile that counts no positions and gets its rent back; a later
/// fill creates it again.
#[test]
fn r18_close_profile_returns_the_rent_and_a_later_fill_recreates_it() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let profile = pda::costaker(&c.pubkey()).0;
        w.refused("ProfileHasPositions", |w| w.close_profile(&c));
        w.ok(|w| w.cancel(&c, device, seq));
        let (lamports, rent) = (w.account(&c.pubkey()).lamports, w.account(&profile).lamports);
        w.ok(|w| w.close_profile(&c));
        assert_eq!(w.account(&c.pubkey()).lamports, lamports + rent);
        assert!(w.profile(&c.pubkey()).is_none());
        let next = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.fill(&c, device, next));
        assert_eq!(w.profile(&c.pubkey()).map(|p| (p.active_positions, p.payer)), Some((1, c.pubkey())));
    });
}

/// R19: transfer_device / accept_device move the owner, the owner stake and unclaimed rewards
/// to the new wallet without an unstake; the co-staker's position keeps earning; the previous
/// owner has no power left.
#[test]
fn r19_a_transfer_moves_the_owner_without_unstaking() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let filled = w.now();
        w.advance(DAY);
        w.ok(|w| w.reward(1, filled, w.now(), &[(device, 1_000)]));
        let new = w.owner2.clone();
        w.ok(|w| w.transfer_device(device, new.pubkey()));
        w.ok(|w| w.accept_device(&new, device));
        let d = w.device(&device);
        assert_eq!(
            (d.owner, d.payer, d.owner_stake, d.owner_rewards, d.is_unstaking()),
            (new.pubkey(), new.pubkey(), MIN, 260, false)
        );
        assert!(w.eligible(&device));
        let old = w.owner.clone();
        w.refused("NotDeviceOwner", |w| {
            w.send_by(ix::withdraw_overflow(old.pubkey(), device, old.token, 260, &w.mint), &old.key)
        });
        let block = w.now();
        w.advance(DAY);
        w.ok(|w| w.reward(2, block, w.now(), &[(device, 1_000)]));
        assert_eq!(w.device(&device).position(seq).unwrap().rewards, 1_480, "the position keeps its terms and earns");
        let before = w.token_balance(&new.token);
        w.ok(|w| w.withdraw_overflow(device, 520));
        assert_eq!(w.token_balance(&new.token), before + 520);
        let unstaked = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(unstaked + 14 * DAY);
        w.ok(|w| w.withdraw_ticket(device));
        assert_eq!(w.token_balance(&new.token), before + 520 + MIN);
    });
}
