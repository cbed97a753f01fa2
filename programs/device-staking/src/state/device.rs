//! A device and its owner's stake: minimum, counted stake, eligibility, overflow (R1-R15).
use super::math::*;
use crate::constants::*;
use crate::error::StakingError;
use anchor_lang::prelude::*;

/// Why a device is not eligible (bit flags, R5, R54).
pub mod ineligible {
    /// The device is terminated (R7).
    pub const TERMINATED: u8 = 1;
    /// The owner is unstaking (R15).
    pub const UNSTAKING: u8 = 2;
    /// Nothing is staked (R5).
    pub const NO_STAKE: u8 = 4;
    /// Counted stake is below the minimum in force (R5).
    pub const BELOW_MINIMUM: u8 = 8;
}

/// The device's filled co-stake position, mirrored from its offer account so that counted
/// stake and the reward split need no other account.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct FilledPosition {
    /// The offer's sequence number.
    pub seq: u64,
    /// The co-staker's wallet.
    pub costaker: Pubkey,
    /// Principal after slashing.
    pub principal: u64,
    /// The co-staker's share of block rewards, in basis points (frozen at fill).
    pub reward_share_bps: u16,
    /// When it was filled (unix seconds).
    pub filled_at: i64,
}

/// A cancelled position whose principal still counts until its wait ends (R4, R13).
/// An empty slot has `wait_end == 0`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct ExitingPosition {
    /// The offer's sequence number.
    pub seq: u64,
    /// Principal after slashing.
    pub principal: u64,
    /// When it stops counting (unix seconds); 0 for an empty slot.
    pub wait_end: i64,
}

impl ExitingPosition {
    /// Whether this slot's principal still counts at `now`.
    pub fn counts_at(&self, now: i64) -> bool {
        self.wait_end != 0 && now < self.wait_end
    }
}

/// A device PDA `["device", device_id]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Device {
    /// The device's 32-byte id (from the network's backend).
    pub device_id: [u8; 32],
    /// The owner's wallet.
    pub owner: Pubkey,
    /// Who paid the rent of the device and its vaults.
    pub payer: Pubkey,
    /// The device PDA's bump.
    pub bump: u8,
    /// The stake vault (principal): token account `["stake_vault", device]` owned by the device PDA.
    pub stake_vault: Pubkey,
    /// The overflow vault (rewards): token account `["overflow_vault", device]` owned by the device PDA.
    pub overflow_vault: Pubkey,
    /// GPUs attested by the oracle.
    pub gpu_count: u16,
    /// Earning multiplier attested by the oracle, in basis points (10,000 = 1x).
    pub multiplier_bps: u32,
    /// The minimum stake from the latest hardware and base (R1).
    pub min_required: u64,
    /// The previous minimum, in force until `grace_end` (R2).
    pub grace_min: u64,
    /// End of the R2 grace (unix seconds); 0 when none ever ran.
    pub grace_end: i64,
    /// The owner's principal in the stake vault (after slashing).
    pub owner_stake: u64,
    /// The owner's unclaimed rewards in the overflow vault.
    pub owner_rewards: u64,
    /// Whether the device is hired (rented in a cluster); blocks unstake (R15).
    pub hired: bool,
    /// Whether the device is terminated (final, R7).
    pub terminated: bool,
    /// Whether the owner's unstake ticket is outstanding (R15).
    pub unstaking: bool,
    /// The open offer's sequence number, if any (R9).
    pub open_offer: Option<u64>,
    /// The filled position, if any (R11).
    pub filled: Option<FilledPosition>,
    /// Cancelled positions still in their wait (R13).
    pub exiting: [ExitingPosition; MAX_EXITING_POSITIONS],
    /// Principal of every unwithdrawn position (filled, exiting, cooling), after slashing.
    pub positions_principal: u64,
    /// Unclaimed rewards of every unwithdrawn position.
    pub positions_rewards: u64,
    /// Principal of the owner's unwithdrawn ticket.
    pub ticket_principal: u64,
    /// Offer accounts not yet closed (open, filled, exiting or cooling).
    pub live_offers: u32,
    /// The next offer's sequence number (never reused).
    pub next_offer_seq: u64,
    /// The next ticket's sequence number (never reused).
    pub next_ticket_seq: u64,
    /// The highest block id paid (or skipped) for this device (R20).
    pub last_block_id: u64,
    /// Whether any block was recorded yet.
    pub has_block: bool,
    /// Principal overflow and ticket withdrawals fail until then (R41).
    pub hold_until: i64,
    /// First hold of the running incident; holds never reach past it + 7 days.
    pub hold_incident_start: i64,
    /// The slashes of the last 30 days (R40); when every slot is taken, the two oldest merge.
    pub recent_slashes: [SlashRecord; SLASH_RECORDS],
    /// Room for later versions.
    pub reserved: [u8; RESERVED_BYTES],
}

