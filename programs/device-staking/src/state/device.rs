//! A device, its owner's stake and its position table: the rules and the state transitions of
//! R1-R21 and R40-R41. Every transition checks its rule, changes the ledgers and returns what the
//! handler must move; handlers only load accounts, call one transition, move tokens and emit.
use super::config::Env;
use super::math::*;
use super::position::*;
use super::slash_record::*;
use crate::constants::*;
use crate::error::StakingError;
use anchor_lang::prelude::*;

/// Why a device is not eligible (bit flags, R5, R54).
pub mod ineligible {
    /// The device is terminated (R7).
    pub const TERMINATED: u8 = 1;
    /// The owner is unstaking (R15).
    pub const UNSTAKING: u8 = 2;
    /// Nothing is counted (R5).
    pub const NO_STAKE: u8 = 4;
    /// Counted stake is below the minimum in force (R5).
    pub const BELOW_MINIMUM: u8 = 8;
}

/// Why a reward entry was skipped (R20), as `RewardSkipped.reason`.
pub mod skip {
    /// The block starts before the end of the last block paid or skipped for the device.
    pub const ALREADY_PAID: u8 = 1;
    /// The device was terminated at or before the block's start.
    pub const TERMINATED: u8 = 2;
    /// The owner has been unstaking since at or before the block's start.
    pub const UNSTAKING: u8 = 3;
    /// The device was registered (or revived) after the block's start.
    pub const NOT_REGISTERED: u8 = 4;
    /// The entry's amount is zero.
    pub const ZERO_AMOUNT: u8 = 5;
    /// The device is closed (a tombstone).
    pub const CLOSED: u8 = 6;
}

/// A device PDA `["device", device_id]`: a zero-copy account (a Pod layout read in place, never
/// copied or re-encoded), with every 8-byte field 8-aligned, explicit padding, and no bool, enum,
/// Option or u128 in the stored bytes (account data is only 8-aligned); typed accessors such as
/// [`Device::open_offer`] read the flags.
#[account(zero_copy)]
#[derive(InitSpace, Debug)]
pub struct Device {
    /// The device's 32-byte id (from the network's backend).
    pub device_id: [u8; 32],
    /// The owner's wallet.
    pub owner: Pubkey,
    /// Who paid the rent of the device and its vaults (moves with the device at R19).
    pub payer: Pubkey,
    /// The device PDA's bump.
    pub bump: u8,
    /// 1 while an offer is open (its sequence number in `open_offer_seq`), else 0: see [`Device::open_offer`].
    pub has_open_offer: u8,
    /// Padding to the next 8-byte field (always zero).
    pub _pad0: [u8; 6],
    /// The stake vault (principal): token account `["stake_vault", device]` owned by the device PDA.
    pub stake_vault: Pubkey,
    /// The overflow vault (rewards): token account `["overflow_vault", device]` owned by the device PDA.
    pub overflow_vault: Pubkey,
    /// When it was registered or last revived (R3, R20).
    pub registered_at: i64,
    /// GPUs attested by the oracle.
    pub gpu_count: u16,
    /// Padding to the next 4-byte field (always zero).
    pub _pad1: [u8; 2],
    /// Earning multiplier attested by the oracle, in basis points (10,000 = 1x).
    pub multiplier_bps: u32,
    /// The previous minimum, in force until `grace_end` (R2).
    pub grace_min: u64,
    /// End of the R2 grace (unix seconds); 0 when none ever ran.
    pub grace_end: i64,
    /// The owner's principal in the stake vault (after slashing).
    pub owner_stake: u64,
    /// The owner's unclaimed rewards in the overflow vault.
    pub owner_rewards: u64,
    /// The device counts as hired until then (R7); 0 when not hired.
    pub hired_until: i64,
    /// When the oracle last set `hired_until` (a mark set before the oracle's revocation no longer counts, R34).
    pub hired_set_at: i64,
    /// When the oracle terminated it (R7); 0 while not terminated.
    pub terminated_at: i64,
    /// When the owner unstaked; 0 while not unstaking (no ticket outstanding, R15).
    pub unstaked_at: i64,
    /// The outstanding ticket's sequence number (meaningful while unstaking).
    pub ticket_seq: u64,
    /// The outstanding ticket's principal (after slashing).
    pub ticket_principal: u64,
    /// When the outstanding ticket may be withdrawn.
    pub ticket_unlock_at: i64,
    /// The open offer's sequence number while `has_open_offer` is 1 (R9); 0 otherwise.
    pub open_offer_seq: u64,
    /// Every unwithdrawn position: filled, exiting and cooling (R9, Accounts).
    pub positions: [Position; MAX_POSITIONS],
    /// Withdrawn or released positions a later block may still name (R21).
    pub departed: [DepartedPosition; DEPARTED_RECORDS],
    /// The next offer's sequence number (never reused, kept across close and revival).
    pub next_offer_seq: u64,
    /// The next ticket's sequence number (never reused, kept across close and revival).
    pub next_ticket_seq: u64,
    /// End of the last block paid or skipped (R20): a block starting before it is not paid.
    pub last_paid_end: i64,
    /// The running hold ends then (R41); 0 when never held.
    pub hold_until: i64,
    /// Start of the latest hold incident (R41); 0 when never held.
    pub hold_incident_start: i64,
    /// The furthest the latest incident's holds may reach: its start + max_hold_secs in force at
    /// its start (R41; a later parameter change never lengthens a running incident).
    pub hold_reach: i64,
    /// Slashes of the owner's stake (owner stake and ticket) in the last 30 days (R40).
    pub owner_slashes: [SlashRecord; OWNER_SLASH_RECORDS],
    /// A proposed new owner (R19); `Pubkey::default()` when none.
    pub pending_owner: Pubkey,
    /// The proposal lapses then (R19).
    pub transfer_expires_at: i64,
    /// Room for later versions.
    pub reserved: [u8; RESERVED_BYTES - 8],
}

/// The stored size of a `Device` (without its 8-byte discriminator). The Pod layout has no
/// implicit padding, so its Borsh description (`INIT_SPACE`, the IDL) has the same bytes.
pub const DEVICE_SIZE: usize = 1_640;
const _: () = assert!(core::mem::size_of::<Device>() == DEVICE_SIZE);
const _: () = assert!(core::mem::align_of::<Device>() == 8);
const _: () = assert!(Device::INIT_SPACE == DEVICE_SIZE);

/// What a device PDA signs with (`["device", device_id, bump]`), copied out of the account so
/// that the account's data is not borrowed during the token program's CPI.
#[derive(Clone, Copy, Debug)]
pub struct DeviceSigner {
    /// The device's 32-byte id.
    pub device_id: [u8; 32],
    /// The device PDA's bump.
    pub bump: [u8; 1],
}

impl DeviceSigner {
    /// The seeds the device PDA signs with.
    pub fn seeds(&self) -> [&[u8]; 3] {
        [DEVICE_SEED, &self.device_id, &self.bump]
    }
}

/// A closed device (R8): what must outlive it so that a revival (R3) repeats no number and pays
/// no block twice. A zero-copy account (Pod layout, explicit padding): `close_device` writes its
/// bytes in place of the device's, `register_device` reads them in place.
#[account(zero_copy)]
#[derive(InitSpace, Debug)]
pub struct Tombstone {
    /// The device's 32-byte id.
    pub device_id: [u8; 32],
    /// The device PDA's bump.
    pub bump: u8,
    /// Padding to the next 8-byte field (always zero).
    pub _pad0: [u8; 7],
    /// When it was closed.
    pub closed_at: i64,
    /// The next offer's sequence number.
    pub next_offer_seq: u64,
    /// The next ticket's sequence number.
    pub next_ticket_seq: u64,
    /// End of the last block paid or skipped.
    pub last_paid_end: i64,
    /// The last hold's end.
    pub hold_until: i64,
    /// Start of the last hold incident.
    pub hold_incident_start: i64,
    /// The furthest the last incident's holds may reach.
    pub hold_reach: i64,
    /// The owner stake's slashes of the last 30 days.
    pub owner_slashes: [SlashRecord; OWNER_SLASH_RECORDS],
    /// Room for later versions.
    pub reserved: [u8; 24],
}

