//! A plain-Rust model of the protocol of docs/protocol.md (v2), written from the rules and not
//! from the program: the config (roles with their pending grants, parameters with their pending
//! set, floors, revocation times, pause), devices with their position table and departed
//! positions, the owner's ticket, tombstones, offers and escrows, co-staker profiles, rewards
//! (R20 skips and time order, R21 split), slashing (R40 owner first, pro rata, per-staker rolling
//! caps), holds (R41), and the balance of every token account involved.
//!
//! [`Model::apply`] predicts what an [`Op`] does: `Ok` with the new state, or the name of the
//! error the program must refuse it with (the state is then unchanged). Where the rules leave a
//! choice open, the model follows the choices the program documents:
//! - accounts are checked before the instruction's own rules: a closed device's tombstone where a
//!   device is expected (`AccountDiscriminatorMismatch`), a missing offer, ticket or profile
//!   (zero-copy accounts: `AccountOwnedByWrongProgram`) or a missing escrow
//!   (`AccountNotInitialized`) comes first, then the account constraints in the order the
//!   instruction lists its accounts (the signer's role first), then the rules in the order the
//!   rule text lists them;
//! - a position takes the first free slot of the table; a withdrawn or released position that a
//!   later block may still name is remembered in one of [`DEPARTED_RECORDS`] records (a record
//!   no block can name any more is reused first, else the one that stopped first is dropped and
//!   the device's last paid end moves to its stop: the blocks it earned are skipped from then);
//! - each staker's slashes are remembered in a few records ([`OWNER_SLASH_RECORDS`] for the
//!   owner's stake, [`POSITION_SLASH_RECORDS`] per position): when all still count, the two
//!   oldest merge at the later one's time (the cap can only get stricter).
use crate::client::device_staking::state::{Floors, Params, Role};
use crate::client::pda;
use anchor_lang::prelude::Pubkey;
use std::collections::BTreeMap;

/// Basis points in one whole.
const BPS: u128 = 10_000;
/// Seconds in a day.
const DAY: i64 = 86_400;
/// The slashing window, an incident's reach back and the spacing of hold incidents (R40, R41).
pub const SLASH_WINDOW_SECS: i64 = 30 * DAY;
/// The longest hired mark (R7).
pub const MAX_HIRED_SECS: i64 = 30 * DAY;
/// How long a proposed device transfer may be accepted (R19).
pub const TRANSFER_WINDOW_SECS: i64 = 7 * DAY;
/// Slots of a device's position table.
pub const POSITION_SLOTS: usize = 8;
/// Withdrawn or released positions a device remembers for late blocks (R21).
pub const DEPARTED_RECORDS: usize = 4;
/// Slash records of the owner's stake (R40).
pub const OWNER_SLASH_RECORDS: usize = 4;
/// Slash records of a position (R40).
pub const POSITION_SLASH_RECORDS: usize = 2;
/// `RewardSkipped.reason` of a block that starts before the last paid or recorded end (R20).
pub const SKIP_ALREADY_PAID: u8 = 1;

/// What the model predicts: `Ok`, or the name of the program's error.
pub type Outcome = Result<(), &'static str>;

/// `ok` or the refusal `error`.
fn require(ok: bool, error: &'static str) -> Outcome {
    if ok {
        Ok(())
    } else {
        Err(error)
    }
}

/// `floor(amount * bps / 10_000)`.
pub fn bps_floor(amount: u64, bps: u16) -> u64 {
    (amount as u128 * bps as u128 / BPS) as u64
}

/// `ceil(gpu_count * base * max(10_000, multiplier_bps) / 10_000)` (R1), `None` beyond u64 or
/// for an empty hardware.
pub fn minimum(gpu_count: u16, multiplier_bps: u32, base_stake_per_gpu: u64) -> Option<u64> {
    if gpu_count == 0 || multiplier_bps == 0 {
        return None;
    }
    let product = gpu_count as u128 * base_stake_per_gpu as u128 * (multiplier_bps as u128).max(BPS);
    u64::try_from(product.div_ceil(BPS)).ok()
}

/// Whether `p` is within the hard bounds of the parameter table and above the floors (R30, R33).
pub fn within_bounds(p: &Params, floors: &Floors) -> bool {
    p.base_stake_per_gpu > 0
        && (floors.cover_window_secs..=14 * DAY).contains(&p.cover_window_secs)
        && (floors.cooldown_secs..=30 * DAY).contains(&p.cooldown_secs)
        && (1..=5_000).contains(&p.max_costake_bps)
        && p.max_active_costakes >= 1
        && p.max_reward_share_bps <= 10_000
        && (1..=5_000).contains(&p.min_offer_bps)
        && p.max_slash_bps_per_30d <= 10_000
        && (1..=7 * DAY).contains(&p.max_hold_secs)
        && (floors.role_change_delay_secs..=30 * DAY).contains(&p.role_change_delay_secs)
}

/// R34: how long a grant or loosening proposed under `p` waits.
pub fn change_delay(p: &Params) -> i64 {
    p.role_change_delay_secs.max(p.cover_window_secs + p.cooldown_secs).max(p.cooldown_secs + p.max_hold_secs) + 1
}

/// Whether `costake` stays within `bps` of `owner + costake` (R9, R11).
fn within_cap(owner: u64, costake: u64, bps: u16) -> bool {
    costake as u128 * BPS <= (owner as u128 + costake as u128) * bps as u128
}

/// One remembered slash (R40): `at == 0` is a free record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct MRecord {
    /// When.
    pub at: i64,
    /// How much.
    pub amount: u64,
}

impl MRecord {
    /// Whether it counts toward the cap at `now` (less than 30 days old).
    pub fn counts_at(&self, now: i64) -> bool {
        self.at != 0 && now - self.at < SLASH_WINDOW_SECS
    }
}

/// What the records of the last 30 days took.
pub fn recent(records: &[MRecord], now: i64) -> u64 {
    records.iter().filter(|r| r.counts_at(now)).map(|r| r.amount).sum()
}

/// R40: `bps` x (slashable + recent) - recent, at most the slashable principal.
pub fn allowance(records: &[MRecord], slashable: u64, bps: u16, now: i64) -> u64 {
    let r = recent(records, now);
    bps_floor(slashable + r, bps).saturating_sub(r).min(slashable)
}

/// R40: remembers a slash of `amount` at `now`: stale records are freed; when all still count,
/// the oldest merges into the next oldest.
pub fn record(records: &mut [MRecord], now: i64, amount: u64) {
    if amount == 0 {
        return;
    }
    for r in records.iter_mut().filter(|r| !r.counts_at(now)) {
        *r = MRecord::default();
    }
    records.sort_by_key(|r| if r.at == 0 { i64::MAX } else { r.at });
    let last = records.len() - 1;
    if records[last].at != 0 {
        if last == 0 {
            records[0] = MRecord { at: now, amount: records[0].amount + amount };
            return;
        }
        records[1].amount += records[0].amount;
        records.rotate_left(1);
        records[last] = MRecord::default();
    }
    let free = records.iter().position(|r| r.at == 0).unwrap_or(last);
    records[free] = MRecord { at: now, amount };
}

/// A role's key and its proposed successor (R31, R34).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MSlot {
    /// The key in force until the pending one takes over (default: none).
    pub current: Pubkey,
    /// The proposed key (default: none).
    pub pending: Pubkey,
    /// When the proposed key may take over (0: nothing proposed).
    pub effective_at: i64,
    /// Whether the proposed key accepted.
    pub accepted: bool,
}

impl MSlot {
    /// A slot holding `key` with nothing proposed.
    pub fn new(key: Pubkey) -> Self {
        Self { current: key, ..Self::default() }
    }

    /// The key in force at `now`.
    pub fn holder(&self, now: i64) -> Pubkey {
        if self.effective_at != 0 && self.accepted && now >= self.effective_at {
            self.pending
        } else {
            self.current
        }
    }

