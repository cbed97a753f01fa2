//! A randomized run (fixed seed): two owners with two devices each and three co-stakers take
//! random valid and invalid actions with random time jumps. After every step every device's R52
//! invariants hold, a refused action changed no account, and the tokens of all wallets, vaults,
//! the treasury and the reward source add up to what was minted.
use device_staking_tests::client::device_staking::state::OfferState;
use device_staking_tests::world::*;
use device_staking_tests::*;
use anchor_lang::prelude::Pubkey;
use std::collections::BTreeMap;
use std::time::Instant;

/// Operations per binary.
const OPERATIONS: usize = 300;

/// xorshift64*, enough for choosing actions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-ish in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }

    /// An amount of up to `max_tokens` whole tokens, sometimes zero or a few base units.
    fn amount(&mut self, max_tokens: u64) -> u64 {
        match self.below(10) {
            0 => 0,
            1 => self.below(1_000),
            _ => self.below(max_tokens) * IO,
        }
    }
}

/// Runs one random action; returns its name and result.
fn act(w: &mut World, rng: &mut Rng, block_id: &mut u64) -> (&'static str, TxResult) {
    let action = rng.below(19);
    // fills, cancels and withdrawals mostly go to a device where they can succeed
    let fits = |w: &World, d: &Pubkey| {
        let device = w.device(d);
        match action {
            4 | 5 | 17 | 18 => device.open_offer.is_some(),
            6 => device.filled.is_some(),
            8 => device.unstaking,
            9 => w.live_offers(d).iter().any(|o| matches!(o.state, OfferState::Exiting | OfferState::Cooling)),
            _ => true,
        }
    };
    let candidates: Vec<Pubkey> = w.devices.iter().filter(|d| fits(w, d)).copied().collect();
    let device = if candidates.is_empty() || rng.below(5) == 0 { rng.pick(&w.devices) } else { rng.pick(&candidates) };
    let costaker = w.costaker(rng.below(3) as usize);
    let d = w.device(&device);
    let offers = w.live_offers(&device);
    let any_seq = offers.iter().map(|o| o.seq).chain([d.next_offer_seq]).collect::<Vec<_>>();
    match action {
        0 | 1 => ("stake", w.stake(device, rng.amount(12_000))),
        2 | 15 | 16 => {
            let share = rng.pick(&[0u16, 1, 5_000, 7_400, 10_000, 10_001]);
            // mostly an amount the rules allow: owner_stake + amount >= min, amount <= owner_stake
            let low = d.min_required.saturating_sub(d.owner_stake).max(1);
            let amount = if rng.below(4) > 0 && low <= d.owner_stake {
                low + rng.below(d.owner_stake - low + 1)
            } else {
                rng.amount(9_000)
            };
            ("create_offer", w.create_offer(device, amount, share).0)
        }
        3 => ("retract_offer", w.retract(device, rng.pick(&any_seq))),
        4 | 5 | 17 | 18 => match offers.iter().find(|o| o.state == OfferState::Open) {
            Some(o) if rng.below(5) > 0 => ("fill_offer", w.fill(&costaker, device, o.seq)),
            Some(o) => ("fill_offer", w.fill_terms(&costaker, device, o.seq, o.amount + 1, o.reward_share_bps)),
            None => ("fill_offer", w.fill_terms(&costaker, device, d.next_offer_seq, IO, 5_000)),
        },
        6 => {
            let seq = d.filled.filter(|_| rng.below(4) > 0).map_or_else(|| rng.pick(&any_seq), |f| f.seq);
            let who = d.filled.filter(|_| rng.below(4) > 0).map_or(costaker, |f| w.wallet(&f.costaker));
            ("cancel_costake", w.cancel(&who, device, seq))
        }
        7 => ("unstake", w.unstake(device)),
        8 => ("withdraw_ticket", w.withdraw_ticket(device, d.next_ticket_seq.saturating_sub(1))),
        9 => match offers.iter().map(|o| o.seq).collect::<Vec<_>>() {
            seqs if seqs.is_empty() => ("withdraw_overflow", w.withdraw_overflow(device, rng.amount(100))),
            seqs => ("withdraw_position", w.withdraw_position(device, rng.pick(&seqs))),
        },
        10 => {
            let overflow = d.owner_overflow(5_000, w.now());
            let amount = match rng.below(3) {
                0 => overflow,
                1 => overflow + 1,
                _ => rng.amount(5_000),
            };
            ("withdraw_overflow", w.withdraw_overflow(device, amount))
        }
        11 => {
            let owner = offers.iter().find(|o| o.state != OfferState::Open).map_or(costaker, |o| w.wallet(&o.costaker));
            ("claim_rewards", w.claim(&owner, device, rng.pick(&any_seq)))
        }
        12 => {
            *block_id += rng.below(3); // sometimes the same block again
            let mut devices = w.devices.clone();
            devices.truncate(1 + rng.below(4) as usize);
            let pay: Vec<_> = devices.iter().map(|d| (*d, rng.amount(50))).collect();
            let now = w.now();
            ("distribute_rewards", w.reward(*block_id, now - rng.below(3) as i64 * DAY, now, &pay))
        }
        13 => match rng.below(4) {
            0 => ("slash", w.slash(device, rng.amount(4_000))),
            1 => ("hold", w.hold(device, w.now() + rng.below(9) as i64 * DAY)),
            _ => ("set_hired", w.set_hired(device, rng.below(3) == 0)),
        },
        _ => {
            let secs = rng.pick(&[1i64, 3_600, DAY, 7 * DAY, 14 * DAY]) + rng.below(2 * DAY as u64) as i64;
            w.advance(secs);
            ("advance", Ok(TxOk { compute_units: 0, logs: vec![], return_data: vec![] }))
        }
    }
}

/// Rules: R52 R53.
#[test]
fn random_actions_keep_the_invariants_and_conserve_tokens() {
    for binary in Binary::ALL {
        let started = Instant::now();
        let mut w = World::new(binary, None);
        let (owner, owner2) = (w.owner.clone(), w.owner2.clone());
        for (who, gpus, multiplier) in [(&owner, 8, 100_000), (&owner, 2, 2_500), (&owner2, 4, 10_000), (&owner2, 1, 30_000)] {
            w.register_for(who, gpus, multiplier);
        }
        let total = w.total_tokens();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut block_id = 0;
        let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
        for step in 0..OPERATIONS {
            let watched = w.all_accounts();
            let before = w.snapshot(&watched);
            let (name, result) = act(&mut w, &mut rng, &mut block_id);
            let outcome = match &result {
                Ok(_) => format!("{name} ok"),
                Err(fail) => {
                    assert!(w.snapshot(&watched) == before, "step {step}: refused {name} changed an account");
                    format!("{name} {}", fail.error_name.as_deref().unwrap_or("(unnamed)"))
                }
            };
            *outcomes.entry(outcome).or_default() += 1;
            w.check_all();
            assert_eq!(w.total_tokens(), total, "step {step}: {name} did not conserve tokens");
        }
        println!("property {}: {OPERATIONS} operations in {:.2?}", binary.label(), started.elapsed());
        for (outcome, count) in &outcomes {
            println!("  {count:4} {outcome}");
        }
        let succeeded: usize = outcomes.iter().filter(|(k, _)| k.ends_with(" ok") && !k.starts_with("advance")).map(|(_, v)| v).sum();
        assert!(succeeded > OPERATIONS / 5, "too few successful actions: {outcomes:?}");
    }
}