/// Slashes remembered per device for the 30-day cap (R40).
pub const SLASH_RECORDS: usize = 4;

/// One slash, remembered for 30 days (R40).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct SlashRecord {
    /// When it happened (unix seconds); 0 for a free slot.
    pub at: i64,
    /// Tokens it took, in base units.
    pub amount: u64,
}

impl SlashRecord {
    /// Whether this slash counts toward the cap at `now`: it happened in the 30 days up to `now`.
    pub fn counts_at(&self, now: i64) -> bool {
        self.at != 0 && now - self.at < SLASH_WINDOW_SECS
    }
}

impl Device {
    /// A newly registered device (R3): no stake, no offers, nothing slashed.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        device_id: [u8; 32],
        owner: Pubkey,
        bump: u8,
        stake_vault: Pubkey,
        overflow_vault: Pubkey,
        gpu_count: u16,
        multiplier_bps: u32,
        min_required: u64,
    ) -> Self {
        Self {
            device_id,
            owner,
            payer: owner,
            bump,
            stake_vault,
            overflow_vault,
            gpu_count,
            multiplier_bps,
            min_required,
            grace_min: 0,
            grace_end: 0,
            owner_stake: 0,
            owner_rewards: 0,
            hired: false,
            terminated: false,
            unstaking: false,
            open_offer: None,
            filled: None,
            exiting: [ExitingPosition::default(); MAX_EXITING_POSITIONS],
            positions_principal: 0,
            positions_rewards: 0,
            ticket_principal: 0,
            live_offers: 0,
            next_offer_seq: 0,
            next_ticket_seq: 0,
            last_block_id: 0,
            has_block: false,
            hold_until: 0,
            hold_incident_start: 0,
            recent_slashes: [SlashRecord::default(); SLASH_RECORDS],
            reserved: [0; RESERVED_BYTES],
        }
    }

    /// The seeds the device PDA signs with.
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        [DEVICE_SEED, &self.device_id, core::slice::from_ref(&self.bump)]
    }
}

/// R1: `ceil(gpu_count * base * max(10_000, multiplier_bps) / 10_000)`.
pub fn min_required(gpu_count: u16, multiplier_bps: u32, base_stake_per_gpu: u64) -> Result<u64> {
    require!(gpu_count >= 1 && multiplier_bps >= 1, StakingError::InvalidHardware);
    let exact = (gpu_count as u128) * (base_stake_per_gpu as u128) * (multiplier_bps as u128).max(BPS as u128);
    let total = exact.div_ceil(BPS as u128);
    u64::try_from(total).map_err(|_| error!(StakingError::MathOverflow))
}

/// Whether `costake` stays within `max_costake_bps` of `owner_stake + costake` (R9, R11, R12).
pub fn costake_within_cap(owner_stake: u64, costake: u64, max_costake_bps: u16) -> bool {
    let total = owner_stake as u128 + costake as u128;
    (costake as u128) * (BPS as u128) <= total * (max_costake_bps as u128)
}

impl Device {
    /// The minimum in force at `now`: the previous one during an R2 grace.
    pub fn min_in_force(&self, now: i64) -> u64 {
        if now < self.grace_end {
            self.grace_min.min(self.min_required)
        } else {
            self.min_required
        }
    }

    /// Principal of the filled position, or 0.
    pub fn filled_principal(&self) -> u64 {
        self.filled.map_or(0, |f| f.principal)
    }

    /// Principal of exiting positions still in their wait at `now` (R4).
    pub fn exiting_principal(&self, now: i64) -> u64 {
        self.exiting
            .iter()
            .filter(|e| e.counts_at(now))
            .fold(0u64, |acc, e| acc.saturating_add(e.principal))
    }

    /// R4: owner stake + filled principal + principal of exits still in their wait.
    pub fn counted_stake(&self, now: i64) -> u64 {
        self.owner_stake
            .saturating_add(self.filled_principal())
            .saturating_add(self.exiting_principal(now))
    }