/// The stored size of a `Tombstone` (without its 8-byte discriminator); no implicit padding, so
/// its Borsh description (`INIT_SPACE`, the IDL) has the same bytes.
pub const TOMBSTONE_SIZE: usize = 184;
const _: () = assert!(core::mem::size_of::<Tombstone>() == TOMBSTONE_SIZE);
const _: () = assert!(core::mem::align_of::<Tombstone>() == 8);
const _: () = assert!(Tombstone::INIT_SPACE == TOMBSTONE_SIZE);

/// R1: `ceil(gpu_count * base * max(10_000, multiplier_bps) / 10_000)`.
pub fn min_required(gpu_count: u16, multiplier_bps: u32, base_stake_per_gpu: u64) -> Result<u64> {
    require!(gpu_count >= 1 && multiplier_bps >= 1, StakingError::InvalidHardware);
    // gpu_count * multiplier (at most 2^16 * 2^32) always fits in u64; the rest through the
    // u64 fast path (u128 only when the product overflows), the same result.
    let per_base = gpu_count as u64 * (multiplier_bps as u64).max(BPS);
    mul_div_ceil(per_base, base_stake_per_gpu, BPS)
}

/// Whether `costake` stays within `max_costake_bps` of `owner_stake + costake` (R9, R11, R12).
pub fn costake_within_cap(owner_stake: u64, costake: u64, max_costake_bps: u16) -> bool {
    let total = owner_stake as u128 + costake as u128;
    (costake as u128) * (BPS as u128) <= total * (max_costake_bps as u128)
}

/// What `register_device` records of a new device (R3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Registration {
    /// The device's 32-byte id.
    pub device_id: [u8; 32],
    /// The owner's wallet (also the rent payer).
    pub owner: Pubkey,
    /// The device PDA's bump.
    pub bump: u8,
    /// The stake vault's address.
    pub stake_vault: Pubkey,
    /// The overflow vault's address.
    pub overflow_vault: Pubkey,
    /// GPUs attested by the oracle.
    pub gpu_count: u16,
    /// Earning multiplier attested by the oracle, in basis points.
    pub multiplier_bps: u32,
}

/// What `unstake` did (R15).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnstakeOutcome {
    /// The ticket's sequence number.
    pub ticket_seq: u64,
    /// The owner stake moved into the ticket.
    pub amount: u64,
    /// When the ticket may be withdrawn.
    pub unlock_at: i64,
    /// The filled position stopped by it, if any: (seq, co-staker), whose profile count drops.
    pub stopped: Option<(u64, Pubkey)>,
    /// Positions whose wait or unlock it brought forward.
    pub positions_recapped: u8,
}

/// What a block did for one device (R20, R21).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockOutcome {
    /// Nothing moves; the reason is one of `skip`.
    Skipped(u8),
    /// The block is paid.
    Paid(BlockPayment),
}

/// A paid block's split (R21, R23).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockPayment {
    /// Credited to the owner.
    pub owner_part: u64,
    /// The position that earned during the block, if any.
    pub position_seq: Option<u64>,
    /// Its part: credited to it, or not paid when it has left (`position_left`).
    pub position_part: u64,
    /// Whether that position had been withdrawn or released: its part stays with the payer.
    pub position_left: bool,
    /// Tokens to move into the overflow vault: the entry's amount less a departed position's part.
    pub transfer: u64,
}

/// What a slash took, per party (R40).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SlashOutcome {
    /// From the owner's stake.
    pub from_owner_stake: u64,
    /// From the owner's ticket.
    pub from_ticket: u64,
    /// From each position: (seq, amount), in table order; positions that lost nothing are left out.
    pub from_positions: Vec<(u64, u64)>,
    /// Everything taken: the tokens to move to the treasury.
    pub total: u64,
}

impl Device {
    /// A newly registered device (R3), or one revived from `tombstone`, as a value (for the
    /// host's tests; the program fills the zeroed account in place with [`Device::init`]).
    pub fn register(registration: &Registration, env: &Env, tombstone: Option<&Tombstone>) -> Result<Self> {
        let mut device: Self = bytemuck::Zeroable::zeroed();
        device.init(registration, env, tombstone)?;
        Ok(device)
    }

    /// R3: fills a zeroed device: a newly registered one, or one revived from `tombstone`, whose
    /// counters, last paid block, hold and slash history carry on. (Four arguments: an
    /// out-of-line call must pass none on the SBF stack.)
    pub fn init(&mut self, registration: &Registration, env: &Env, tombstone: Option<&Tombstone>) -> Result<()> {
        let Registration { device_id, owner, bump, stake_vault, overflow_vault, gpu_count, multiplier_bps } = *registration;
        min_required(gpu_count, multiplier_bps, env.params.base_stake_per_gpu)?;
        self.device_id = device_id;
        self.owner = owner;
        self.payer = owner;
        self.bump = bump;
        self.stake_vault = stake_vault;
        self.overflow_vault = overflow_vault;
        self.registered_at = env.now;
        self.gpu_count = gpu_count;
        self.multiplier_bps = multiplier_bps;
        if let Some(t) = tombstone {
            require!(t.device_id == device_id, StakingError::WrongDevice);
            self.next_offer_seq = t.next_offer_seq;
            self.next_ticket_seq = t.next_ticket_seq;
            self.last_paid_end = t.last_paid_end;
            self.hold_until = t.hold_until;
            self.hold_incident_start = t.hold_incident_start;
            self.hold_reach = t.hold_reach;
            self.owner_slashes = t.owner_slashes;
        }
        Ok(())
    }

    /// The open offer's sequence number, if any (R9).
    pub fn open_offer(&self) -> Option<u64> {
        (self.has_open_offer != 0).then_some(self.open_offer_seq)
    }

    /// Records the open offer (R9), or none.
    pub fn set_open_offer(&mut self, seq: Option<u64>) {
        self.has_open_offer = seq.is_some() as u8;
        self.open_offer_seq = seq.unwrap_or(0);
    }

    /// The seeds the device PDA signs with, copied out of the account.
    pub fn signer(&self) -> DeviceSigner {
        DeviceSigner { device_id: self.device_id, bump: [self.bump] }
    }

    // ----- reads -----

    /// R1: the minimum from the hardware and the base in force (saturating at u64::MAX).
    pub fn min_required(&self, env: &Env) -> u64 {
        min_required(self.gpu_count, self.multiplier_bps, env.params.base_stake_per_gpu).unwrap_or(u64::MAX)
    }

    /// R2, R5: the minimum in force: the previous one during a grace.
    pub fn min_in_force(&self, env: &Env) -> u64 {
        let min = self.min_required(env);
        if env.now < self.grace_end {
            self.grace_min.min(min)
        } else {
            min
        }
    }

    /// Whether the owner is unstaking (a ticket is outstanding).
    pub fn is_unstaking(&self) -> bool {
        self.unstaked_at != 0
    }

    /// Whether the oracle terminated the device.
    pub fn is_terminated(&self) -> bool {
        self.terminated_at != 0
    }

    /// R7, R34: whether the device counts as hired at `env.now`.
    pub fn is_hired(&self, env: &Env) -> bool {
        env.now < self.hired_until && self.hired_set_at > env.oracle_revoked_at && !self.is_terminated()
    }

    /// R41, R34: whether a hold runs at `env.now` (a revoked slash authority's holds end).
    pub fn is_held(&self, env: &Env) -> bool {
        env.now < self.hold_until && self.hold_incident_start > env.slash_revoked_at
    }

    /// R41: whether the ticket's withdrawal is held: a hold runs and the ticket was not ripe at
    /// the incident's start (a ripe ticket is not newly frozen).
    pub fn is_ticket_held(&self, env: &Env) -> bool {
        self.is_unstaking() && self.is_held(env) && self.ticket_unlock_at > self.hold_incident_start
    }