    /// Whether `key` holds the role at `now` (nobody holds a revoked role).
    pub fn is(&self, key: &Pubkey, now: i64) -> bool {
        let holder = self.holder(now);
        holder != Pubkey::default() && holder == *key
    }

    /// Folds a proposal already in force into `current`.
    fn settle(&mut self, now: i64) {
        self.current = self.holder(now);
        if self.current == self.pending && self.effective_at != 0 && self.accepted && now >= self.effective_at {
            *self = Self::new(self.current);
        }
    }
}

/// A co-stake position in its device's table (R9-R16).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MPosition {
    /// The offer's seq.
    pub seq: u64,
    /// The co-staker.
    pub costaker: Pubkey,
    /// Principal after slashing.
    pub principal: u64,
    /// Unclaimed rewards.
    pub rewards: u64,
    /// The reward share.
    pub share: u16,
    /// When it was filled.
    pub filled_at: i64,
    /// When it stopped earning (0 while filled).
    pub stopped_at: i64,
    /// Its principal counts until then (0 while filled).
    pub wait_end: i64,
    /// It may be withdrawn from then (0 while filled).
    pub unlock_at: i64,
    /// Its slash records.
    pub slashes: [MRecord; POSITION_SLASH_RECORDS],
}

impl MPosition {
    /// R4: whether its principal counts at `t`.
    pub fn counts_at(&self, t: i64) -> bool {
        self.filled_at <= t && (self.stopped_at == 0 || t < self.wait_end)
    }

    /// R16: whether it may be withdrawn at `now`.
    pub fn is_ripe(&self, now: i64) -> bool {
        self.stopped_at != 0 && now >= self.unlock_at
    }

    /// R21: whether it earned during `[start, end)`.
    pub fn earned(&self, start: i64, end: i64) -> bool {
        self.filled_at <= start && (self.stopped_at == 0 || self.stopped_at >= end)
    }
}

/// A withdrawn or released position a later block may name (R21).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct MDeparted {
    /// When it stopped earning (0: a free record).
    pub stopped_at: i64,
    /// Its seq.
    pub seq: u64,
    /// Its share.
    pub share: u16,
    /// When it was filled.
    pub filled_at: i64,
}

/// Where an offer account stands (R9-R16).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferStage {
    /// Waiting for a co-staker.
    Open,
    /// Filled: its position is in the device's table.
    Filled,
    /// Released: its tokens are in its escrow.
    Released,
}

/// An offer account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MOffer {
    /// Where it stands.
    pub stage: OfferStage,
    /// The frozen amount.
    pub amount: u64,
    /// The frozen share.
    pub share: u16,
    /// When it was created.
    pub created_at: i64,
    /// The co-staker once filled (default before).
    pub costaker: Pubkey,
    /// Who paid its rent.
    pub payer: Pubkey,
    /// Who paid the escrow's rent (default before a release).
    pub escrow_payer: Pubkey,
}

/// A device account, or the tombstone it shrinks to (R3, R8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MDevice {
    /// Live (a device) or closed (a tombstone).
    pub live: bool,
    /// The owner.
    pub owner: Pubkey,
    /// Who paid the device's rent.
    pub payer: Pubkey,
    /// When it was registered or revived.
    pub registered_at: i64,
    /// GPUs attested.
    pub gpu_count: u16,
    /// Multiplier attested.
    pub multiplier_bps: u32,
    /// The previous minimum during a grace (R2).
    pub grace_min: u64,
    /// End of the grace.
    pub grace_end: i64,
    /// The owner's stake.
    pub owner_stake: u64,
    /// The owner's unclaimed rewards.
    pub owner_rewards: u64,
    /// Hired until (R7).
    pub hired_until: i64,
    /// When the hired mark was set.
    pub hired_set_at: i64,
    /// When it was terminated (0: not).
    pub terminated_at: i64,
    /// When the owner unstaked (0: no ticket outstanding).
    pub unstaked_at: i64,
    /// The outstanding ticket's seq.
    pub ticket_seq: u64,
    /// The outstanding ticket's principal.
    pub ticket_principal: u64,
    /// The outstanding ticket's unlock.
    pub ticket_unlock_at: i64,
    /// Who paid the outstanding ticket's rent.
    pub ticket_payer: Pubkey,
    /// The open offer.
    pub open_offer: Option<u64>,
    /// The position table.
    pub positions: [Option<MPosition>; POSITION_SLOTS],
    /// Departed positions.
    pub departed: [MDeparted; DEPARTED_RECORDS],
    /// The next offer seq.
    pub next_offer_seq: u64,
    /// The next ticket seq.
    pub next_ticket_seq: u64,
    /// End of the last block paid or skipped with a record (R20).
    pub last_paid_end: i64,
    /// The running hold's end (R41).
    pub hold_until: i64,
    /// Start of the latest hold incident.
    pub hold_incident_start: i64,
    /// The furthest the latest incident's holds may reach: its start + max_hold_secs in force at
    /// its start (R41).
    pub hold_reach: i64,
    /// The owner stake's slash records.
    pub owner_slashes: [MRecord; OWNER_SLASH_RECORDS],
    /// A proposed new owner (default: none).
    pub pending_owner: Pubkey,
    /// When that proposal lapses.
    pub transfer_expires_at: i64,
}

/// The config facts the device rules read at one time.
#[derive(Clone, Copy, Debug)]
pub struct MEnv {
    /// The Clock.
    pub now: i64,
    /// The parameters in force.
    pub params: Params,
    /// Paused.
    pub paused: bool,
    /// When the oracle was last revoked.
    pub oracle_revoked_at: i64,
    /// When the slash authority was last revoked.
    pub slash_revoked_at: i64,
}

impl MDevice {
    /// R1: the minimum under the base in force (u64::MAX when it overflows).
    pub fn min_required(&self, env: &MEnv) -> u64 {
        minimum(self.gpu_count, self.multiplier_bps, env.params.base_stake_per_gpu).unwrap_or(u64::MAX)
    }

    /// R2: the minimum the device is judged against.
    pub fn min_in_force(&self, env: &MEnv) -> u64 {
        let min = self.min_required(env);
        if env.now < self.grace_end {
            self.grace_min.min(min)
        } else {
            min
        }
    }

    /// The positions of the table.
    pub fn used(&self) -> impl Iterator<Item = &MPosition> {
        self.positions.iter().flatten()
    }

    /// The filled position.
    pub fn filled(&self) -> Option<&MPosition> {
        self.used().find(|p| p.stopped_at == 0)
    }

    /// The position `seq` of the table.
    pub fn position(&self, seq: u64) -> Option<&MPosition> {
        self.used().find(|p| p.seq == seq)
    }