    /// R5: the reasons the device is not eligible at `now` (0 when eligible).
    pub fn ineligibility(&self, now: i64) -> u8 {
        let mut why = 0;
        if self.terminated {
            why |= ineligible::TERMINATED;
        }
        if self.unstaking {
            why |= ineligible::UNSTAKING;
        }
        let counted = self.counted_stake(now);
        if counted == 0 {
            why |= ineligible::NO_STAKE;
        }
        if counted < self.min_in_force(now) {
            why |= ineligible::BELOW_MINIMUM;
        }
        why
    }

    /// R5: whether the device earns block rewards at `now`.
    pub fn is_eligible(&self, now: i64) -> bool {
        self.ineligibility(now) == 0
    }

    /// R12: principal the owner may take out now without breaking the minimum or the co-stake cap.
    pub fn owner_principal_overflow(&self, max_costake_bps: u16) -> u64 {
        let costake = self.filled_principal() as u128;
        let total = self.owner_stake as u128 + costake;
        let above_min = total.saturating_sub(self.min_required as u128);
        // co-stake must stay <= bps of (owner_stake + costake - x): x <= total - ceil(costake * BPS / bps)
        let needed_total = (costake * BPS as u128).div_ceil(max_costake_bps.max(1) as u128);
        let above_cap = total.saturating_sub(needed_total);
        above_min.min(above_cap).min(self.owner_stake as u128) as u64
    }

    /// R12: everything the owner may withdraw now: unclaimed rewards plus principal overflow
    /// (the latter is zero while the device is on hold, R41).
    pub fn owner_overflow(&self, max_costake_bps: u16, now: i64) -> u64 {
        let principal = if self.is_on_hold(now) { 0 } else { self.owner_principal_overflow(max_costake_bps) };
        self.owner_rewards.saturating_add(principal)
    }

    /// R12: splits a withdrawal of `amount` into (rewards, principal), rewards first.
    pub fn split_owner_withdrawal(&self, amount: u64, max_costake_bps: u16, now: i64) -> Result<(u64, u64)> {
        require!(amount > 0, StakingError::ZeroAmount);
        require!(amount <= self.owner_overflow(max_costake_bps, now), StakingError::ExceedsOverflow);
        let from_rewards = amount.min(self.owner_rewards);
        Ok((from_rewards, amount - from_rewards))
    }

    /// R41: whether principal withdrawals of the owner are held at `now`.
    pub fn is_on_hold(&self, now: i64) -> bool {
        now < self.hold_until
    }

    /// R2: applies a new minimum, starting a grace when it rises on a device that met the old one.
    /// A running grace is never extended.
    pub fn set_minimum(&mut self, new_min: u64, now: i64, cover_window_secs: i64) -> Result<()> {
        let grace_running = now < self.grace_end;
        if new_min > self.min_required && !grace_running && self.counted_stake(now) >= self.min_required {
            self.grace_min = self.min_required;
            self.grace_end = add_secs(now, cover_window_secs)?;
        }
        self.min_required = new_min;
        Ok(())
    }

    /// Fails unless the device may take new stake or offers: not terminated, not unstaking.
    pub fn require_active(&self) -> Result<()> {
        require!(!self.terminated, StakingError::DeviceTerminated);
        require!(!self.unstaking, StakingError::DeviceUnstaking);
        Ok(())
    }

    /// Index of an exiting slot that is free at `now` (empty, or its wait has ended).
    pub fn free_exiting_slot(&self, now: i64) -> Option<usize> {
        self.exiting.iter().position(|e| !e.counts_at(now))
    }

    /// R9: checks an offer of `amount` at `reward_share_bps` may be created at `now`.
    pub fn check_offer(&self, amount: u64, reward_share_bps: u16, max_costake_bps: u16, max_reward_share_bps: u16, now: i64) -> Result<()> {
        require!(amount > 0, StakingError::ZeroAmount);
        self.require_active()?;
        require!(self.open_offer.is_none(), StakingError::OpenOfferExists);
        require!(self.filled.is_none(), StakingError::PositionAlreadyFilled);
        require!(self.counted_stake(now) >= self.min_required, StakingError::BelowMinimum);
        require!(add(self.owner_stake, amount)? >= self.min_required, StakingError::BelowMinimum);
        require!(costake_within_cap(self.owner_stake, amount, max_costake_bps), StakingError::CostakeCapExceeded);
        require!(
            reward_share_bps > 0 && reward_share_bps <= max_reward_share_bps,
            StakingError::InvalidRewardShare
        );
        // the later cancel of this offer's position needs a slot (R13 never fails)
        require!(self.free_exiting_slot(now).is_some(), StakingError::TooManyExitingPositions);
        Ok(())
    }