    /// The slot of position `seq`.
    pub fn position_index(&self, seq: u64) -> Result<usize> {
        self.positions.iter().position(|p| p.is_used() && p.seq == seq).ok_or_else(|| error!(StakingError::PositionNotFound))
    }

    /// The position `seq`.
    pub fn position(&self, seq: u64) -> Result<&Position> {
        Ok(&self.positions[self.position_index(seq)?])
    }

    /// The filled (earning) position, if any.
    pub fn filled_position(&self) -> Option<&Position> {
        self.positions.iter().find(|p| p.is_filled())
    }

    /// A free slot of the table, if any.
    pub fn free_slot(&self) -> Option<usize> {
        self.positions.iter().position(|p| !p.is_used())
    }

    /// Principal of the filled position, or 0.
    pub fn filled_principal(&self) -> u64 {
        self.filled_position().map_or(0, |p| p.principal)
    }

    /// R4, R12: principal of positions that count at `now` (filled, or in their wait).
    pub fn costake_counted(&self, now: i64) -> u64 {
        self.positions.iter().filter(|p| p.counts_at(now)).fold(0u64, |acc, p| acc.saturating_add(p.principal))
    }

    /// R4: owner stake + principal of the positions that count.
    pub fn counted_stake(&self, now: i64) -> u64 {
        self.owner_stake.saturating_add(self.costake_counted(now))
    }

    /// R5: the reasons the device is not eligible (0 when eligible).
    pub fn ineligibility(&self, env: &Env) -> u8 {
        let mut why = 0;
        if self.is_terminated() {
            why |= ineligible::TERMINATED;
        }
        if self.is_unstaking() {
            why |= ineligible::UNSTAKING;
        }
        let counted = self.counted_stake(env.now);
        if counted == 0 {
            why |= ineligible::NO_STAKE;
        }
        if counted < self.min_in_force(env) {
            why |= ineligible::BELOW_MINIMUM;
        }
        why
    }

    /// R5: whether the device is eligible.
    pub fn is_eligible(&self, env: &Env) -> bool {
        self.ineligibility(env) == 0
    }

    /// R12: principal the owner may take out without breaking the minimum or the co-stake cap;
    /// 0 while held (R41).
    pub fn owner_principal_overflow(&self, env: &Env) -> u64 {
        if self.is_held(env) {
            return 0;
        }
        let costake = self.costake_counted(env.now) as u128;
        let owner = self.owner_stake as u128;
        let above_min = (owner + self.filled_principal() as u128).saturating_sub(self.min_required(env) as u128);
        // co-stake must stay <= bps of (owner_stake - x + costake): x <= owner + costake - ceil(costake * BPS / bps)
        let needed_total = mul_div_ceil_wide(costake as u64, BPS, env.params.max_costake_bps.max(1) as u64);
        let above_cap = (owner + costake).saturating_sub(needed_total);
        above_min.min(above_cap).min(owner) as u64
    }

    /// R12: everything the owner may withdraw now: unclaimed rewards plus principal overflow.
    pub fn owner_overflow(&self, env: &Env) -> u64 {
        self.owner_rewards.saturating_add(self.owner_principal_overflow(env))
    }

    /// R6: while paused, how much the owner may still stake to cover: when a co-staker's wait
    /// or an R2 grace runs, what keeps counted stake at the minimum once it ends.
    pub fn cover_allowance(&self, env: &Env) -> u64 {
        let wait_running = self.positions.iter().any(|p| p.is_used() && p.stopped_at != 0 && env.now < p.wait_end);
        let grace_running = env.now < self.grace_end;
        if !(wait_running || grace_running) {
            return 0;
        }
        let after = self.owner_stake.saturating_add(self.filled_principal());
        self.min_required(env).saturating_sub(after)
    }

    /// Principal the stake vault must hold: owner stake, ticket and positions (R52).
    pub fn principal_ledger(&self) -> Result<u64> {
        let positions = self.positions.iter().try_fold(0, |acc, p| add(acc, p.principal))?;
        add(add(self.owner_stake, self.ticket_principal)?, positions)
    }

    /// Unclaimed rewards the overflow vault must hold: the owner's and the positions' (R52).
    pub fn rewards_ledger(&self) -> Result<u64> {
        let positions = self.positions.iter().try_fold(0, |acc, p| add(acc, p.rewards))?;
        add(self.owner_rewards, positions)
    }

    /// R40: the owner's stake that a slash for `incident_at` may reach: owner_stake, plus the
    /// ticket when it was created after the incident and is not ripe or is held.
    pub fn owner_slashable(&self, env: &Env, incident_at: i64) -> (u64, bool) {
        let ticket = self.is_unstaking()
            && self.unstaked_at > incident_at
            && (env.now < self.ticket_unlock_at || self.is_ticket_held(env));
        (self.owner_stake.saturating_add(if ticket { self.ticket_principal } else { 0 }), ticket)
    }

    /// R40: whether position `p` may be slashed for `incident_at`: it counted then and is not ripe.
    pub fn position_slashable(p: &Position, env: &Env, incident_at: i64) -> bool {
        p.counts_at(incident_at) && !p.is_ripe(env.now) && p.principal > 0
    }

    /// R40, R54: the owner's allowance left for an incident now.
    pub fn owner_slash_allowance(&self, env: &Env) -> u64 {
        let (slashable, _) = self.owner_slashable(env, env.now);
        slash_allowance(&self.owner_slashes, slashable, env.params.max_slash_bps_per_30d, env.now).unwrap_or(0)
    }

    /// R40, R54: a position's allowance left for an incident now.
    pub fn position_slash_allowance(p: &Position, env: &Env) -> u64 {
        if !Self::position_slashable(p, env, env.now) {
            return 0;
        }
        slash_allowance(&p.slashes, p.principal, env.params.max_slash_bps_per_30d, env.now).unwrap_or(0)
    }

    // ----- transitions -----

    /// R2: the oracle attests new hardware; a rise on a device that met the old minimum starts a
    /// grace of one cover window (a running grace is never extended). Returns (previous, new) minimum.
    pub fn set_hardware(&mut self, env: &Env, gpu_count: u16, multiplier_bps: u32) -> Result<(u64, u64)> {
        let new_min = min_required(gpu_count, multiplier_bps, env.params.base_stake_per_gpu)?;
        let previous = self.min_required(env);
        let grace_running = env.now < self.grace_end;
        if new_min > previous && !grace_running && self.counted_stake(env.now) >= previous {
            self.grace_min = previous;
            self.grace_end = add_secs(env.now, env.params.cover_window_secs)?;
        }
        self.gpu_count = gpu_count;
        self.multiplier_bps = multiplier_bps;
        Ok((previous, new_min))
    }

    /// R7: the oracle marks the device hired until `until` (at most 30 days ahead; 0 clears it).
    pub fn set_hired(&mut self, env: &Env, until: i64) -> Result<()> {
        require!(!self.is_terminated(), StakingError::DeviceTerminated);
        require!(until == 0 || (until > env.now && until <= add_secs(env.now, MAX_HIRED_SECS)?), StakingError::InvalidHiredUntil);
        self.hired_until = until;
        self.hired_set_at = env.now;
        Ok(())
    }

    /// R7: the oracle terminates the device (final); hired is cleared.
    pub fn terminate(&mut self, env: &Env) -> Result<()> {
        require!(!self.is_terminated(), StakingError::DeviceTerminated);
        self.terminated_at = env.now;
        self.hired_until = 0;
        Ok(())
    }

    /// Fails unless the device may take new stake or offers: not terminated, not unstaking.
    fn require_active(&self) -> Result<()> {
        require!(!self.is_terminated(), StakingError::DeviceTerminated);
        require!(!self.is_unstaking(), StakingError::DeviceUnstaking);
        Ok(())
    }