    /// Slot of the position `seq`, or `PositionNotFound`.
    fn slot(&self, seq: u64) -> Result<usize, &'static str> {
        self.positions.iter().position(|p| p.as_ref().is_some_and(|p| p.seq == seq)).ok_or("PositionNotFound")
    }

    /// R4: principal of the positions that count at `now`.
    pub fn costake_counted(&self, now: i64) -> u64 {
        self.used().filter(|p| p.counts_at(now)).map(|p| p.principal).sum()
    }

    /// R4.
    pub fn counted(&self, now: i64) -> u64 {
        self.owner_stake + self.costake_counted(now)
    }

    /// R5.
    pub fn eligible(&self, env: &MEnv) -> bool {
        let counted = self.counted(env.now);
        self.terminated_at == 0 && self.unstaked_at == 0 && counted > 0 && counted >= self.min_in_force(env)
    }

    /// R7, R34.
    pub fn hired(&self, env: &MEnv) -> bool {
        env.now < self.hired_until && self.hired_set_at > env.oracle_revoked_at && self.terminated_at == 0
    }

    /// R41, R34.
    pub fn held(&self, env: &MEnv) -> bool {
        env.now < self.hold_until && self.hold_incident_start > env.slash_revoked_at
    }

    /// R41: the ticket waits for the hold when it was not ripe at the incident's start.
    pub fn ticket_held(&self, env: &MEnv) -> bool {
        self.unstaked_at != 0 && self.held(env) && self.ticket_unlock_at > self.hold_incident_start
    }

    /// R12: the owner's principal overflow (0 while held).
    pub fn principal_overflow(&self, env: &MEnv) -> u64 {
        if self.held(env) {
            return 0;
        }
        let costake = self.costake_counted(env.now) as u128;
        let owner = self.owner_stake as u128;
        let filled = self.filled().map_or(0, |p| p.principal) as u128;
        let above_min = (owner + filled).saturating_sub(self.min_required(env) as u128);
        let keep = (costake * BPS).div_ceil(env.params.max_costake_bps.max(1) as u128);
        let above_cap = (owner + costake).saturating_sub(keep);
        above_min.min(above_cap).min(owner) as u64
    }

    /// R6: while paused, what the owner may still stake to cover a running wait or grace.
    pub fn cover_allowance(&self, env: &MEnv) -> u64 {
        let wait = self.used().any(|p| p.stopped_at != 0 && env.now < p.wait_end);
        if !(wait || env.now < self.grace_end) {
            return 0;
        }
        let after = self.owner_stake + self.filled().map_or(0, |p| p.principal);
        self.min_required(env).saturating_sub(after)
    }

    /// Every unwithdrawn principal (R52).
    pub fn principal(&self) -> u64 {
        self.owner_stake + self.ticket_principal + self.used().map(|p| p.principal).sum::<u64>()
    }

    /// Every unclaimed reward (R52).
    pub fn rewards(&self) -> u64 {
        self.owner_rewards + self.used().map(|p| p.rewards).sum::<u64>()
    }

    /// R19: the checks of both transfer steps.
    fn transferable(&self, env: &MEnv, new_owner: &Pubkey) -> Outcome {
        require(self.unstaked_at == 0, "DeviceUnstaking")?;
        require(self.open_offer.is_none(), "OpenOfferExists")?;
        require(!self.held(env), "DeviceOnHold")?;
        require(*new_owner != self.owner && *new_owner != Pubkey::default(), "InvalidNewOwner")?;
        require(!self.used().any(|p| p.costaker == *new_owner), "NewOwnerHoldsPosition")
    }
}

/// An operation on the protocol. `by` is the signer claiming the role the instruction needs.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Moves the Clock to this unix time.
    WarpTo(i64),
    /// Mints `amount` new tokens to the token account `to` (the test world topping up).
    MintTo { to: Pubkey, amount: u64 },
    /// `register_device` (R3) of `device_id`, co-signed by `oracle`.
    RegisterDevice { device_id: [u8; 32], owner: Pubkey, oracle: Pubkey, gpu_count: u16, multiplier_bps: u32 },
    /// `stake` (R6) from `by`'s token account.
    Stake { device: Pubkey, by: Pubkey, amount: u64 },
    /// `create_offer` (R9).
    CreateOffer { device: Pubkey, by: Pubkey, amount: u64, share: u16 },
    /// `retract_offer` (R10).
    RetractOffer { device: Pubkey, by: Pubkey, seq: u64 },
    /// `fill_offer` (R11) on the restated terms.
    FillOffer { device: Pubkey, costaker: Pubkey, seq: u64, amount: u64, share: u16 },
    /// `cancel_costake` (R13).
    CancelCostake { device: Pubkey, costaker: Pubkey, seq: u64 },
    /// `claim_rewards` (R12) to `costaker`'s token account.
    ClaimRewards { device: Pubkey, costaker: Pubkey, seq: u64 },
    /// `withdraw_overflow` (R12) to `by`'s token account.
    WithdrawOverflow { device: Pubkey, by: Pubkey, amount: u64 },
    /// `unstake` (R15).
    Unstake { device: Pubkey, by: Pubkey },
    /// `withdraw_ticket` (R16) of the outstanding ticket, sent by `caller` (the owner pays to
    /// their token account, anyone else to the owner's).
    WithdrawTicket { device: Pubkey, caller: Pubkey },
    /// `withdraw_position` (R16) of offer `seq`, sent by `caller`.
    WithdrawPosition { device: Pubkey, seq: u64, caller: Pubkey },
    /// `release` (R16) of offer `seq` into its escrow, sent by `caller`.
    Release { device: Pubkey, seq: u64, caller: Pubkey },
    /// `withdraw_escrow` (R16) of offer `seq` by `costaker` to their token account.
    WithdrawEscrow { device: Pubkey, seq: u64, costaker: Pubkey },
    /// `distribute_rewards` (R20) of one block to `(device, amount)` entries.
    DistributeRewards { by: Pubkey, block_id: u64, block_start: i64, block_end: i64, entries: Vec<(Pubkey, u64)> },
    /// `slash` (R40) to `treasury`'s associated token account.
    Slash { device: Pubkey, by: Pubkey, treasury: Pubkey, amount: u64, incident_at: i64 },
    /// `hold` (R41).
    Hold { device: Pubkey, by: Pubkey, until: i64 },
    /// `set_hired` (R7).
    SetHired { device: Pubkey, by: Pubkey, until: i64 },
    /// `terminate` (R7).
    Terminate { device: Pubkey, by: Pubkey },
    /// `update_hardware` (R2).
    UpdateHardware { device: Pubkey, by: Pubkey, gpu_count: u16, multiplier_bps: u32 },
    /// `set_paused` (R32).
    SetPaused { by: Pubkey, paused: bool },
    /// `update_params` (R33).
    UpdateParams { by: Pubkey, params: Params },
    /// `cancel_params` (R31).
    CancelParams { by: Pubkey },
    /// `lower_slash_cap` (R34).
    LowerSlashCap { by: Pubkey, bps: u16 },
    /// `propose_role` (R31).
    ProposeRole { by: Pubkey, role: Role, key: Pubkey },
    /// `accept_role` (R31) signed by `by`.
    AcceptRole { by: Pubkey, role: Role },
    /// `cancel_role` (R31).
    CancelRole { by: Pubkey, role: Role },
    /// `revoke_role` (R34).
    RevokeRole { by: Pubkey, role: Role },
    /// `close_device` (R8), paying donated leftovers to `treasury`'s token account.
    CloseDevice { device: Pubkey, by: Pubkey, treasury: Pubkey },
    /// `close_profile` (R18).
    CloseProfile { wallet: Pubkey },
    /// `transfer_device` (R19).
    TransferDevice { device: Pubkey, by: Pubkey, new_owner: Pubkey },
    /// `cancel_transfer` (R19).
    CancelTransfer { device: Pubkey, by: Pubkey },
    /// `accept_device` (R19).
    AcceptDevice { device: Pubkey, by: Pubkey },
}

impl Op {
    /// The instruction's name (`advance` for a clock move, `mint_to` for new tokens).
    pub fn name(&self) -> &'static str {
        match self {
            Op::WarpTo(_) => "advance",
            Op::MintTo { .. } => "mint_to",
            Op::RegisterDevice { .. } => "register_device",
            Op::Stake { .. } => "stake",
            Op::CreateOffer { .. } => "create_offer",
            Op::RetractOffer { .. } => "retract_offer",
            Op::FillOffer { .. } => "fill_offer",
            Op::CancelCostake { .. } => "cancel_costake",
            Op::ClaimRewards { .. } => "claim_rewards",
            Op::WithdrawOverflow { .. } => "withdraw_overflow",
            Op::Unstake { .. } => "unstake",
            Op::WithdrawTicket { .. } => "withdraw_ticket",
            Op::WithdrawPosition { .. } => "withdraw_position",
            Op::Release { .. } => "release",
            Op::WithdrawEscrow { .. } => "withdraw_escrow",
            Op::DistributeRewards { .. } => "distribute_rewards",
            Op::Slash { .. } => "slash",
            Op::Hold { .. } => "hold",
            Op::SetHired { .. } => "set_hired",
            Op::Terminate { .. } => "terminate",
            Op::UpdateHardware { .. } => "update_hardware",
            Op::SetPaused { .. } => "set_paused",
            Op::UpdateParams { .. } => "update_params",
            Op::CancelParams { .. } => "cancel_params",
            Op::LowerSlashCap { .. } => "lower_slash_cap",
            Op::ProposeRole { .. } => "propose_role",
            Op::AcceptRole { .. } => "accept_role",
            Op::CancelRole { .. } => "cancel_role",
            Op::RevokeRole { .. } => "revoke_role",
            Op::CloseDevice { .. } => "close_device",
            Op::CloseProfile { .. } => "close_profile",
            Op::TransferDevice { .. } => "transfer_device",
            Op::CancelTransfer { .. } => "cancel_transfer",
            Op::AcceptDevice { .. } => "accept_device",
        }
    }
}