    /// R11: checks the device side of a fill of `amount` at `now`.
    pub fn check_fill(&self, amount: u64, max_costake_bps: u16) -> Result<()> {
        self.require_active()?;
        require!(self.filled.is_none(), StakingError::PositionAlreadyFilled);
        require!(add(self.owner_stake, amount)? >= self.min_required, StakingError::BelowMinimum);
        require!(costake_within_cap(self.owner_stake, amount, max_costake_bps), StakingError::CostakeCapExceeded);
        Ok(())
    }

    /// R13: moves the filled position into an exiting slot until `wait_end`.
    pub fn begin_exit(&mut self, wait_end: i64, now: i64) -> Result<FilledPosition> {
        let filled = self.filled.take().ok_or_else(|| error!(StakingError::PositionNotFilled))?;
        let slot = self.free_exiting_slot(now).ok_or_else(|| error!(StakingError::TooManyExitingPositions))?;
        self.exiting[slot] = ExitingPosition { seq: filled.seq, principal: filled.principal, wait_end };
        Ok(filled)
    }

    /// Seqs of the positions an owner's unstake must settle: the filled one and the exits in their wait (R15).
    pub fn positions_to_unstake(&self, now: i64) -> Vec<u64> {
        self.filled
            .iter()
            .map(|f| f.seq)
            .chain(self.exiting.iter().filter(|e| e.counts_at(now)).map(|e| e.seq))
            .collect()
    }

    /// Total principal held for this device: owner stake, positions and ticket (R52).
    pub fn principal_ledger(&self) -> Result<u64> {
        add(add(self.owner_stake, self.positions_principal)?, self.ticket_principal)
    }

    /// Total unclaimed rewards held for this device (R52).
    pub fn rewards_ledger(&self) -> Result<u64> {
        add(self.owner_rewards, self.positions_rewards)
    }

    /// R40: what slashes of the 30 days up to `now` took (records older than that no longer count).
    pub fn slashed_within_window(&self, now: i64) -> Result<u64> {
        let mut total = 0;
        for record in self.recent_slashes.iter().filter(|r| r.counts_at(now)) {
            total = add(total, record.amount)?;
        }
        Ok(total)
    }

    /// R40: how much may still be slashed at `now`: `max_slash_bps` of the device's principal
    /// before the slashes of the last 30 days, minus what those took. Over any 30 days the
    /// slashes therefore never exceed the cap.
    pub fn slash_allowance(&self, now: i64, max_slash_bps: u16) -> Result<u64> {
        let recent = self.slashed_within_window(now)?;
        let base = add(self.principal_ledger()?, recent)?;
        Ok(bps_floor(base, max_slash_bps).saturating_sub(recent))
    }

    /// R40: remembers a slash of `amount` at `now`. Records past the window are dropped; when
    /// all slots still count, the oldest is merged into the next oldest, keeping the later time:
    /// the merged amount then counts a little longer, never shorter, so the cap still holds.
    pub fn record_slash(&mut self, now: i64, amount: u64) -> Result<()> {
        for record in self.recent_slashes.iter_mut().filter(|r| !r.counts_at(now)) {
            *record = SlashRecord::default();
        }
        self.recent_slashes.sort_by_key(|r| if r.at == 0 { i64::MAX } else { r.at });
        if self.recent_slashes[SLASH_RECORDS - 1].at != 0 {
            let oldest = self.recent_slashes[0];
            self.recent_slashes[1].amount = add(self.recent_slashes[1].amount, oldest.amount)?;
            self.recent_slashes.rotate_left(1);
        }
        let free = self.recent_slashes.iter().position(|r| r.at == 0).unwrap_or(SLASH_RECORDS - 1);
        self.recent_slashes[free] = SlashRecord { at: now, amount };
        Ok(())
    }

    /// Reduces the principal of position `seq` on the device's mirrors (filled or exiting) by `amount`.
    pub fn slash_position_mirror(&mut self, seq: u64, amount: u64) -> Result<()> {
        if let Some(filled) = self.filled.as_mut().filter(|f| f.seq == seq) {
            filled.principal = sub(filled.principal, amount)?;
        }
        for e in self.exiting.iter_mut().filter(|e| e.seq == seq && e.wait_end != 0) {
            e.principal = sub(e.principal, amount)?;
        }
        self.positions_principal = sub(self.positions_principal, amount)?;
        Ok(())
    }