    /// R6: the owner adds `amount`; while paused only up to the cover allowance.
    pub fn stake(&mut self, env: &Env, amount: u64) -> Result<()> {
        require!(amount > 0, StakingError::ZeroAmount);
        self.require_active()?;
        if env.paused {
            let cover = self.cover_allowance(env);
            require!(cover > 0, StakingError::Paused);
            require!(amount <= cover, StakingError::StakeExceedsCover);
        }
        self.owner_stake = add(self.owner_stake, amount)?;
        Ok(())
    }

    /// R9: the owner offers `amount` at `reward_share_bps`; returns the offer's sequence number.
    pub fn create_offer(&mut self, env: &Env, amount: u64, reward_share_bps: u16) -> Result<u64> {
        require!(!env.paused, StakingError::Paused);
        require!(amount > 0, StakingError::ZeroAmount);
        self.require_active()?;
        require!(!self.is_held(env), StakingError::DeviceOnHold);
        require!(self.open_offer().is_none(), StakingError::OpenOfferExists);
        require!(self.filled_position().is_none(), StakingError::PositionAlreadyFilled);
        require!(self.free_slot().is_some(), StakingError::NoFreePositionSlot);
        let min = self.min_required(env);
        require!(self.counted_stake(env.now) >= min, StakingError::BelowMinimum);
        require!(add(self.owner_stake, amount)? >= min, StakingError::BelowMinimum);
        require!(
            (amount as u128) * (BPS as u128) >= (min as u128) * (env.params.min_offer_bps as u128),
            StakingError::OfferTooSmall
        );
        require!(costake_within_cap(self.owner_stake, amount, env.params.max_costake_bps), StakingError::CostakeCapExceeded);
        require!(reward_share_bps > 0 && reward_share_bps <= env.params.max_reward_share_bps, StakingError::InvalidRewardShare);
        let seq = self.next_offer_seq;
        self.next_offer_seq = seq.checked_add(1).ok_or_else(|| error!(StakingError::MathOverflow))?;
        self.set_open_offer(Some(seq));
        Ok(seq)
    }

    /// R10: the owner retracts the open offer `seq`.
    pub fn retract_offer(&mut self, seq: u64) -> Result<()> {
        require!(self.open_offer() == Some(seq), StakingError::OfferNotOpen);
        self.set_open_offer(None);
        Ok(())
    }

    /// R11: `costaker` fills the open offer `seq` with `amount` at `reward_share_bps` (the terms
    /// are checked against the offer account by `Offer::check_terms`). Seven argument registers
    /// with the result's: inlined into its one caller, since an out-of-line call would pass some
    /// on the stack, which SBF forbids (tools/sbf/check_stack_args.py).
    #[inline(always)]
    pub fn fill(&mut self, env: &Env, seq: u64, costaker: Pubkey, amount: u64, reward_share_bps: u16) -> Result<()> {
        require!(!env.paused, StakingError::Paused);
        require!(costaker != self.owner, StakingError::OwnerCannotCostake);
        self.require_active()?;
        require!(!self.is_held(env), StakingError::DeviceOnHold);
        require!(self.open_offer() == Some(seq), StakingError::OfferNotOpen);
        require!(self.filled_position().is_none(), StakingError::PositionAlreadyFilled);
        let slot = self.free_slot().ok_or_else(|| error!(StakingError::NoFreePositionSlot))?;
        require!(add(self.owner_stake, amount)? >= self.min_required(env), StakingError::BelowMinimum);
        require!(costake_within_cap(self.owner_stake, amount, env.params.max_costake_bps), StakingError::CostakeCapExceeded);
        require!(reward_share_bps <= env.params.max_reward_share_bps, StakingError::InvalidRewardShare);
        self.positions[slot] =
            Position { seq, costaker, principal: amount, reward_share_bps, filled_at: env.now, ..Position::default() };
        self.set_open_offer(None);
        Ok(())
    }

    /// R12: the owner withdraws `amount` of overflow, rewards first; returns (rewards, principal).
    pub fn withdraw_overflow(&mut self, env: &Env, amount: u64) -> Result<(u64, u64)> {
        require!(amount > 0, StakingError::ZeroAmount);
        let from_rewards = amount.min(self.owner_rewards);
        let from_principal = amount - from_rewards;
        if from_principal > 0 {
            require!(!self.is_held(env), StakingError::DeviceOnHold);
        }
        require!(amount <= self.owner_overflow(env), StakingError::ExceedsOverflow);
        self.owner_rewards -= from_rewards;
        self.owner_stake = sub(self.owner_stake, from_principal)?;
        Ok((from_rewards, from_principal))
    }

    /// R12: the co-staker `signer` takes position `seq`'s unclaimed rewards; returns them.
    pub fn claim(&mut self, seq: u64, signer: &Pubkey) -> Result<u64> {
        let i = self.position_index(seq)?;
        let p = &mut self.positions[i];
        require_keys_eq!(p.costaker, *signer, StakingError::NotCostaker);
        require!(p.rewards > 0, StakingError::NothingToClaim);
        Ok(core::mem::take(&mut p.rewards))
    }

    /// R13: the co-staker `signer` cancels position `seq`: it stops earning; its wait (none on a
    /// terminated device) and unlock are recorded with the parameters in force.
    pub fn cancel(&mut self, env: &Env, seq: u64, signer: &Pubkey) -> Result<Position> {
        let terminated = self.is_terminated();
        let i = self.position_index(seq)?;
        let p = &mut self.positions[i];
        require_keys_eq!(p.costaker, *signer, StakingError::NotCostaker);
        require!(p.is_filled(), StakingError::PositionNotFilled);
        p.stopped_at = env.now;
        p.wait_end = if terminated { env.now } else { add_secs(env.now, env.params.cover_window_secs)? };
        p.unlock_at = add_secs(p.wait_end, env.params.cooldown_secs)?;
        Ok(*p)
    }

    /// R15: the owner unstakes everything: a ticket unlocks after the cooldown; the filled
    /// position stops earning; every position's wait ends now at the latest and its unlock comes
    /// no later than the ticket's.
    pub fn unstake(&mut self, env: &Env) -> Result<UnstakeOutcome> {
        require!(!self.is_unstaking(), StakingError::DeviceUnstaking);
        require!(!self.is_hired(env), StakingError::DeviceHired);
        require!(self.open_offer().is_none(), StakingError::OpenOfferExists);
        require!(self.owner_stake > 0, StakingError::NothingToUnstake);
        let now = env.now;
        let unlock_at = add_secs(now, env.params.cooldown_secs)?;
        let mut stopped = None;
        let mut positions_recapped = 0;
        for p in self.positions.iter_mut().filter(|p| p.is_used()) {
            let before = (p.wait_end, p.unlock_at);
            if p.stopped_at == 0 {
                p.stopped_at = now;
                p.wait_end = now;
                p.unlock_at = unlock_at;
                stopped = Some((p.seq, p.costaker));
            } else {
                p.wait_end = p.wait_end.min(now);
                p.unlock_at = p.unlock_at.min(unlock_at);
            }
            if (p.wait_end, p.unlock_at) != before {
                positions_recapped += 1;
            }
        }
        let ticket_seq = self.next_ticket_seq;
        self.next_ticket_seq = ticket_seq.checked_add(1).ok_or_else(|| error!(StakingError::MathOverflow))?;
        let amount = core::mem::take(&mut self.owner_stake);
        self.ticket_seq = ticket_seq;
        self.ticket_principal = amount;
        self.ticket_unlock_at = unlock_at;
        self.unstaked_at = now;
        Ok(UnstakeOutcome { ticket_seq, amount, unlock_at, stopped, positions_recapped })
    }

    /// R16, R41: the ripe ticket is paid out; returns (ticket seq, principal). The owner may stake again.
    pub fn withdraw_ticket(&mut self, env: &Env) -> Result<(u64, u64)> {
        require!(self.is_unstaking(), StakingError::NoTicket);
        require!(env.now >= self.ticket_unlock_at, StakingError::StillLocked);
        require!(!self.is_ticket_held(env), StakingError::DeviceOnHold);
        let amount = core::mem::take(&mut self.ticket_principal);
        self.unstaked_at = 0;
        self.ticket_unlock_at = 0;
        Ok((self.ticket_seq, amount))
    }