/// The index of `role` in [`Model::roles`].
pub fn role_index(role: Role) -> usize {
    match role {
        Role::Admin => 0,
        Role::Oracle => 1,
        Role::RewardAuthority => 2,
        Role::SlashAuthority => 3,
        Role::Treasury => 4,
    }
}

/// The whole protocol state as the rules describe it.
#[derive(Clone, Debug)]
pub struct Model {
    /// The Clock.
    pub now: i64,
    /// The floors fixed at initialize.
    pub floors: Floors,
    /// The parameters in force until the pending set applies.
    pub params: Params,
    /// The pending parameter set (meaningful while `params_effective_at` != 0).
    pub pending_params: Params,
    /// When the pending set applies (0: none).
    pub params_effective_at: i64,
    /// Whether the pausable actions are paused (R32).
    pub paused: bool,
    /// Admin, oracle, reward authority, slash authority, treasury.
    pub roles: [MSlot; 5],
    /// When the oracle was last revoked.
    pub oracle_revoked_at: i64,
    /// When the slash authority was last revoked.
    pub slash_revoked_at: i64,
    /// Every wallet's token account (role keys included: reward sources, treasury accounts).
    pub token_of: BTreeMap<Pubkey, Pubkey>,
    /// The balance of every token account the model knows.
    pub balances: BTreeMap<Pubkey, u64>,
    /// Devices and tombstones.
    pub devices: BTreeMap<Pubkey, MDevice>,
    /// Offer accounts that exist, by (device, seq).
    pub offers: BTreeMap<(Pubkey, u64), MOffer>,
    /// Co-staker profiles that exist: filled positions counted.
    pub profiles: BTreeMap<Pubkey, u8>,
}

impl Model {
    /// A fresh deployment at `now` with `floors`, `params` and the role keys (admin, oracle,
    /// reward authority, slash authority, treasury).
    pub fn new(now: i64, floors: Floors, params: Params, roles: [Pubkey; 5]) -> Self {
        Self {
            now,
            floors,
            params,
            pending_params: params,
            params_effective_at: 0,
            paused: false,
            roles: roles.map(MSlot::new),
            oracle_revoked_at: 0,
            slash_revoked_at: 0,
            token_of: BTreeMap::new(),
            balances: BTreeMap::new(),
            devices: BTreeMap::new(),
            offers: BTreeMap::new(),
            profiles: BTreeMap::new(),
        }
    }

    /// Records `wallet`'s token account `token` holding `balance`.
    pub fn add_wallet(&mut self, wallet: Pubkey, token: Pubkey, balance: u64) {
        self.token_of.insert(wallet, token);
        self.balances.insert(token, balance);
    }

    /// The parameters in force at `t` (a pending set applies by time alone).
    pub fn params_at(&self, t: i64) -> Params {
        if self.params_effective_at != 0 && t >= self.params_effective_at {
            self.pending_params
        } else {
            self.params
        }
    }

    /// The config facts the device rules read now.
    pub fn env(&self) -> MEnv {
        MEnv {
            now: self.now,
            params: self.params_at(self.now),
            paused: self.paused,
            oracle_revoked_at: self.oracle_revoked_at,
            slash_revoked_at: self.slash_revoked_at,
        }
    }

    /// The key holding `role` now (default: nobody).
    pub fn holder(&self, role: Role) -> Pubkey {
        self.roles[role_index(role)].holder(self.now)
    }

    /// Whether `key` holds `role` now.
    pub fn is(&self, role: Role, key: &Pubkey) -> bool {
        self.roles[role_index(role)].is(key, self.now)
    }

    /// The device at `key` (panics when unknown).
    pub fn device(&self, key: &Pubkey) -> &MDevice {
        self.devices.get(key).unwrap_or_else(|| panic!("no device {key} in the model"))
    }

    /// Predicts `op`: on `Ok` the model moves to the new state, on a refusal it stays unchanged.
    pub fn apply(&mut self, op: &Op) -> Outcome {
        let mut next = self.clone();
        next.step(op)?;
        *self = next;
        Ok(())
    }