    /// R41: places or extends a hold until `until`, never past 7 days from the incident's first hold.
    pub fn hold(&mut self, until: i64, now: i64) -> Result<()> {
        let incident_start = if self.is_on_hold(now) { self.hold_incident_start } else { now };
        require!(until > now && until <= add_secs(incident_start, MAX_HOLD_SECS)?, StakingError::HoldTooLong);
        self.hold_incident_start = incident_start;
        self.hold_until = until;
        Ok(())
    }

    /// R8: whether nothing is left on the device: no stake, positions, tickets or rewards.
    pub fn is_empty(&self) -> bool {
        self.owner_stake == 0
            && self.owner_rewards == 0
            && self.live_offers == 0
            && !self.unstaking
            && self.positions_principal == 0
            && self.positions_rewards == 0
            && self.ticket_principal == 0
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub const IO: u64 = 1_000_000;

    pub fn device(min: u64, owner_stake: u64) -> Device {
        let mut d = Device::new([7; 32], Pubkey::new_unique(), 255, Pubkey::default(), Pubkey::default(), 8, 100_000, min);
        d.payer = Pubkey::default();
        d.owner_stake = owner_stake;
        d
    }

    fn fill(d: &mut Device, seq: u64, principal: u64) {
        d.filled = Some(FilledPosition { seq, costaker: Pubkey::new_unique(), principal, reward_share_bps: 7_400, filled_at: 0 });
        d.positions_principal += principal;
        d.live_offers += 1;
    }

    #[test]
    fn r1_minimum_matches_ionet_examples() {
        assert_eq!(min_required(8, 100_000, 200 * IO).unwrap(), 16_000 * IO);
        assert_eq!(min_required(4, 2_500, 200 * IO).unwrap(), 800 * IO);
        assert_eq!(min_required(1, 10_001, 3).unwrap(), 4); // ceil(3 * 1.0001)
        assert!(min_required(0, 10_000, 1).is_err());
        assert!(min_required(1, 0, 1).is_err());
        assert!(min_required(u16::MAX, u32::MAX, u64::MAX).is_err());
    }

    #[test]
    fn r4_r5_counted_stake_and_eligibility() {
        let mut d = device(16_000, 8_000);
        assert_eq!(d.ineligibility(0), ineligible::BELOW_MINIMUM);
        fill(&mut d, 0, 8_000);
        assert!(d.is_eligible(0));
        d.begin_exit(100, 0).unwrap();
        assert_eq!(d.counted_stake(99), 16_000);
        assert!(d.is_eligible(99));
        assert_eq!(d.counted_stake(100), 8_000);
        assert!(!d.is_eligible(100));
        d.terminated = true;
        assert_eq!(d.ineligibility(0) & ineligible::TERMINATED, ineligible::TERMINATED);
        let empty = device(1, 0);
        assert_eq!(empty.ineligibility(0), ineligible::NO_STAKE | ineligible::BELOW_MINIMUM);
    }

    #[test]
    fn r12_owner_overflow_respects_minimum_cap_and_own_stake() {
        let mut d = device(16_000, 16_000);
        fill(&mut d, 0, 8_000);
        // total 24,000, min 16,000 -> 8,000 over the minimum; cap: 8,000 needs total >= 16,000
        assert_eq!(d.owner_principal_overflow(5_000), 8_000);
        d.owner_stake = 10_000; // total 18,000: cap needs 16,000 -> 2,000
        assert_eq!(d.owner_principal_overflow(5_000), 2_000);
        let solo = device(100, 50);
        assert_eq!(solo.owner_principal_overflow(5_000), 0);
        let mut rich = device(0, 100);
        rich.owner_rewards = 5;
        assert_eq!(rich.owner_overflow(5_000, 0), 105);
        assert_eq!(rich.split_owner_withdrawal(7, 5_000, 0).unwrap(), (5, 2));
        assert!(rich.split_owner_withdrawal(106, 5_000, 0).is_err());
        rich.hold_until = 10;
        assert_eq!(rich.owner_overflow(5_000, 9), 5);
        assert_eq!(rich.owner_overflow(5_000, 10), 105);
    }

    #[test]
    fn r2_grace_keeps_previous_minimum_and_never_extends() {
        let mut d = device(800, 800);
        d.set_minimum(1_600, 1_000, 500).unwrap();
        assert_eq!(d.min_in_force(1_499), 800);
        assert_eq!(d.min_in_force(1_500), 1_600);
        d.set_minimum(2_000, 1_200, 500).unwrap();
        assert_eq!(d.grace_end, 1_500);
        // a device that did not meet its minimum gets no grace
        let mut short = device(800, 100);
        short.set_minimum(1_600, 0, 500).unwrap();
        assert_eq!(short.min_in_force(0), 1_600);
    }

    #[test]
    fn r9_offer_checks() {
        let mut d = device(16_000, 16_000);
        d.check_offer(8_000, 7_400, 5_000, 10_000, 0).unwrap();
        assert!(d.check_offer(16_001, 7_400, 5_000, 10_000, 0).is_err());
        assert!(d.check_offer(8_000, 0, 5_000, 10_000, 0).is_err());
        assert!(d.check_offer(8_000, 7_400, 5_000, 7_000, 0).is_err());
        assert!(d.check_offer(0, 7_400, 5_000, 10_000, 0).is_err());
        d.owner_stake = 15_000;
        assert!(d.check_offer(1_000, 7_400, 5_000, 10_000, 0).is_err());
        d.owner_stake = 16_000;
        d.open_offer = Some(0);
        assert!(d.check_offer(8_000, 7_400, 5_000, 10_000, 0).is_err());
    }

    #[test]
    fn r13_exit_slots_fill_and_free_with_time() {
        let mut d = device(0, 10);
        for i in 0..MAX_EXITING_POSITIONS as u64 {
            fill(&mut d, i, 1);
            d.begin_exit(100 + i as i64, 0).unwrap();
        }
        assert!(d.check_offer(1, 1, 5_000, 10_000, 0).is_err());
        assert!(d.check_offer(1, 1, 5_000, 10_000, 100).is_ok());
        assert_eq!(d.positions_to_unstake(101), vec![2, 3]);
    }

    #[test]
    fn r40_slash_cap_holds_over_any_thirty_days() {
        let mut d = device(0, 1_000);
        assert_eq!(d.slash_allowance(10, 5_000).unwrap(), 500);
        d.owner_stake -= 1;
        d.record_slash(10, 1).unwrap();
        // one second before the first slash leaves the window: base 1,000, 1 used
        let t = 10 + SLASH_WINDOW_SECS - 1;
        assert_eq!(d.slash_allowance(t, 5_000).unwrap(), 499);
        d.owner_stake -= 499;
        d.record_slash(t, 499).unwrap();
        // the first slash has left, the second still counts: (500 + 499) / 2 - 499 = 0
        assert_eq!(d.slash_allowance(t + 1, 5_000).unwrap(), 0);
        // once the second has left too, the cap is on what is left
        assert_eq!(d.slash_allowance(t + SLASH_WINDOW_SECS, 5_000).unwrap(), 250);
    }

    #[test]
    fn r40_full_slash_records_merge_without_raising_the_cap() {
        let mut d = device(0, 10_000);
        for i in 0..6 {
            let now = 100 + i * 10;
            let take = d.slash_allowance(now, 5_000).unwrap().min(100);
            d.owner_stake -= take;
            d.record_slash(now, take).unwrap();
        }
        assert_eq!(d.slashed_within_window(200).unwrap(), 600);
        assert!(d.recent_slashes.iter().all(|r| r.at != 0));
        // the merged records count from their later time: the cap is never raised early
        assert_eq!(d.slash_allowance(200, 5_000).unwrap(), 5_000 - 600);
        // the two oldest slashes (at 100 and 110) were merged into the one at 120: they count
        // until 120 + 30 days, longer than their own time, never shorter
        assert_eq!(d.slashed_within_window(119 + SLASH_WINDOW_SECS).unwrap(), 600);
        assert_eq!(d.slashed_within_window(120 + SLASH_WINDOW_SECS).unwrap(), 300);
    }

    #[test]
    fn r41_hold_limits() {
        let mut d = device(0, 1);
        d.hold(100 + MAX_HOLD_SECS, 100).unwrap();
        assert!(d.hold(100 + MAX_HOLD_SECS + 1, 200).is_err());
        assert!(d.hold(50, 100).is_err());
        // a new incident after the hold ended starts a new 7 days
        let later = 100 + MAX_HOLD_SECS + 1;
        d.hold(later + MAX_HOLD_SECS, later).unwrap();
        assert_eq!(d.hold_incident_start, later);
    }
}