    /// R16: a ripe position leaves the table (withdrawn, or released into its escrow); its slot is
    /// freed and, while a later block may still name it, it is remembered (R21). Returns it.
    pub fn take_ripe_position(&mut self, env: &Env, seq: u64) -> Result<Position> {
        let i = self.position_index(seq)?;
        let p = self.positions[i];
        require!(p.stopped_at != 0, StakingError::PositionNotExiting);
        require!(p.is_ripe(env.now), StakingError::StillLocked);
        self.positions[i] = Position::default();
        if p.stopped_at > self.last_paid_end {
            let last_paid_end = self.last_paid_end;
            let slot = match self.departed.iter().position(|d| d.stopped_at <= last_paid_end) {
                Some(slot) => slot,
                None => {
                    // every record may still be named: the one that stopped first is dropped, and
                    // no block it earned (ending by its stop) can be paid any more, so its part is
                    // never handed to the owner (G4, R21)
                    let slot = (0..DEPARTED_RECORDS).min_by_key(|&k| self.departed[k].stopped_at).unwrap_or(0);
                    self.last_paid_end = self.departed[slot].stopped_at;
                    slot
                }
            };
            self.departed[slot] = DepartedPosition {
                seq: p.seq,
                reward_share_bps: p.reward_share_bps,
                filled_at: p.filled_at,
                stopped_at: p.stopped_at,
                ..DepartedPosition::default()
            };
        }
        Ok(p)
    }

    /// R20, R21: one device's part `amount` of the block `[start, end)`. Skips on recorded facts
    /// (every skip but the already-paid one records the block's end); otherwise credits the
    /// position that earned during the block its share and the owner the rest.
    pub fn pay_block(&mut self, start: i64, end: i64, amount: u64) -> Result<BlockOutcome> {
        if start < self.last_paid_end {
            return Ok(BlockOutcome::Skipped(skip::ALREADY_PAID));
        }
        let reason = if self.is_terminated() && self.terminated_at <= start {
            skip::TERMINATED
        } else if self.is_unstaking() && self.unstaked_at <= start {
            skip::UNSTAKING
        } else if self.registered_at > start {
            skip::NOT_REGISTERED
        } else if amount == 0 {
            skip::ZERO_AMOUNT
        } else {
            0
        };
        self.last_paid_end = end;
        if reason != 0 {
            return Ok(BlockOutcome::Skipped(reason));
        }
        let mut payment =
            BlockPayment { owner_part: amount, position_seq: None, position_part: 0, position_left: false, transfer: amount };
        if let Some(p) = self.positions.iter_mut().find(|p| p.is_used() && p.earned(start, end)) {
            if p.principal > 0 {
                let part = bps_floor(amount, p.reward_share_bps);
                p.rewards = add(p.rewards, part)?;
                payment.position_seq = Some(p.seq);
                payment.position_part = part;
            }
        } else if let Some(d) = self.departed.iter().find(|d| d.earned(start, end)) {
            let part = bps_floor(amount, d.reward_share_bps);
            payment.position_seq = Some(d.seq);
            payment.position_part = part;
            payment.position_left = true;
            payment.transfer = amount - part;
        }
        payment.owner_part = amount - payment.position_part;
        self.owner_rewards = add(self.owner_rewards, payment.owner_part)?;
        Ok(BlockOutcome::Paid(payment))
    }

    /// R40: the slash authority takes up to `amount` for an incident at `incident_at`: the owner
    /// first (owner stake, then the ticket) up to the owner's cap, then the positions that
    /// counted at the incident and are not ripe, pro rata to their principal, each up to its cap.
    pub fn slash(&mut self, env: &Env, amount: u64, incident_at: i64) -> Result<SlashOutcome> {
        require!(amount > 0, StakingError::ZeroAmount);
        let now = env.now;
        // `incident_at > 0` first: `now - incident_at` cannot overflow for a positive incident time
        require!(
            incident_at > 0 && incident_at <= now && now - incident_at < SLASH_WINDOW_SECS,
            StakingError::IncidentOutOfRange
        );
        if self.is_held(env) {
            require!(incident_at <= self.hold_incident_start, StakingError::IncidentOutOfRange);
        }
        let bps = env.params.max_slash_bps_per_30d;
        let (owner_slashable, _) = self.owner_slashable(env, incident_at);
        let owner_cap = slash_allowance(&self.owner_slashes, owner_slashable, bps, now)?;
        let owner_take = amount.min(owner_cap);
        let from_owner_stake = owner_take.min(self.owner_stake);
        let from_ticket = owner_take - from_owner_stake;

        let rest = (amount - owner_take) as u128;
        let slashable: [bool; MAX_POSITIONS] =
            core::array::from_fn(|i| Self::position_slashable(&self.positions[i], env, incident_at));
        let pool: u128 = (0..MAX_POSITIONS).filter(|&i| slashable[i]).map(|i| self.positions[i].principal as u128).sum();
        let mut outcome = SlashOutcome { from_owner_stake, from_ticket, ..SlashOutcome::default() };
        let mut total = owner_take;
        if rest > 0 && pool > 0 {
            for i in (0..MAX_POSITIONS).filter(|&i| slashable[i]) {
                let p = &mut self.positions[i];
                // share <= rest: the principal is part of the pool
                let share = match u64::try_from(pool) {
                    Ok(pool) => mul_div_floor(rest as u64, p.principal, pool),
                    Err(_) => (rest * p.principal as u128 / pool) as u64,
                };
                let cap = slash_allowance(&p.slashes, p.principal, bps, now)?;
                let take = share.min(cap);
                if take > 0 {
                    p.principal -= take;
                    record_slash(&mut p.slashes, now, take)?;
                    outcome.from_positions.push((p.seq, take));
                    total = add(total, take)?;
                }
            }
        }
        require!(total > 0, StakingError::NothingToSlash);
        self.owner_stake -= from_owner_stake;
        self.ticket_principal = sub(self.ticket_principal, from_ticket)?;
        record_slash(&mut self.owner_slashes, now, owner_take)?;
        outcome.total = total;
        Ok(outcome)
    }

    /// R41: the slash authority holds the device until `until`. A hold before the incident's
    /// reach (its start + max_hold_secs in force at its start) belongs to it and ends by then; a
    /// new incident starts only 30 days after the previous one. Returns the incident's start.
    pub fn hold(&mut self, env: &Env, until: i64) -> Result<i64> {
        let now = env.now;
        require!(until > now, StakingError::HoldTooLong);
        let start = self.hold_incident_start;
        let same_incident = start != 0 && start > env.slash_revoked_at && now < self.hold_reach;
        if !same_incident {
            require!(start == 0 || now >= add_secs(start, SLASH_WINDOW_SECS)?, StakingError::HoldIncidentTooSoon);
            self.hold_incident_start = now;
            self.hold_reach = add_secs(now, env.params.max_hold_secs)?;
        }
        require!(until <= self.hold_reach, StakingError::HoldTooLong);
        self.hold_until = until;
        Ok(self.hold_incident_start)
    }

    /// R19: the checks of both transfer steps.
    fn require_transferable(&self, env: &Env, new_owner: &Pubkey) -> Result<()> {
        require!(!self.is_unstaking(), StakingError::DeviceUnstaking);
        require!(self.open_offer().is_none(), StakingError::OpenOfferExists);
        require!(!self.is_held(env), StakingError::DeviceOnHold);
        require!(*new_owner != self.owner && *new_owner != Pubkey::default(), StakingError::InvalidNewOwner);
        require!(!self.positions.iter().any(|p| p.is_used() && p.costaker == *new_owner), StakingError::NewOwnerHoldsPosition);
        Ok(())
    }