    /// The live device at `key`, or the refusal of an account that is not one: a tombstone
    /// (`AccountDiscriminatorMismatch`) or nothing (`AccountNotInitialized`).
    fn live(&self, key: &Pubkey) -> Result<MDevice, &'static str> {
        match self.devices.get(key) {
            Some(d) if d.live => Ok(d.clone()),
            Some(_) => Err("AccountDiscriminatorMismatch"),
            None => Err("AccountNotInitialized"),
        }
    }

    /// The device at `key`, to change it.
    fn dev(&mut self, key: &Pubkey) -> &mut MDevice {
        self.devices.get_mut(key).unwrap_or_else(|| panic!("no device {key} in the model"))
    }

    /// The offer account `(device, seq)`, or `AccountOwnedByWrongProgram` (a missing zero-copy
    /// account: its owner is checked first).
    fn offer(&self, device: &Pubkey, seq: u64) -> Result<MOffer, &'static str> {
        self.offers.get(&(*device, seq)).cloned().ok_or("AccountOwnedByWrongProgram")
    }

    /// Moves `amount` between two token accounts; the token program refuses an overdraft.
    fn transfer(&mut self, from: Pubkey, to: Pubkey, amount: u64) -> Outcome {
        if amount == 0 {
            return Ok(());
        }
        let balance = self.balances.get_mut(&from).unwrap_or_else(|| panic!("unknown token account {from}"));
        require(*balance >= amount, "InsufficientFunds")?;
        *balance -= amount;
        *self.balances.entry(to).or_insert(0) += amount;
        Ok(())
    }

    /// `wallet`'s token account.
    fn token(&self, wallet: &Pubkey) -> Pubkey {
        *self.token_of.get(wallet).unwrap_or_else(|| panic!("wallet {wallet} has no token account in the model"))
    }

    /// Folds a pending parameter set already in force into `params`.
    fn settle_params(&mut self) {
        self.params = self.params_at(self.now);
        if self.params_effective_at != 0 && self.now >= self.params_effective_at {
            self.params_effective_at = 0;
        }
    }

    /// R16: position `seq` leaves the table (withdrawn or released); remembered while a later
    /// block may still name it. Returns it.
    fn take_ripe(&mut self, device: &Pubkey, seq: u64) -> Result<MPosition, &'static str> {
        let now = self.now;
        let d = self.dev(device);
        let i = d.slot(seq)?;
        let p = d.positions[i].clone().expect("used");
        require(p.stopped_at != 0, "PositionNotExiting")?;
        require(p.is_ripe(now), "StillLocked")?;
        d.positions[i] = None;
        if p.stopped_at > d.last_paid_end {
            let last = d.last_paid_end;
            let k = match d.departed.iter().position(|r| r.stopped_at <= last) {
                Some(k) => k,
                None => {
                    // every record may still be named: the first to stop is dropped, and the
                    // blocks it earned can be paid no more (G4)
                    let k = (0..DEPARTED_RECORDS).min_by_key(|&k| d.departed[k].stopped_at).unwrap_or(0);
                    d.last_paid_end = d.departed[k].stopped_at;
                    k
                }
            };
            d.departed[k] = MDeparted { stopped_at: p.stopped_at, seq: p.seq, share: p.share, filled_at: p.filled_at };
        }
        Ok(p)
    }

    fn step(&mut self, op: &Op) -> Outcome {
        let now = self.now;
        let env = self.env();
        let p = env.params;
        match op.clone() {
            Op::WarpTo(t) => {
                self.now = t;
                Ok(())
            }
            Op::MintTo { to, amount } => {
                *self.balances.entry(to).or_insert(0) += amount;
                Ok(())
            }
            Op::RegisterDevice { device_id, owner, oracle, gpu_count, multiplier_bps } => {
                let key = pda::device(&device_id).0;
                require(self.is(Role::Oracle, &oracle), "NotOracle")?;
                let existing = self.devices.get(&key).cloned();
                require(!existing.as_ref().is_some_and(|d| d.live), "AccountAlreadyInUse")?;
                require(!self.paused, "Paused")?;
                require(gpu_count >= 1 && multiplier_bps >= 1, "InvalidHardware")?;
                minimum(gpu_count, multiplier_bps, p.base_stake_per_gpu).ok_or("MathOverflow")?;
                self.balances.insert(pda::stake_vault(&key).0, 0);
                self.balances.insert(pda::overflow_vault(&key).0, 0);
                let mut d = MDevice {
                    live: true,
                    owner,
                    payer: owner,
                    registered_at: now,
                    gpu_count,
                    multiplier_bps,
                    grace_min: 0,
                    grace_end: 0,
                    owner_stake: 0,
                    owner_rewards: 0,
                    hired_until: 0,
                    hired_set_at: 0,
                    terminated_at: 0,
                    unstaked_at: 0,
                    ticket_seq: 0,
                    ticket_principal: 0,
                    ticket_unlock_at: 0,
                    ticket_payer: Pubkey::default(),
                    open_offer: None,
                    positions: Default::default(),
                    departed: Default::default(),
                    next_offer_seq: 0,
                    next_ticket_seq: 0,
                    last_paid_end: 0,
                    hold_until: 0,
                    hold_incident_start: 0,
                    hold_reach: 0,
                    owner_slashes: Default::default(),
                    pending_owner: Pubkey::default(),
                    transfer_expires_at: 0,
                };
                if let Some(t) = existing {
                    // R3: a revival carries the counters, the last paid block, holds and slashes on
                    d.next_offer_seq = t.next_offer_seq;
                    d.next_ticket_seq = t.next_ticket_seq;
                    d.last_paid_end = t.last_paid_end;
                    d.hold_until = t.hold_until;
                    d.hold_incident_start = t.hold_incident_start;
                    d.hold_reach = t.hold_reach;
                    d.owner_slashes = t.owner_slashes;
                }
                self.devices.insert(key, d);
                Ok(())
            }
            Op::Stake { device, by, amount } => {
                let d = self.live(&device)?;
                require(by == d.owner, "NotDeviceOwner")?;
                require(amount > 0, "ZeroAmount")?;
                require(d.terminated_at == 0, "DeviceTerminated")?;
                require(d.unstaked_at == 0, "DeviceUnstaking")?;
                if self.paused {
                    let cover = d.cover_allowance(&env);
                    require(cover > 0, "Paused")?;
                    require(amount <= cover, "StakeExceedsCover")?;
                }
                self.dev(&device).owner_stake += amount;
                self.transfer(self.token(&by), pda::stake_vault(&device).0, amount)
            }
            Op::CreateOffer { device, by, amount, share } => {
                let d = self.live(&device)?;
                require(by == d.owner, "NotDeviceOwner")?;
                require(!self.paused, "Paused")?;
                require(amount > 0, "ZeroAmount")?;
                require(d.terminated_at == 0, "DeviceTerminated")?;
                require(d.unstaked_at == 0, "DeviceUnstaking")?;
                require(!d.held(&env), "DeviceOnHold")?;
                require(d.open_offer.is_none(), "OpenOfferExists")?;
                require(d.filled().is_none(), "PositionAlreadyFilled")?;
                require(d.positions.iter().any(Option::is_none), "NoFreePositionSlot")?;
                let min = d.min_required(&env);
                require(d.counted(now) >= min, "BelowMinimum")?;
                require(d.owner_stake as u128 + amount as u128 >= min as u128, "BelowMinimum")?;
                require(amount as u128 * BPS >= min as u128 * p.min_offer_bps as u128, "OfferTooSmall")?;
                require(within_cap(d.owner_stake, amount, p.max_costake_bps), "CostakeCapExceeded")?;
                require(share > 0 && share <= p.max_reward_share_bps, "InvalidRewardShare")?;
                let dm = self.dev(&device);
                let seq = dm.next_offer_seq;
                dm.next_offer_seq += 1;
                dm.open_offer = Some(seq);
                let offer = MOffer {
                    stage: OfferStage::Open,
                    amount,
                    share,
                    created_at: now,
                    costaker: Pubkey::default(),
                    payer: by,
                    escrow_payer: Pubkey::default(),
                };
                self.offers.insert((device, seq), offer);
                Ok(())
            }
            Op::RetractOffer { device, by, seq } => {
                let d = self.live(&device)?;
                self.offer(&device, seq)?;
                require(by == d.owner, "NotDeviceOwner")?;
                require(d.open_offer == Some(seq), "OfferNotOpen")?;
                self.dev(&device).open_offer = None;
                self.offers.remove(&(device, seq));
                Ok(())
            }
            Op::FillOffer { device, costaker, seq, amount, share } => {
                let d = self.live(&device)?;
                let offer = self.offer(&device, seq)?;
                require(offer.stage == OfferStage::Open, "OfferNotOpen")?;
                require(offer.amount == amount && offer.share == share, "OfferTermsMismatch")?;
                require(!self.paused, "Paused")?;
                require(costaker != d.owner, "OwnerCannotCostake")?;
                require(d.terminated_at == 0, "DeviceTerminated")?;
                require(d.unstaked_at == 0, "DeviceUnstaking")?;
                require(!d.held(&env), "DeviceOnHold")?;
                require(d.open_offer == Some(seq), "OfferNotOpen")?;
                require(d.filled().is_none(), "PositionAlreadyFilled")?;
                let slot = d.positions.iter().position(Option::is_none).ok_or("NoFreePositionSlot")?;
                require(d.owner_stake as u128 + amount as u128 >= d.min_required(&env) as u128, "BelowMinimum")?;
                require(within_cap(d.owner_stake, amount, p.max_costake_bps), "CostakeCapExceeded")?;
                require(share <= p.max_reward_share_bps, "InvalidRewardShare")?;
                let held = self.profiles.get(&costaker).copied().unwrap_or(0);
                require(held < p.max_active_costakes, "TooManyPositions")?;
                self.profiles.insert(costaker, held + 1);
                let position = MPosition {
                    seq,
                    costaker,
                    principal: amount,
                    rewards: 0,
                    share,
                    filled_at: now,
                    stopped_at: 0,
                    wait_end: 0,
                    unlock_at: 0,
                    slashes: Default::default(),
                };
                let dm = self.dev(&device);
                dm.positions[slot] = Some(position);
                dm.open_offer = None;
                let o = self.offers.get_mut(&(device, seq)).expect("the offer");
                o.stage = OfferStage::Filled;
                o.costaker = costaker;
                self.transfer(self.token(&costaker), pda::stake_vault(&device).0, amount)
            }
            Op::CancelCostake { device, costaker, seq } => {
                let d = self.live(&device)?;
                require(self.profiles.contains_key(&costaker), "AccountOwnedByWrongProgram")?;
                let i = d.slot(seq)?;
                let position = d.positions[i].clone().expect("used");
                require(position.costaker == costaker, "NotCostaker")?;
                require(position.stopped_at == 0, "PositionNotFilled")?;
                let terminated = d.terminated_at != 0;
                let pm = self.dev(&device).positions[i].as_mut().expect("used");
                pm.stopped_at = now;
                pm.wait_end = if terminated { now } else { now + p.cover_window_secs };
                pm.unlock_at = pm.wait_end + p.cooldown_secs;
                let count = self.profiles.get_mut(&costaker).expect("the profile");
                *count = count.saturating_sub(1);
                Ok(())
            }
            Op::ClaimRewards { device, costaker, seq } => {
                let d = self.live(&device)?;
                let i = d.slot(seq)?;
                let position = d.positions[i].clone().expect("used");
                require(position.costaker == costaker, "NotCostaker")?;
                require(position.rewards > 0, "NothingToClaim")?;
                self.dev(&device).positions[i].as_mut().expect("used").rewards = 0;
                self.transfer(pda::overflow_vault(&device).0, self.token(&costaker), position.rewards)
            }
            Op::WithdrawOverflow { device, by, amount } => {
                let d = self.live(&device)?;
                require(by == d.owner, "NotDeviceOwner")?;
                require(amount > 0, "ZeroAmount")?;
                let from_rewards = amount.min(d.owner_rewards);
                let from_principal = amount - from_rewards;
                if from_principal > 0 {
                    require(!d.held(&env), "DeviceOnHold")?;
                }
                require(amount as u128 <= d.owner_rewards as u128 + d.principal_overflow(&env) as u128, "ExceedsOverflow")?;
                let dm = self.dev(&device);
                dm.owner_rewards -= from_rewards;
                dm.owner_stake -= from_principal;
                let to = self.token(&by);
                self.transfer(pda::overflow_vault(&device).0, to, from_rewards)?;
                self.transfer(pda::stake_vault(&device).0, to, from_principal)
            }
            Op::Unstake { device, by } => {
                let d = self.live(&device)?;
                require(by == d.owner, "NotDeviceOwner")?;
                require(d.unstaked_at == 0, "DeviceUnstaking")?;
                require(!d.hired(&env), "DeviceHired")?;
                require(d.open_offer.is_none(), "OpenOfferExists")?;
                require(d.owner_stake > 0, "NothingToUnstake")?;
                let unlock = now + p.cooldown_secs;
                if let Some(c) = d.filled().map(|f| f.costaker) {
                    let count = self.profiles.get_mut(&c).expect("the filled position's profile");
                    *count = count.saturating_sub(1);
                }
                let dm = self.dev(&device);
                for pm in dm.positions.iter_mut().flatten() {
                    if pm.stopped_at == 0 {
                        pm.stopped_at = now;
                        pm.wait_end = now;
                        pm.unlock_at = unlock;
                    } else {
                        pm.wait_end = pm.wait_end.min(now);
                        pm.unlock_at = pm.unlock_at.min(unlock);
                    }
                }
                dm.ticket_seq = dm.next_ticket_seq;
                dm.next_ticket_seq += 1;
                dm.ticket_principal = dm.owner_stake;
                dm.ticket_unlock_at = unlock;
                dm.ticket_payer = by;
                dm.unstaked_at = now;
                dm.owner_stake = 0;
                Ok(())
            }
            Op::WithdrawTicket { device, caller } => {
                let d = self.live(&device)?;
                require(d.unstaked_at != 0, "AccountOwnedByWrongProgram")?;
                require(now >= d.ticket_unlock_at, "StillLocked")?;
                require(!d.ticket_held(&env), "DeviceOnHold")?;
                let _ = caller;
                let dm = self.dev(&device);
                let amount = dm.ticket_principal;
                dm.ticket_principal = 0;
                dm.unstaked_at = 0;
                dm.ticket_unlock_at = 0;
                self.transfer(pda::stake_vault(&device).0, self.token(&d.owner), amount)
            }
            Op::WithdrawPosition { device, seq, caller } => {
                self.live(&device)?;
                let offer = self.offer(&device, seq)?;
                let _ = caller;
                let position = self.take_ripe(&device, seq)?;
                self.offers.remove(&(device, seq));
                let to = self.token(&offer.costaker);
                self.transfer(pda::stake_vault(&device).0, to, position.principal)?;
                self.transfer(pda::overflow_vault(&device).0, to, position.rewards)
            }
            Op::Release { device, seq, caller } => {
                self.live(&device)?;
                let offer = self.offer(&device, seq)?;
                require(offer.stage != OfferStage::Released, "AccountAlreadyInUse")?;
                require(offer.stage == OfferStage::Filled, "PositionNotFound")?;
                let position = self.take_ripe(&device, seq)?;
                let o = self.offers.get_mut(&(device, seq)).expect("the offer");
                o.stage = OfferStage::Released;
                o.escrow_payer = caller;
                let escrow = pda::escrow(&pda::offer(&device, seq).0).0;
                self.balances.insert(escrow, 0);
                self.transfer(pda::stake_vault(&device).0, escrow, position.principal)?;
                self.transfer(pda::overflow_vault(&device).0, escrow, position.rewards)
            }
            Op::WithdrawEscrow { device, seq, costaker } => {
                let offer = self.offer(&device, seq)?;
                require(offer.stage == OfferStage::Released, "AccountNotInitialized")?;
                require(offer.costaker == costaker, "NotCostaker")?;
                let escrow = pda::escrow(&pda::offer(&device, seq).0).0;
                let amount = self.balances[&escrow];
                self.transfer(escrow, self.token(&costaker), amount)?;
                self.balances.remove(&escrow);
                self.offers.remove(&(device, seq));
                Ok(())
            }
            Op::DistributeRewards { by, block_start, block_end, entries, .. } => {
                require(self.is(Role::RewardAuthority, &by), "NotRewardAuthority")?;
                require(block_start < block_end && block_end <= now, "InvalidBlockTimes")?;
                let mut seen = Vec::new();
                for (device, amount) in entries {
                    require(!seen.contains(&device), "DuplicateDeviceInBatch")?;
                    seen.push(device);
                    match self.devices.get(&device) {
                        Some(d) if d.live => {}
                        Some(_) => continue,
                        None => return Err("AccountNotInitialized"),
                    }
                    if let Some(transfer) = self.pay_block(&device, block_start, block_end, amount) {
                        self.transfer(self.token(&by), pda::overflow_vault(&device).0, transfer)?;
                    }
                }
                Ok(())
            }
            Op::Slash { device, by, treasury, amount, incident_at } => {
                let d = self.live(&device)?;
                require(self.is(Role::SlashAuthority, &by), "NotSlashAuthority")?;
                require(self.is(Role::Treasury, &treasury), "NotTreasuryAccount")?;
                require(amount > 0, "ZeroAmount")?;
                require(incident_at > 0 && incident_at <= now && now - incident_at < SLASH_WINDOW_SECS, "IncidentOutOfRange")?;
                if d.held(&env) {
                    require(incident_at <= d.hold_incident_start, "IncidentOutOfRange")?;
                }
                let taken = self.slash(&device, amount, incident_at)?;
                self.transfer(pda::stake_vault(&device).0, self.token(&treasury), taken)
            }
            Op::Hold { device, by, until } => {
                let d = self.live(&device)?;
                require(self.is(Role::SlashAuthority, &by), "NotSlashAuthority")?;
                require(until > now, "HoldTooLong")?;
                // the incident's reach is fixed at its start: a later max_hold_secs never moves it
                let start = d.hold_incident_start;
                let same = start != 0 && start > self.slash_revoked_at && now < d.hold_reach;
                let (incident, reach) = if same {
                    (start, d.hold_reach)
                } else {
                    require(start == 0 || now >= start + SLASH_WINDOW_SECS, "HoldIncidentTooSoon")?;
                    (now, now + p.max_hold_secs)
                };
                require(until <= reach, "HoldTooLong")?;
                let dm = self.dev(&device);
                dm.hold_incident_start = incident;
                dm.hold_reach = reach;
                dm.hold_until = until;
                Ok(())
            }
            Op::SetHired { device, by, until } => {
                let d = self.live(&device)?;
                require(self.is(Role::Oracle, &by), "NotOracle")?;
                require(d.terminated_at == 0, "DeviceTerminated")?;
                require(until == 0 || (until > now && until <= now + MAX_HIRED_SECS), "InvalidHiredUntil")?;
                let dm = self.dev(&device);
                dm.hired_until = until;
                dm.hired_set_at = now;
                Ok(())
            }
            Op::Terminate { device, by } => {
                let d = self.live(&device)?;
                require(self.is(Role::Oracle, &by), "NotOracle")?;
                require(d.terminated_at == 0, "DeviceTerminated")?;
                let dm = self.dev(&device);
                dm.terminated_at = now;
                dm.hired_until = 0;
                Ok(())
            }
            Op::UpdateHardware { device, by, gpu_count, multiplier_bps } => {
                let d = self.live(&device)?;
                require(self.is(Role::Oracle, &by), "NotOracle")?;
                require(gpu_count >= 1 && multiplier_bps >= 1, "InvalidHardware")?;
                let new_min = minimum(gpu_count, multiplier_bps, p.base_stake_per_gpu).ok_or("MathOverflow")?;
                let previous = d.min_required(&env);
                let dm = self.dev(&device);
                if new_min > previous && now >= dm.grace_end && d.counted(now) >= previous {
                    dm.grace_min = previous;
                    dm.grace_end = now + p.cover_window_secs;
                }
                dm.gpu_count = gpu_count;
                dm.multiplier_bps = multiplier_bps;
                Ok(())
            }
            Op::SetPaused { by, paused } => {
                require(self.is(Role::Admin, &by), "NotAdmin")?;
                self.paused = paused;
                Ok(())
            }
            Op::UpdateParams { by, params } => {
                require(self.is(Role::Admin, &by), "NotAdmin")?;
                require(within_bounds(&params, &self.floors), "ParamOutOfBounds")?;
                let at = now + change_delay(&p);
                self.settle_params();
                self.pending_params = params;
                self.params_effective_at = at;
                Ok(())
            }
            Op::CancelParams { by } => {
                require(self.is(Role::Admin, &by), "NotAdmin")?;
                self.settle_params();
                require(self.params_effective_at != 0, "NoPendingChange")?;
                self.params_effective_at = 0;
                Ok(())
            }
            Op::LowerSlashCap { by, bps } => {
                require(self.is(Role::Admin, &by), "NotAdmin")?;
                self.settle_params();
                require(bps < self.params.max_slash_bps_per_30d, "NotATightening")?;
                self.params.max_slash_bps_per_30d = bps;
                self.pending_params.max_slash_bps_per_30d = self.pending_params.max_slash_bps_per_30d.min(bps);
                Ok(())
            }
            Op::ProposeRole { by, role, key } => {
                require(self.is(Role::Admin, &by), "NotAdmin")?;
                require(key != Pubkey::default(), "InvalidRoleKey")?;
                let at = now + change_delay(&p);
                let slot = &mut self.roles[role_index(role)];
                slot.settle(now);
                slot.pending = key;
                slot.effective_at = at.max(1);
                slot.accepted = false;
                Ok(())
            }
            Op::AcceptRole { by, role } => {
                let slot = &mut self.roles[role_index(role)];
                slot.settle(now);
                require(slot.effective_at != 0, "NoPendingChange")?;
                require(by == slot.pending, "NotPendingKey")?;
                slot.accepted = true;
                Ok(())
            }
            Op::CancelRole { by, role } => {
                require(self.is(Role::Admin, &by), "NotAdmin")?;
                let slot = &mut self.roles[role_index(role)];
                slot.settle(now);
                require(slot.effective_at != 0, "NoPendingChange")?;
                *slot = MSlot::new(slot.current);
                Ok(())
            }
            Op::RevokeRole { by, role } => {
                require(self.is(Role::Admin, &by), "NotAdmin")?;
                match role {
                    Role::Oracle => self.oracle_revoked_at = now,
                    Role::SlashAuthority => self.slash_revoked_at = now,
                    Role::RewardAuthority => {}
                    Role::Admin | Role::Treasury => return Err("RoleNotRevocable"),
                }
                self.roles[role_index(role)] = MSlot::new(Pubkey::default());
                Ok(())
            }
            Op::CloseDevice { device, by, treasury } => {
                let d = match self.devices.get(&device) {
                    Some(d) if d.live => d.clone(),
                    // the closed vaults are missing before the tombstone is read
                    _ => return Err("AccountNotInitialized"),
                };
                require(self.is(Role::Treasury, &treasury), "NotTreasuryAccount")?;
                require(by == d.owner, "NotDeviceOwner")?;
                require(d.open_offer.is_none(), "OpenOfferExists")?;
                require(d.unstaked_at == 0, "DeviceUnstaking")?;
                require(d.owner_stake == 0 && d.owner_rewards == 0 && d.used().next().is_none(), "DeviceNotEmpty")?;
                let to = self.token(&treasury);
                for vault in [pda::stake_vault(&device).0, pda::overflow_vault(&device).0] {
                    let left = self.balances.remove(&vault).unwrap_or(0);
                    *self.balances.entry(to).or_insert(0) += left;
                }
                let dm = self.dev(&device);
                dm.live = false;
                Ok(())
            }
            Op::CloseProfile { wallet } => {
                let count = self.profiles.get(&wallet).copied().ok_or("AccountOwnedByWrongProgram")?;
                require(count == 0, "ProfileHasPositions")?;
                self.profiles.remove(&wallet);
                Ok(())
            }
            Op::TransferDevice { device, by, new_owner } => {
                let d = self.live(&device)?;
                require(by == d.owner, "NotDeviceOwner")?;
                d.transferable(&env, &new_owner)?;
                let dm = self.dev(&device);
                dm.pending_owner = new_owner;
                dm.transfer_expires_at = now + TRANSFER_WINDOW_SECS;
                Ok(())
            }
            Op::CancelTransfer { device, by } => {
                let d = self.live(&device)?;
                require(by == d.owner, "NotDeviceOwner")?;
                require(d.pending_owner != Pubkey::default(), "NoPendingChange")?;
                let dm = self.dev(&device);
                dm.pending_owner = Pubkey::default();
                dm.transfer_expires_at = 0;
                Ok(())
            }
            Op::AcceptDevice { device, by } => {
                let d = self.live(&device)?;
                require(d.pending_owner != Pubkey::default(), "NoPendingChange")?;
                require(by == d.pending_owner, "NotPendingKey")?;
                require(now < d.transfer_expires_at, "TransferExpired")?;
                d.transferable(&env, &by)?;
                let dm = self.dev(&device);
                dm.owner = by;
                dm.payer = by;
                dm.pending_owner = Pubkey::default();
                dm.transfer_expires_at = 0;
                Ok(())
            }
        }
    }

    /// R20, R21: one device's part of the block `[start, end)`: `None` when skipped (every skip
    /// but the already-paid one records the block's end), else the tokens to move in.
    fn pay_block(&mut self, device: &Pubkey, start: i64, end: i64, amount: u64) -> Option<u64> {
        let d = self.dev(device);
        if start < d.last_paid_end {
            return None;
        }
        let skipped = (d.terminated_at != 0 && d.terminated_at <= start)
            || (d.unstaked_at != 0 && d.unstaked_at <= start)
            || d.registered_at > start
            || amount == 0;
        d.last_paid_end = end;
        if skipped {
            return None;
        }
        let (mut part, mut transfer) = (0, amount);
        if let Some(p) = d.positions.iter_mut().flatten().find(|p| p.earned(start, end)) {
            if p.principal > 0 {
                part = bps_floor(amount, p.share);
                p.rewards += part;
            }
        } else if let Some(r) = d.departed.iter().find(|r| r.stopped_at != 0 && r.filled_at <= start && r.stopped_at >= end) {
            part = bps_floor(amount, r.share);
            transfer = amount - part;
        }
        d.owner_rewards += amount - part;
        Some(transfer)
    }

    /// R40: takes up to `amount` for an incident at `incident_at`: the owner first (stake, then a
    /// ticket created after the incident that is not ripe or is held) up to the owner's cap, then
    /// the positions that counted at the incident and are not ripe, pro rata, each up to its cap.
    /// Returns the tokens taken.
    fn slash(&mut self, device: &Pubkey, amount: u64, incident_at: i64) -> Result<u64, &'static str> {
        let env = self.env();
        let now = env.now;
        let bps = env.params.max_slash_bps_per_30d;
        let d = self.dev(device);
        let ticket = d.unstaked_at != 0 && d.unstaked_at > incident_at && (now < d.ticket_unlock_at || d.ticket_held(&env));
        let owner_slashable = d.owner_stake + if ticket { d.ticket_principal } else { 0 };
        let owner_take = amount.min(allowance(&d.owner_slashes, owner_slashable, bps, now));
        let from_stake = owner_take.min(d.owner_stake);
        let from_ticket = owner_take - from_stake;
        let rest = (amount - owner_take) as u128;
        let slashable: Vec<bool> = d
            .positions
            .iter()
            .map(|p| p.as_ref().is_some_and(|p| p.counts_at(incident_at) && !p.is_ripe(now) && p.principal > 0))
            .collect();
        let pool: u128 = d
            .positions
            .iter()
            .zip(&slashable)
            .filter(|(_, s)| **s)
            .map(|(p, _)| p.as_ref().expect("used").principal as u128)
            .sum();
        let mut total = owner_take;
        if rest > 0 && pool > 0 {
            for (p, _) in d.positions.iter_mut().zip(&slashable).filter(|(_, s)| **s) {
                let p = p.as_mut().expect("used");
                let share = (rest * p.principal as u128 / pool) as u64;
                let take = share.min(allowance(&p.slashes, p.principal, bps, now));
                if take > 0 {
                    p.principal -= take;
                    record(&mut p.slashes, now, take);
                    total += take;
                }
            }
        }
        require(total > 0, "NothingToSlash")?;
        d.owner_stake -= from_stake;
        d.ticket_principal -= from_ticket;
        record(&mut d.owner_slashes, now, owner_take);
        Ok(total)
    }

    /// Every deadline recorded in the model that is still ahead: the Clock values where a
    /// verdict changes (a second before and at each are the interesting ones).
    pub fn deadlines(&self) -> Vec<i64> {
        let mut out = vec![self.params_effective_at];
        out.extend(self.roles.iter().map(|r| r.effective_at));
        for d in self.devices.values().filter(|d| d.live) {
            out.extend([d.grace_end, d.hold_until, d.hold_reach, d.hold_incident_start + SLASH_WINDOW_SECS]);
            out.extend([d.hired_until, d.ticket_unlock_at, d.transfer_expires_at]);
            out.extend(d.owner_slashes.iter().filter(|r| r.at != 0).map(|r| r.at + SLASH_WINDOW_SECS));
            for p in d.used() {
                out.extend([p.wait_end, p.unlock_at]);
            }
        }
        out.retain(|t| *t > self.now);
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IO: u64 = 1_000_000;

    fn floors() -> Floors {
        Floors { cover_window_secs: DAY, cooldown_secs: 7 * DAY, role_change_delay_secs: 7 * DAY }
    }

    fn model() -> (Model, [Pubkey; 5], Pubkey, Pubkey, Pubkey) {
        let roles = [(); 5].map(|_| Pubkey::new_unique());
        let mut m = Model::new(1_000, floors(), Params::defaults(6).unwrap(), roles);
        for r in roles {
            m.add_wallet(r, Pubkey::new_unique(), 1_000_000 * IO);
        }
        let (owner, costaker) = (Pubkey::new_unique(), Pubkey::new_unique());
        m.add_wallet(owner, Pubkey::new_unique(), 100_000 * IO);
        m.add_wallet(costaker, Pubkey::new_unique(), 50_000 * IO);
        let device_id = [1; 32];
        m.apply(&Op::RegisterDevice { device_id, owner, oracle: roles[1], gpu_count: 8, multiplier_bps: 100_000 }).unwrap();
        (m, roles, pda::device(&device_id).0, owner, costaker)
    }

    /// Rules: R1.
    #[test]
    fn the_minimum_matches_the_published_examples() {
        assert_eq!(minimum(8, 100_000, 200 * IO), Some(16_000 * IO));
        assert_eq!(minimum(4, 2_500, 200 * IO), Some(800 * IO));
        assert_eq!(minimum(1, 10_001, 3), Some(4));
        assert_eq!(minimum(u16::MAX, u32::MAX, u64::MAX), None);
    }

    /// Rules: R9 R11 R20 R21: a late block still credits the position that earned it; once it
    /// left, its part is not paid; blocks land in time order.
    #[test]
    fn a_late_block_credits_the_position_that_earned_it() {
        let (mut m, roles, device, owner, costaker) = model();
        m.apply(&Op::Stake { device, by: owner, amount: 16_000 * IO }).unwrap();
        m.apply(&Op::CreateOffer { device, by: owner, amount: 8_000 * IO, share: 7_400 }).unwrap();
        m.apply(&Op::FillOffer { device, costaker, seq: 0, amount: 8_000 * IO, share: 7_400 }).unwrap();
        m.apply(&Op::WarpTo(2_000)).unwrap();
        m.apply(&Op::CancelCostake { device, costaker, seq: 0 }).unwrap();
        m.apply(&Op::WarpTo(3_000)).unwrap();
        let by = roles[2];
        m.apply(&Op::DistributeRewards { by, block_id: 1, block_start: 1_000, block_end: 2_000, entries: vec![(device, 1_001)] })
            .unwrap();
        let d = m.device(&device);
        assert_eq!((d.position(0).unwrap().rewards, d.owner_rewards), (740, 261));
        // the same block again: skipped, nothing moves
        let before = m.balances.clone();
        m.apply(&Op::DistributeRewards { by, block_id: 2, block_start: 1_000, block_end: 2_000, entries: vec![(device, 1_001)] })
            .unwrap();
        assert_eq!(m.balances, before);
        assert_eq!(m.apply(&Op::WithdrawOverflow { device, by: owner, amount: 16_000 * IO }), Err("ExceedsOverflow"));
    }

    /// Rules: R13 R15 R40: the owner's unstake ends every wait; the owner is slashed first, up to
    /// the cap, then the positions.
    #[test]
    fn unstake_recaps_and_slashing_takes_the_owner_first() {
        let (mut m, roles, device, owner, costaker) = model();
        m.apply(&Op::Stake { device, by: owner, amount: 16_000 * IO }).unwrap();
        m.apply(&Op::CreateOffer { device, by: owner, amount: 8_000 * IO, share: 7_400 }).unwrap();
        m.apply(&Op::FillOffer { device, costaker, seq: 0, amount: 8_000 * IO, share: 7_400 }).unwrap();
        m.apply(&Op::WarpTo(2_000)).unwrap();
        m.apply(&Op::Unstake { device, by: owner }).unwrap();
        let d = m.device(&device);
        let p = d.position(0).unwrap();
        assert_eq!((p.stopped_at, p.wait_end, p.unlock_at), (2_000, 2_000, 2_000 + 14 * DAY));
        m.apply(&Op::WarpTo(2_100)).unwrap();
        let (slasher, treasury) = (roles[3], roles[4]);
        m.apply(&Op::Slash { device, by: slasher, treasury, amount: 100_000 * IO, incident_at: 1_500 }).unwrap();
        let d = m.device(&device);
        // half of the ticket (created after the incident), half of the position (it counted then)
        assert_eq!((d.ticket_principal, d.position(0).unwrap().principal), (8_000 * IO, 4_000 * IO));
        assert_eq!(m.apply(&Op::Slash { device, by: slasher, treasury, amount: 1, incident_at: 1_500 }), Err("NothingToSlash"));
    }
}