    /// R19: the owner proposes `new_owner`; the proposal lapses after 7 days. Returns its expiry.
    pub fn propose_transfer(&mut self, env: &Env, new_owner: Pubkey) -> Result<i64> {
        self.require_transferable(env, &new_owner)?;
        self.pending_owner = new_owner;
        self.transfer_expires_at = add_secs(env.now, TRANSFER_WINDOW_SECS)?;
        Ok(self.transfer_expires_at)
    }

    /// R19: the owner cancels a proposed transfer.
    pub fn cancel_transfer(&mut self) -> Result<()> {
        require!(self.pending_owner != Pubkey::default(), StakingError::NoPendingChange);
        self.pending_owner = Pubkey::default();
        self.transfer_expires_at = 0;
        Ok(())
    }

    /// R19: the proposed wallet accepts: owner, owner stake, unclaimed rewards and rent payer move
    /// to it. Returns the previous owner.
    pub fn accept_transfer(&mut self, env: &Env, signer: &Pubkey) -> Result<Pubkey> {
        require!(self.pending_owner != Pubkey::default(), StakingError::NoPendingChange);
        require_keys_eq!(*signer, self.pending_owner, StakingError::NotPendingKey);
        require!(env.now < self.transfer_expires_at, StakingError::TransferExpired);
        self.require_transferable(env, signer)?;
        let previous = self.owner;
        self.owner = *signer;
        self.payer = *signer;
        self.pending_owner = Pubkey::default();
        self.transfer_expires_at = 0;
        Ok(previous)
    }

    /// R8: the owner closes an empty device; returns its tombstone.
    pub fn close(&self, env: &Env) -> Result<Tombstone> {
        require!(self.open_offer().is_none(), StakingError::OpenOfferExists);
        require!(!self.is_unstaking(), StakingError::DeviceUnstaking);
        require!(
            self.owner_stake == 0 && self.owner_rewards == 0 && self.positions.iter().all(|p| !p.is_used()),
            StakingError::DeviceNotEmpty
        );
        Ok(Tombstone {
            device_id: self.device_id,
            bump: self.bump,
            _pad0: [0; 7],
            closed_at: env.now,
            next_offer_seq: self.next_offer_seq,
            next_ticket_seq: self.next_ticket_seq,
            last_paid_end: self.last_paid_end,
            hold_until: self.hold_until,
            hold_incident_start: self.hold_incident_start,
            hold_reach: self.hold_reach,
            owner_slashes: self.owner_slashes,
            reserved: [0; 24],
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::state::config::Params;

    pub const IO: u64 = 1_000_000;

    pub fn env(now: i64) -> Env {
        let mut params = Params::defaults(6).unwrap();
        params.cover_window_secs = 100;
        params.cooldown_secs = 200;
        params.max_hold_secs = 50;
        Env { now, params, paused: false, oracle_revoked_at: 0, slash_revoked_at: 0 }
    }

    /// The registration of a device of 1 GPU at multiplier 1 owned by `owner`.
    pub fn registration(owner: Pubkey) -> Registration {
        Registration {
            device_id: [7; 32],
            owner,
            bump: 255,
            stake_vault: Pubkey::default(),
            overflow_vault: Pubkey::default(),
            gpu_count: 1,
            multiplier_bps: 10_000,
        }
    }

    /// A device of 1 GPU (minimum 200 IO) registered at time 1 with `owner_stake` staked.
    pub fn device(owner_stake: u64) -> Device {
        let mut d = Device::register(&registration(Pubkey::new_unique()), &env(1), None).unwrap();
        d.owner_stake = owner_stake;
        d
    }

    /// Opens and fills an offer of `amount` at 74% at `now`; returns (seq, co-staker).
    pub fn filled(d: &mut Device, now: i64, amount: u64) -> (u64, Pubkey) {
        let e = env(now);
        let seq = d.create_offer(&e, amount, 7_400).unwrap();
        let costaker = Pubkey::new_unique();
        d.fill(&e, seq, costaker, amount, 7_400).unwrap();
        (seq, costaker)
    }

    #[test]
    fn r1_minimum_matches_ionet_examples() {
        assert_eq!(min_required(8, 100_000, 200 * IO).unwrap(), 16_000 * IO);
        assert_eq!(min_required(4, 2_500, 200 * IO).unwrap(), 800 * IO);
        assert_eq!(min_required(1, 10_001, 3).unwrap(), 4);
        assert!(min_required(0, 10_000, 1).is_err());
        assert!(min_required(1, 0, 1).is_err());
        assert!(min_required(u16::MAX, u32::MAX, u64::MAX).is_err());
        // the u64 fast path gives the 128-bit formula's result (or refuses what exceeds u64)
        for (gpus, mult, base) in
            [(1, 10_000, u64::MAX), (u16::MAX, u32::MAX, 1 << 20), (3, 12_345, u64::MAX / 40_000), (2, 1, 7)]
        {
            let wide = (gpus as u128 * base as u128 * (mult as u128).max(10_000)).div_ceil(10_000);
            assert_eq!(min_required(gpus, mult, base).ok().map(u128::from), (wide <= u64::MAX as u128).then_some(wide));
        }
        // R1: the minimum follows the base in force, with no refresh
        let d = device(0);
        let mut e = env(10);
        assert_eq!(d.min_required(&e), 200 * IO);
        e.params.base_stake_per_gpu = 300 * IO;
        assert_eq!(d.min_required(&e), 300 * IO);
    }

    #[test]
    fn r4_r5_counted_stake_and_eligibility() {
        let mut d = device(100 * IO);
        assert_eq!(d.ineligibility(&env(10)), ineligible::BELOW_MINIMUM);
        d.owner_stake = 200 * IO;
        let (seq, costaker) = filled(&mut d, 10, 100 * IO);
        assert!(d.is_eligible(&env(10)));
        assert_eq!(d.counted_stake(10), 300 * IO);
        d.cancel(&env(20), seq, &costaker).unwrap();
        assert_eq!(d.counted_stake(119), 300 * IO);
        assert_eq!(d.counted_stake(120), 200 * IO);
        d.terminate(&env(130)).unwrap();
        assert_eq!(d.ineligibility(&env(130)) & ineligible::TERMINATED, ineligible::TERMINATED);
        assert_eq!(device(0).ineligibility(&env(1)), ineligible::NO_STAKE | ineligible::BELOW_MINIMUM);
    }

    #[test]
    fn r2_grace_keeps_previous_minimum_and_never_extends() {
        let mut d = device(200 * IO);
        d.set_hardware(&env(1_000), 2, 10_000).unwrap();
        assert_eq!(d.min_in_force(&env(1_099)), 200 * IO);
        assert_eq!(d.min_in_force(&env(1_100)), 400 * IO);
        d.set_hardware(&env(1_050), 3, 10_000).unwrap();
        assert_eq!(d.grace_end, 1_100);
        let mut short = device(100);
        short.set_hardware(&env(0), 2, 10_000).unwrap();
        assert_eq!(short.min_in_force(&env(0)), 400 * IO);
    }

    #[test]
    fn r6_stake_refused_when_terminated_or_unstaking_and_only_covers_while_paused() {
        let mut d = device(200 * IO);
        let (seq, costaker) = filled(&mut d, 10, 100 * IO);
        let mut e = env(20);
        e.paused = true;
        // paused, nothing to cover
        assert_eq!(d.stake(&e, 1).unwrap_err(), error!(StakingError::Paused));
        d.cancel(&e, seq, &costaker).unwrap();
        // the co-staker's wait runs: counted stake after it ends is 200 IO = minimum: nothing to cover
        assert_eq!(d.cover_allowance(&e), 0);
        e.params.base_stake_per_gpu = 250 * IO;
        assert_eq!(d.cover_allowance(&e), 50 * IO);
        assert_eq!(d.stake(&e, 50 * IO + 1).unwrap_err(), error!(StakingError::StakeExceedsCover));
        d.stake(&e, 50 * IO).unwrap();
        let mut t = device(200 * IO);
        t.terminate(&env(5)).unwrap();
        assert_eq!(t.stake(&env(6), 1).unwrap_err(), error!(StakingError::DeviceTerminated));
        let mut u = device(200 * IO);
        u.unstake(&env(5)).unwrap();
        assert_eq!(u.stake(&env(6), 1).unwrap_err(), error!(StakingError::DeviceUnstaking));
    }

    #[test]
    fn r9_r11_offer_checks() {
        let mut d = device(200 * IO);
        let e = env(10);
        assert_eq!(d.create_offer(&e, 201 * IO, 7_400).unwrap_err(), error!(StakingError::CostakeCapExceeded));
        assert_eq!(d.create_offer(&e, 100 * IO, 0).unwrap_err(), error!(StakingError::InvalidRewardShare));
        // min_offer_bps 1% of 200 IO = 2 IO
        assert_eq!(d.create_offer(&e, 2 * IO - 1, 7_400).unwrap_err(), error!(StakingError::OfferTooSmall));
        d.hold_until = 20;
        d.hold_incident_start = 10;
        assert_eq!(d.create_offer(&e, 2 * IO, 7_400).unwrap_err(), error!(StakingError::DeviceOnHold));
        let seq = d.create_offer(&env(20), 2 * IO, 7_400).unwrap();
        assert_eq!(d.create_offer(&env(20), 2 * IO, 7_400).unwrap_err(), error!(StakingError::OpenOfferExists));
        // R11: the caps in force at fill
        let mut tighter = env(21);
        tighter.params.max_costake_bps = 50;
        assert_eq!(
            d.fill(&tighter, seq, Pubkey::new_unique(), 2 * IO, 7_400).unwrap_err(),
            error!(StakingError::CostakeCapExceeded)
        );
        assert_eq!(d.fill(&env(21), seq, d.owner, 2 * IO, 7_400).unwrap_err(), error!(StakingError::OwnerCannotCostake));
        d.fill(&env(21), seq, Pubkey::new_unique(), 2 * IO, 7_400).unwrap();
        assert_eq!(d.create_offer(&env(22), 2 * IO, 7_400).unwrap_err(), error!(StakingError::PositionAlreadyFilled));
    }

    #[test]
    fn r9_table_of_eight_slots() {
        let mut d = device(200 * IO);
        for i in 0..MAX_POSITIONS as i64 {
            let (seq, costaker) = filled(&mut d, 10 + i, 2 * IO);
            d.cancel(&env(10 + i), seq, &costaker).unwrap();
        }
        assert_eq!(d.create_offer(&env(20), 2 * IO, 7_400).unwrap_err(), error!(StakingError::NoFreePositionSlot));
        // the first is ripe at 10 + 100 + 200: withdrawing it frees its slot
        d.take_ripe_position(&env(310), 0).unwrap();
        d.create_offer(&env(310), 2 * IO, 7_400).unwrap();
    }

    #[test]
    fn r12_owner_overflow_respects_minimum_cap_own_stake_and_hold() {
        let mut d = device(300 * IO);
        filled(&mut d, 10, 100 * IO);
        let e = env(20);
        // 300 + 100 - 200 = 200 over the minimum; the cap needs owner >= 100: 200
        assert_eq!(d.owner_principal_overflow(&e), 200 * IO);
        d.owner_rewards = 5;
        assert_eq!(d.withdraw_overflow(&e, 7).unwrap(), (5, 2));
        assert_eq!(d.withdraw_overflow(&e, 200 * IO).unwrap_err(), error!(StakingError::ExceedsOverflow));
        d.hold_until = 30;
        d.hold_incident_start = 20;
        assert_eq!(d.owner_overflow(&e), 0);
        assert_eq!(d.withdraw_overflow(&e, 1).unwrap_err(), error!(StakingError::DeviceOnHold));
    }

    /// Finding 1: a co-staker who cancels after a block ended is still credited for it, however
    /// late it is paid; a withdrawn position's part is not paid at all.
    #[test]
    fn r20_r21_late_block_credits_the_position_that_earned_it() {
        let mut d = device(200 * IO);
        let (seq, costaker) = filled(&mut d, 10, 100 * IO);
        d.cancel(&env(500), seq, &costaker).unwrap();
        let BlockOutcome::Paid(pay) = d.pay_block(100, 400, 1_000).unwrap() else { panic!() };
        assert_eq!((pay.position_seq, pay.position_part, pay.owner_part, pay.transfer), (Some(seq), 740, 260, 1_000));
        assert_eq!(d.position(seq).unwrap().rewards, 740);
        // the same block again: skipped, nothing recorded
        assert_eq!(d.pay_block(100, 400, 1_000).unwrap(), BlockOutcome::Skipped(skip::ALREADY_PAID));
        // a block that overlaps the cancel: the owner's alone
        let BlockOutcome::Paid(pay) = d.pay_block(400, 600, 1_000).unwrap() else { panic!() };
        assert_eq!((pay.position_seq, pay.owner_part), (None, 1_000));
        // withdrawn before a block it earned is paid: that part is not moved
        let mut d = device(200 * IO);
        let (seq, costaker) = filled(&mut d, 10, 100 * IO);
        d.cancel(&env(500), seq, &costaker).unwrap();
        d.take_ripe_position(&env(800), seq).unwrap();
        let BlockOutcome::Paid(pay) = d.pay_block(100, 400, 1_000).unwrap() else { panic!() };
        assert_eq!((pay.position_seq, pay.position_left, pay.owner_part, pay.transfer), (Some(seq), true, 260, 260));
    }

    /// G4: a fifth withdrawn position a late block may name drops the first one's record; the
    /// blocks the first one earned are then skipped, never paid to the owner with its part.
    #[test]
    fn r21_g4_a_dropped_departed_record_never_hands_its_part_to_the_owner() {
        let mut d = device(200 * IO);
        let mut lives = vec![];
        for i in 0..=DEPARTED_RECORDS as i64 {
            let (seq, costaker) = filled(&mut d, 10 + 20 * i, 100 * IO);
            d.cancel(&env(20 + 20 * i), seq, &costaker).unwrap();
            lives.push((seq, 10 + 20 * i, 20 + 20 * i));
        }
        for &(seq, _, _) in &lives {
            d.take_ripe_position(&env(1_000), seq).unwrap();
        }
        let (_, filled_at, stopped_at) = lives[0];
        assert_eq!(d.last_paid_end, stopped_at);
        assert_eq!(d.pay_block(filled_at, stopped_at, 1_000).unwrap(), BlockOutcome::Skipped(skip::ALREADY_PAID));
        let (seq, filled_at, stopped_at) = lives[1];
        let BlockOutcome::Paid(pay) = d.pay_block(filled_at, stopped_at, 1_000).unwrap() else { panic!() };
        assert_eq!((pay.position_seq, pay.position_left, pay.owner_part, pay.transfer), (Some(seq), true, 260, 260));
    }

    #[test]
    fn r20_skips_on_recorded_facts() {
        let mut d = device(200 * IO);
        assert_eq!(d.pay_block(0, 10, 5).unwrap(), BlockOutcome::Skipped(skip::NOT_REGISTERED));
        assert_eq!(d.pay_block(10, 20, 0).unwrap(), BlockOutcome::Skipped(skip::ZERO_AMOUNT));
        assert_eq!(d.last_paid_end, 20);
        d.unstake(&env(30)).unwrap();
        assert!(matches!(d.pay_block(20, 30, 5).unwrap(), BlockOutcome::Paid(_)));
        assert_eq!(d.pay_block(30, 40, 5).unwrap(), BlockOutcome::Skipped(skip::UNSTAKING));
        let mut t = device(200 * IO);
        t.terminate(&env(50)).unwrap();
        assert_eq!(t.pay_block(50, 60, 5).unwrap(), BlockOutcome::Skipped(skip::TERMINATED));
    }

    /// Finding 5: the owner's unstake re-caps every position in the table, including exits whose wait has ended.
    #[test]
    fn r15_unstake_recaps_every_position() {
        let mut d = device(200 * IO);
        let (seq, costaker) = filled(&mut d, 10, 100 * IO);
        let mut long = env(20);
        long.params.cooldown_secs = 10_000;
        d.cancel(&long, seq, &costaker).unwrap(); // wait ends 120, unlock 10_120
        let (seq2, _) = filled(&mut d, 130, 100 * IO);
        let out = d.unstake(&env(150)).unwrap();
        assert_eq!(out.unlock_at, 350);
        assert_eq!(out.stopped.map(|s| s.0), Some(seq2));
        assert_eq!(out.positions_recapped, 2);
        for p in d.positions.iter().filter(|p| p.is_used()) {
            assert!(p.unlock_at <= 350 && p.wait_end <= 150);
        }
        assert_eq!(d.counted_stake(150), 0);
        assert_eq!(d.unstake(&env(151)).unwrap_err(), error!(StakingError::DeviceUnstaking));
        let mut hired = device(200 * IO);
        hired.set_hired(&env(1), 100).unwrap();
        assert_eq!(hired.unstake(&env(50)).unwrap_err(), error!(StakingError::DeviceHired));
        // a hired mark set before the oracle's revocation no longer counts
        let mut revoked = env(50);
        revoked.oracle_revoked_at = 1;
        hired.unstake(&revoked).unwrap();
    }

    /// Finding 2: holds cannot be chained; a ripe ticket is not newly frozen.
    #[test]
    fn r41_holds_are_bounded_in_any_thirty_days() {
        let mut d = device(200 * IO);
        d.hold(&env(100), 150).unwrap();
        assert_eq!(d.hold(&env(120), 151).unwrap_err(), error!(StakingError::HoldTooLong));
        d.hold(&env(120), 150).unwrap();
        // at the second the hold ends a new hold is a new incident: refused for 30 days
        assert_eq!(d.hold(&env(150), 190).unwrap_err(), error!(StakingError::HoldIncidentTooSoon));
        let later = 100 + SLASH_WINDOW_SECS;
        assert_eq!(d.hold(&env(later), later + 50).unwrap(), later);
        // a ripe ticket is not newly frozen
        let mut t = device(200 * IO);
        t.unstake(&env(10)).unwrap(); // ripe at 210
        t.hold(&env(300), 340).unwrap();
        t.withdraw_ticket(&env(300)).unwrap();
        let mut u = device(200 * IO);
        u.unstake(&env(10)).unwrap();
        u.hold(&env(200), 240).unwrap();
        assert_eq!(u.withdraw_ticket(&env(220)).unwrap_err(), error!(StakingError::DeviceOnHold));
        u.withdraw_ticket(&env(240)).unwrap();
        // a revoked slash authority's hold ends
        let mut v = device(200 * IO);
        v.unstake(&env(10)).unwrap();
        v.hold(&env(200), 240).unwrap();
        let mut revoked = env(220);
        revoked.slash_revoked_at = 215;
        v.withdraw_ticket(&revoked).unwrap();
    }

    /// R41, G2, G3: a longer max_hold_secs applied during an incident never lengthens it: the
    /// incident's reach is fixed at its start.
    #[test]
    fn r41_g3_an_incident_reach_is_fixed_at_its_start() {
        let mut d = device(200 * IO);
        d.unstake(&env(10)).unwrap(); // ripe at 210
        d.hold(&env(200), 220).unwrap(); // reach 250
        let mut longer = env(240);
        longer.params.max_hold_secs = 7 * DAY;
        assert_eq!(d.hold(&longer, 251).unwrap_err(), error!(StakingError::HoldTooLong));
        d.hold(&longer, 250).unwrap();
        longer.now = 250;
        d.withdraw_ticket(&longer).unwrap();
        // after the reach a new hold is a new incident: refused for 30 days
        assert_eq!(d.hold(&longer, 300).unwrap_err(), error!(StakingError::HoldIncidentTooSoon));
    }

    /// Finding 4: a held ticket is slashable, the owner first, the positions pro rata, each capped.
    #[test]
    fn r40_owner_first_then_positions_pro_rata_each_capped() {
        let mut d = device(200 * IO);
        filled(&mut d, 10, 100 * IO);
        let e = env(20);
        // owner cap 100 IO; then positions: 100 IO cap 50 IO
        let out = d.slash(&e, 300 * IO, 15).unwrap();
        assert_eq!((out.from_owner_stake, out.from_ticket), (100 * IO, 0));
        assert_eq!(out.from_positions, vec![(0, 50 * IO)]);
        assert_eq!(out.total, 150 * IO);
        assert_eq!(d.slash(&env(21), 1, 15).unwrap_err(), error!(StakingError::NothingToSlash));
        // a held ripe ticket created after the incident is slashable; positions that left before the incident are not
        let mut t = device(200 * IO);
        let (seq, costaker) = filled(&mut t, 10, 100 * IO);
        t.cancel(&env(11), seq, &costaker).unwrap(); // stops counting at 111
        t.unstake(&env(150)).unwrap(); // ticket ripe at 350
        t.hold(&env(340), 390).unwrap();
        let out = t.slash(&env(360), 500 * IO, 120).unwrap();
        assert_eq!((out.from_owner_stake, out.from_ticket, out.from_positions.len()), (0, 100 * IO, 0));
        // incident after the hold's start is refused; older than 30 days too
        assert_eq!(t.slash(&env(360), 1, 341).unwrap_err(), error!(StakingError::IncidentOutOfRange));
        assert_eq!(t.slash(&env(SLASH_WINDOW_SECS + 120), 1, 120).unwrap_err(), error!(StakingError::IncidentOutOfRange));
    }

    /// R51, R53: an incident time at the extremes is refused by name, without an overflow.
    #[test]
    fn r40_extreme_incident_times_are_refused_without_overflow() {
        let mut d = device(200 * IO);
        for incident_at in [i64::MIN, -1, 0, 11, i64::MAX] {
            assert_eq!(d.slash(&env(10), 1, incident_at).unwrap_err(), error!(StakingError::IncidentOutOfRange), "{incident_at}");
        }
    }

    /// Finding 6 (state side): closing keeps the counters and the last paid block for the revival.
    #[test]
    fn r3_r8_tombstone_carries_counters_and_paid_blocks() {
        let mut d = device(200 * IO);
        let seq = d.create_offer(&env(10), 2 * IO, 7_400).unwrap();
        d.retract_offer(seq).unwrap();
        assert!(matches!(d.pay_block(50, 100, 5).unwrap(), BlockOutcome::Paid(_)));
        assert_eq!(d.close(&env(200)).unwrap_err(), error!(StakingError::DeviceNotEmpty));
        d.owner_stake = 0;
        d.owner_rewards = 0;
        let tomb = d.close(&env(200)).unwrap();
        let mut revived = Device::register(&registration(Pubkey::new_unique()), &env(300), Some(&tomb)).unwrap();
        assert_eq!(revived.next_offer_seq, 1);
        assert_eq!(revived.pay_block(50, 100, 5).unwrap(), BlockOutcome::Skipped(skip::ALREADY_PAID));
        assert_eq!(revived.pay_block(100, 400, 5).unwrap(), BlockOutcome::Skipped(skip::NOT_REGISTERED));
    }

    #[test]
    fn r19_transfer_moves_the_owner_within_seven_days() {
        let mut d = device(200 * IO);
        let (_, costaker) = filled(&mut d, 10, 100 * IO);
        assert_eq!(d.propose_transfer(&env(20), costaker).unwrap_err(), error!(StakingError::NewOwnerHoldsPosition));
        let new = Pubkey::new_unique();
        d.propose_transfer(&env(20), new).unwrap();
        assert_eq!(d.accept_transfer(&env(21), &costaker).unwrap_err(), error!(StakingError::NotPendingKey));
        assert_eq!(d.accept_transfer(&env(20 + TRANSFER_WINDOW_SECS), &new).unwrap_err(), error!(StakingError::TransferExpired));
        d.accept_transfer(&env(21), &new).unwrap();
        assert_eq!((d.owner, d.payer, d.owner_stake), (new, new, 200 * IO));
    }
}
