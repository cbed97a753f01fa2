//! A plain-Rust model of the protocol of docs/protocol.md, written from the rules and not from the
//! program: the config's parameters and roles, devices, offers and positions, the owner's ticket,
//! co-staker profiles, rewards, slashing and holds, and the balance of every token account
//! involved (wallets, vaults, treasury, reward source).
//!
//! [`Model::apply`] predicts what an [`Op`] does: `Ok` with the new state, or the name of the
//! error the program must refuse it with (the state is then unchanged). Where the rules leave a
//! choice open (which refusal comes first, the 30-day slashing window, the number of exits a
//! device tracks), the model follows the choices the program documents:
//! - accounts are checked before the instruction's own rules: a missing offer or ticket account
//!   (`AccountNotInitialized`) comes first, then the signer's role, then the rules in the order
//!   the rule text lists them;
//! - the slashing window opens at the first slash and lasts 30 days; its cap is
//!   `max_slash_bps_per_30d` of the device's principal when it opened (R40);
//! - at most [`EXIT_SLOTS`] cancelled positions may be in their wait at once: an offer whose
//!   later cancel would find no room is refused (`TooManyExitingPositions`).
use crate::client::device_staking::state::Params;
use anchor_lang::prelude::Pubkey;
use std::collections::BTreeMap;

/// Basis points in one whole.
const BPS: u128 = 10_000;
/// Seconds in a day.
const DAY: i64 = 86_400;
/// The slashing window (R40): the cap holds over any 30 days.
pub const SLASH_WINDOW_SECS: i64 = 30 * DAY;
/// Slashes a device remembers (the program's choice where R40 is silent): when a fifth slash
/// comes within 30 days, the two oldest merge at the later one's time.
pub const SLASH_RECORDS: usize = 4;
/// The longest hold of one incident (R41).
pub const MAX_HOLD_SECS: i64 = 7 * DAY;
/// Cancelled positions a device keeps counting at once (R13).
pub const EXIT_SLOTS: usize = 4;

/// What the model predicts: `Ok`, or the name of the program's error.
pub type Outcome = Result<(), &'static str>;

/// Where an offer stands (R9-R15).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Waiting for a co-staker.
    Open,
    /// Filled: counts and earns.
    Filled,
    /// Cancelled: counts until `wait_end`, withdrawable at `unlock_at`.
    Exiting,
    /// Unstaked with the owner: withdrawable at `unlock_at`.
    Cooling,
}

/// An offer and, once filled, its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MOffer {
    /// Per-device sequence number.
    pub seq: u64,
    /// Where it stands.
    pub stage: Stage,
    /// The frozen amount.
    pub amount: u64,
    /// The frozen reward share.
    pub share: u16,
    /// When it was created.
    pub created_at: i64,
    /// The co-staker once filled.
    pub costaker: Option<Pubkey>,
    /// Principal after slashing.
    pub principal: u64,
    /// Unclaimed rewards.
    pub rewards: u64,
    /// When it was filled (0 before).
    pub filled_at: i64,
    /// When it was cancelled (0 if not).
    pub cancelled_at: i64,
    /// End of the cover window (0 if not cancelled).
    pub wait_end: i64,
    /// When it may be withdrawn (0 while open or filled).
    pub unlock_at: i64,
}

/// The owner's outstanding unstake ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MTicket {
    /// Per-device ticket number.
    pub seq: u64,
    /// Principal after slashing.
    pub amount: u64,
    /// When the owner unstaked.
    pub created_at: i64,
    /// When it may be withdrawn.
    pub unlock_at: i64,
}


/// A registered device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MDevice {
    /// The owner's wallet.
    pub owner: Pubkey,
    /// The stake vault (principal).
    pub stake_vault: Pubkey,
    /// The overflow vault (rewards).
    pub overflow_vault: Pubkey,
    /// GPUs attested.
    pub gpu_count: u16,
    /// Multiplier attested, in basis points.
    pub multiplier_bps: u32,
    /// The minimum from the latest hardware and base (R1).
    pub min_required: u64,
    /// The previous minimum during a grace (R2).
    pub grace_min: u64,
    /// End of the grace (0 when none ever ran).
    pub grace_end: i64,
    /// The owner's principal.
    pub owner_stake: u64,
    /// The owner's unclaimed rewards.
    pub owner_rewards: u64,
    /// Hired by the network.
    pub hired: bool,
    /// Terminated for good.
    pub terminated: bool,
    /// The owner's outstanding ticket: the device is unstaking while there is one.
    pub ticket: Option<MTicket>,
    /// Offers not yet retracted or withdrawn, by seq.
    pub offers: BTreeMap<u64, MOffer>,
    /// The next offer's seq.
    pub next_offer_seq: u64,
    /// The next ticket's seq.
    pub next_ticket_seq: u64,
    /// The last block id recorded.
    pub last_block: Option<u64>,
    /// Principal exits of the owner are held until then (R41).
    pub hold_until: i64,
    /// The first hold of the running incident.
    pub hold_incident_start: i64,
    /// The slashes remembered for the cap: (time, amount).
    pub slashes: Vec<(i64, u64)>,
}

impl MDevice {
    /// The filled position, if any.
    pub fn filled(&self) -> Option<&MOffer> {
        self.offers.values().find(|o| o.stage == Stage::Filled)
    }

    /// The open offer, if any.
    pub fn open(&self) -> Option<&MOffer> {
        self.offers.values().find(|o| o.stage == Stage::Open)
    }

    /// Cancelled positions whose cover window has not ended at `now` (R4, R13).
    pub fn waiting_exits(&self, now: i64) -> impl Iterator<Item = &MOffer> {
        self.offers.values().filter(move |o| o.stage == Stage::Exiting && now < o.wait_end)
    }

    /// R4: owner stake + filled principal + principal of exits still in their wait.
    pub fn counted(&self, now: i64) -> u64 {
        let filled = self.filled().map_or(0, |o| o.principal);
        let exiting: u64 = self.waiting_exits(now).map(|o| o.principal).sum();
        self.owner_stake + filled + exiting
    }

    /// R2: the minimum the device is judged against at `now`.
    pub fn min_in_force(&self, now: i64) -> u64 {
        if now < self.grace_end {
            self.grace_min.min(self.min_required)
        } else {
            self.min_required
        }
    }

    /// R5.
    pub fn eligible(&self, now: i64) -> bool {
        let counted = self.counted(now);
        !self.terminated && self.ticket.is_none() && counted > 0 && counted >= self.min_in_force(now)
    }

    /// R12: the owner's principal overflow (before a hold).
    pub fn principal_overflow(&self, max_costake_bps: u16) -> u64 {
        let costake = self.filled().map_or(0, |o| o.principal) as u128;
        let total = self.owner_stake as u128 + costake;
        let above_min = total.saturating_sub(self.min_required as u128);
        // co-stake <= bps * (total - x) / BPS  <=>  x <= total - costake * BPS / bps (rounded up)
        let keep_for_cap = (costake * BPS).div_ceil(max_costake_bps as u128);
        let above_cap = total.saturating_sub(keep_for_cap);
        above_min.min(above_cap).min(self.owner_stake as u128) as u64
    }

    /// R41.
    pub fn held(&self, now: i64) -> bool {
        now < self.hold_until
    }

    /// The slashes that count toward the cap at `now` (R40), sorted.
    pub fn recent_slashes(&self, now: i64) -> impl Iterator<Item = (i64, u64)> + '_ {
        let mut recent: Vec<_> = self.slashes.iter().copied().filter(|(at, _)| now - at < SLASH_WINDOW_SECS).collect();
        recent.sort_unstable();
        recent.into_iter()
    }

    /// Every unwithdrawn principal: owner stake, positions and ticket (R40, R52).
    pub fn principal(&self) -> u64 {
        self.owner_stake + self.offers.values().map(|o| o.principal).sum::<u64>() + self.ticket.as_ref().map_or(0, |t| t.amount)
    }

    /// Every unclaimed reward (R52).
    pub fn rewards(&self) -> u64 {
        self.owner_rewards + self.offers.values().map(|o| o.rewards).sum::<u64>()
    }
}

/// An operation on the protocol. `by` is the signer claiming the role the instruction needs;
/// the other fields are the instruction's arguments and accounts.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Moves the Clock to this unix time.
    WarpTo(i64),
    /// Mints `amount` new tokens to the token account `to` (the test world topping up a wallet
    /// or the reward source; not a program instruction).
    MintTo { to: Pubkey, amount: u64 },
    /// `register_device` (R3) of `device_id` at `device`, co-signed by `oracle`.
    RegisterDevice { device_id: [u8; 32], device: Pubkey, owner: Pubkey, oracle: Pubkey, stake_vault: Pubkey, overflow_vault: Pubkey, gpu_count: u16, multiplier_bps: u32 },
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
    /// `claim_rewards` (R12).
    ClaimRewards { device: Pubkey, costaker: Pubkey, seq: u64 },
    /// `withdraw_overflow` (R12) to `by`'s token account.
    WithdrawOverflow { device: Pubkey, by: Pubkey, amount: u64 },
    /// `unstake` (R15).
    Unstake { device: Pubkey, by: Pubkey },
    /// `withdraw_ticket` (R16) of ticket `seq`.
    WithdrawTicket { device: Pubkey, seq: u64 },
    /// `withdraw_position` (R16) of offer `seq`.
    WithdrawPosition { device: Pubkey, seq: u64 },
    /// `distribute_rewards` (R20) of one block to `(device, amount)` entries.
    DistributeRewards { by: Pubkey, block_id: u64, block_start: i64, block_end: i64, entries: Vec<(Pubkey, u64)> },
    /// `slash` (R40), naming the ticket and every position.
    Slash { device: Pubkey, by: Pubkey, amount: u64 },
    /// `hold` (R41).
    Hold { device: Pubkey, by: Pubkey, until: i64 },
    /// `set_hired` (R7).
    SetHired { device: Pubkey, by: Pubkey, hired: bool },
    /// `terminate` (R7).
    Terminate { device: Pubkey, by: Pubkey },
    /// `update_hardware` (R2).
    UpdateHardware { device: Pubkey, by: Pubkey, gpu_count: u16, multiplier_bps: u32 },
    /// `refresh_min` (R2), by anyone.
    RefreshMin { device: Pubkey },
    /// `set_paused` (R32).
    SetPaused { by: Pubkey, paused: bool },
    /// `update_params` (R33).
    UpdateParams { by: Pubkey, params: Params },
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
            Op::DistributeRewards { .. } => "distribute_rewards",
            Op::Slash { .. } => "slash",
            Op::Hold { .. } => "hold",
            Op::SetHired { .. } => "set_hired",
            Op::Terminate { .. } => "terminate",
            Op::UpdateHardware { .. } => "update_hardware",
            Op::RefreshMin { .. } => "refresh_min",
            Op::SetPaused { .. } => "set_paused",
            Op::UpdateParams { .. } => "update_params",
        }
    }
}

/// The roles of the config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelRoles {
    /// The admin.
    pub admin: Pubkey,
    /// The oracle.
    pub oracle: Pubkey,
    /// The reward authority.
    pub reward_authority: Pubkey,
    /// The slash authority.
    pub slash_authority: Pubkey,
}

/// The whole protocol state as the rules describe it.
#[derive(Clone, Debug)]
pub struct Model {
    /// The Clock's unix time.
    pub now: i64,
    /// The parameters in force.
    pub params: Params,
    /// Whether the pausable actions are paused (R32).
    pub paused: bool,
    /// The roles (no role change is modelled).
    pub roles: ModelRoles,
    /// The treasury's token account.
    pub treasury_token: Pubkey,
    /// The reward authority's token account rewards come from.
    pub reward_source: Pubkey,
    /// Every wallet's token account.
    pub token_of: BTreeMap<Pubkey, Pubkey>,
    /// The balance of every token account the model knows.
    pub balances: BTreeMap<Pubkey, u64>,
    /// Registered devices.
    pub devices: BTreeMap<Pubkey, MDevice>,
    /// Filled positions per co-staker wallet, for every wallet that ever filled (R11).
    pub profiles: BTreeMap<Pubkey, u8>,
}

/// `ceil(gpu_count * base * max(10_000, multiplier_bps) / 10_000)` (R1), `None` beyond u64.
pub fn minimum(gpu_count: u16, multiplier_bps: u32, base_stake_per_gpu: u64) -> Option<u64> {
    let product = gpu_count as u128 * base_stake_per_gpu as u128 * (multiplier_bps as u128).max(BPS);
    u64::try_from(product.div_ceil(BPS)).ok()
}

/// Whether `params` is within the hard bounds of the parameter table.
pub fn within_bounds(p: &Params) -> bool {
    p.base_stake_per_gpu > 0
        && (1..=14 * DAY).contains(&p.cover_window_secs)
        && (1..=30 * DAY).contains(&p.cooldown_secs)
        && (1..=5_000).contains(&p.max_costake_bps)
        && p.max_active_costakes >= 1
        && p.max_reward_share_bps <= 10_000
        && p.max_slash_bps_per_30d <= 10_000
        && (0..=30 * DAY).contains(&p.role_change_delay_secs)
}

/// `ok` or the refusal `error`.
fn require(ok: bool, error: &'static str) -> Outcome {
    if ok {
        Ok(())
    } else {
        Err(error)
    }
}

impl Model {
    /// A fresh deployment at `now` with `params`.
    pub fn new(now: i64, params: Params, roles: ModelRoles, treasury_token: Pubkey, reward_source: Pubkey) -> Self {
        let balances = BTreeMap::from([(treasury_token, 0), (reward_source, 0)]);
        Self { now, params, paused: false, roles, treasury_token, reward_source, token_of: BTreeMap::new(), balances, devices: BTreeMap::new(), profiles: BTreeMap::new() }
    }

    /// Records `wallet`'s token account `token` holding `balance`.
    pub fn add_wallet(&mut self, wallet: Pubkey, token: Pubkey, balance: u64) {
        self.token_of.insert(wallet, token);
        self.balances.insert(token, balance);
    }

    /// Sets the balance of a token account the model knows (minting to it).
    pub fn set_balance(&mut self, token: Pubkey, balance: u64) {
        self.balances.insert(token, balance);
    }

    /// The device at `key` (panics when not registered).
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

    fn dev(&mut self, key: &Pubkey) -> &mut MDevice {
        self.devices.get_mut(key).unwrap_or_else(|| panic!("no device {key} in the model"))
    }

    /// Moves `amount` between two token accounts; the token program refuses an overdraft.
    fn transfer(&mut self, from: Pubkey, to: Pubkey, amount: u64) -> Outcome {
        if amount == 0 {
            return Ok(());
        }
        let balance = self.balances.get_mut(&from).unwrap_or_else(|| panic!("unknown token account {from}"));
        require(*balance >= amount, "InsufficientFunds")?;
        *balance -= amount;
        *self.balances.get_mut(&to).unwrap_or_else(|| panic!("unknown token account {to}")) += amount;
        Ok(())
    }

    fn token(&self, wallet: &Pubkey) -> Pubkey {
        *self.token_of.get(wallet).unwrap_or_else(|| panic!("wallet {wallet} has no token account in the model"))
    }

    /// R2: a new minimum; a rise on a device that met the old one keeps the old one for a cover
    /// window, and a running grace is never extended.
    fn set_minimum(&mut self, device: &Pubkey, new_min: u64) {
        let (now, cover) = (self.now, self.params.cover_window_secs);
        let d = self.dev(device);
        if new_min > d.min_required && now >= d.grace_end && d.counted(now) >= d.min_required {
            d.grace_min = d.min_required;
            d.grace_end = now + cover;
        }
        d.min_required = new_min;
    }

    fn step(&mut self, op: &Op) -> Outcome {
        let now = self.now;
        let p = self.params;
        match op.clone() {
            Op::WarpTo(t) => {
                self.now = t;
                Ok(())
            }
            Op::MintTo { to, amount } => {
                *self.balances.get_mut(&to).unwrap_or_else(|| panic!("unknown token account {to}")) += amount;
                Ok(())
            }
            Op::RegisterDevice { device, owner, oracle, stake_vault, overflow_vault, gpu_count, multiplier_bps, .. } => {
                require(!self.devices.contains_key(&device), "AccountAlreadyInUse")?;
                require(oracle == self.roles.oracle, "NotOracle")?;
                require(!self.paused, "Paused")?;
                require(gpu_count >= 1 && multiplier_bps >= 1, "InvalidHardware")?;
                let min_required = minimum(gpu_count, multiplier_bps, p.base_stake_per_gpu).ok_or("MathOverflow")?;
                self.balances.insert(stake_vault, 0);
                self.balances.insert(overflow_vault, 0);
                let d = MDevice {
                    owner, stake_vault, overflow_vault, gpu_count, multiplier_bps, min_required, grace_min: 0, grace_end: 0,
                    owner_stake: 0, owner_rewards: 0, hired: false, terminated: false, ticket: None, offers: BTreeMap::new(),
                    next_offer_seq: 0, next_ticket_seq: 0, last_block: None, hold_until: 0, hold_incident_start: 0, slashes: Vec::new(),
                };
                self.devices.insert(device, d);
                Ok(())
            }
            Op::Stake { device, by, amount } => {
                let d = self.device(&device).clone();
                require(by == d.owner, "NotDeviceOwner")?;
                require(!self.paused, "Paused")?;
                require(amount > 0, "ZeroAmount")?;
                require(d.ticket.is_none(), "DeviceUnstaking")?;
                self.dev(&device).owner_stake += amount;
                self.transfer(self.token(&by), d.stake_vault, amount)
            }
            Op::CreateOffer { device, by, amount, share } => {
                let d = self.device(&device).clone();
                require(by == d.owner, "NotDeviceOwner")?;
                require(!self.paused, "Paused")?;
                require(amount > 0, "ZeroAmount")?;
                require(!d.terminated, "DeviceTerminated")?;
                require(d.ticket.is_none(), "DeviceUnstaking")?;
                require(d.open().is_none(), "OpenOfferExists")?;
                require(d.filled().is_none(), "PositionAlreadyFilled")?;
                require(d.counted(now) >= d.min_required, "BelowMinimum")?;
                require(d.owner_stake as u128 + amount as u128 >= d.min_required as u128, "BelowMinimum")?;
                let total = d.owner_stake as u128 + amount as u128;
                require(amount as u128 * BPS <= total * p.max_costake_bps as u128, "CostakeCapExceeded")?;
                require(share > 0 && share <= p.max_reward_share_bps, "InvalidRewardShare")?;
                require(d.waiting_exits(now).count() < EXIT_SLOTS, "TooManyExitingPositions")?;
                let d = self.dev(&device);
                let seq = d.next_offer_seq;
                d.next_offer_seq += 1;
                let offer = MOffer {
                    seq, stage: Stage::Open, amount, share, created_at: now, costaker: None, principal: 0, rewards: 0,
                    filled_at: 0, cancelled_at: 0, wait_end: 0, unlock_at: 0,
                };
                d.offers.insert(seq, offer);
                Ok(())
            }
            Op::RetractOffer { device, by, seq } => {
                let d = self.device(&device).clone();
                let offer = d.offers.get(&seq).ok_or("AccountNotInitialized")?;
                require(by == d.owner, "NotDeviceOwner")?;
                require(offer.stage == Stage::Open, "OfferNotOpen")?;
                self.dev(&device).offers.remove(&seq);
                Ok(())
            }
            Op::FillOffer { device, costaker, seq, amount, share } => {
                let d = self.device(&device).clone();
                let offer = d.offers.get(&seq).ok_or("AccountNotInitialized")?;
                require(!self.paused, "Paused")?;
                require(offer.stage == Stage::Open, "OfferNotOpen")?;
                require(offer.amount == amount && offer.share == share, "OfferTermsMismatch")?;
                require(costaker != d.owner, "OwnerCannotCostake")?;
                require(!d.terminated, "DeviceTerminated")?;
                require(d.ticket.is_none(), "DeviceUnstaking")?;
                require(d.filled().is_none(), "PositionAlreadyFilled")?;
                require(d.owner_stake as u128 + amount as u128 >= d.min_required as u128, "BelowMinimum")?;
                let total = d.owner_stake as u128 + amount as u128;
                require(amount as u128 * BPS <= total * p.max_costake_bps as u128, "CostakeCapExceeded")?;
                let held = self.profiles.get(&costaker).copied().unwrap_or(0);
                require(held < p.max_active_costakes, "TooManyPositions")?;
                self.profiles.insert(costaker, held + 1);
                let o = self.dev(&device).offers.get_mut(&seq).expect("the offer");
                o.stage = Stage::Filled;
                o.costaker = Some(costaker);
                o.principal = amount;
                o.filled_at = now;
                self.transfer(self.token(&costaker), d.stake_vault, amount)
            }
            Op::CancelCostake { device, costaker, seq } => {
                let d = self.device(&device).clone();
                let offer = d.offers.get(&seq).ok_or("AccountNotInitialized")?;
                require(self.profiles.contains_key(&costaker), "AccountNotInitialized")?;
                require(offer.costaker == Some(costaker), "NotCostaker")?;
                require(offer.stage == Stage::Filled, "PositionNotFilled")?;
                let o = self.dev(&device).offers.get_mut(&seq).expect("the offer");
                o.stage = Stage::Exiting;
                o.cancelled_at = now;
                o.wait_end = now + p.cover_window_secs;
                o.unlock_at = o.wait_end + p.cooldown_secs;
                let count = self.profiles.get_mut(&costaker).expect("the profile");
                *count = count.saturating_sub(1);
                Ok(())
            }
            Op::ClaimRewards { device, costaker, seq } => {
                let d = self.device(&device).clone();
                let offer = d.offers.get(&seq).ok_or("AccountNotInitialized")?;
                require(offer.costaker == Some(costaker), "NotCostaker")?;
                require(offer.rewards > 0, "NothingToClaim")?;
                let amount = offer.rewards;
                self.dev(&device).offers.get_mut(&seq).expect("the offer").rewards = 0;
                self.transfer(d.overflow_vault, self.token(&costaker), amount)
            }
            Op::WithdrawOverflow { device, by, amount } => {
                let d = self.device(&device).clone();
                require(by == d.owner, "NotDeviceOwner")?;
                require(amount > 0, "ZeroAmount")?;
                let principal = if d.held(now) { 0 } else { d.principal_overflow(p.max_costake_bps) };
                require(amount as u128 <= d.owner_rewards as u128 + principal as u128, "ExceedsOverflow")?;
                let from_rewards = amount.min(d.owner_rewards);
                let from_principal = amount - from_rewards;
                let dm = self.dev(&device);
                dm.owner_rewards -= from_rewards;
                dm.owner_stake -= from_principal;
                let to = self.token(&by);
                self.transfer(d.overflow_vault, to, from_rewards)?;
                self.transfer(d.stake_vault, to, from_principal)
            }
            Op::Unstake { device, by } => {
                let d = self.device(&device).clone();
                require(by == d.owner, "NotDeviceOwner")?;
                require(d.ticket.is_none(), "DeviceUnstaking")?;
                require(!d.hired, "DeviceHired")?;
                require(d.open().is_none(), "OpenOfferExists")?;
                require(d.owner_stake > 0, "NothingToUnstake")?;
                let unlock = now + p.cooldown_secs;
                if let Some(c) = d.filled().and_then(|o| o.costaker) {
                    let count = self.profiles.get_mut(&c).expect("the profile");
                    *count = count.saturating_sub(1);
                }
                let dm = self.dev(&device);
                for o in dm.offers.values_mut() {
                    match o.stage {
                        Stage::Filled => {
                            o.stage = Stage::Cooling;
                            o.unlock_at = unlock;
                        }
                        // an exit whose wait has ended already unlocks before `unlock`: unchanged
                        Stage::Exiting if now < o.wait_end => {
                            o.stage = Stage::Cooling;
                            o.unlock_at = o.unlock_at.min(unlock);
                        }
                        _ => {}
                    }
                }
                dm.ticket = Some(MTicket { seq: dm.next_ticket_seq, amount: dm.owner_stake, created_at: now, unlock_at: unlock });
                dm.next_ticket_seq += 1;
                dm.owner_stake = 0;
                Ok(())
            }
            Op::WithdrawTicket { device, seq } => {
                let d = self.device(&device).clone();
                let ticket = d.ticket.as_ref().filter(|t| t.seq == seq).ok_or("AccountNotInitialized")?;
                require(now >= ticket.unlock_at, "StillLocked")?;
                require(!d.held(now), "DeviceOnHold")?;
                self.dev(&device).ticket = None;
                self.transfer(d.stake_vault, self.token(&d.owner), ticket.amount)
            }
            Op::WithdrawPosition { device, seq } => {
                let d = self.device(&device).clone();
                let offer = d.offers.get(&seq).ok_or("AccountNotInitialized")?;
                require(matches!(offer.stage, Stage::Exiting | Stage::Cooling), "PositionNotExiting")?;
                require(now >= offer.unlock_at, "StillLocked")?;
                self.dev(&device).offers.remove(&seq);
                let to = self.token(&offer.costaker.expect("a filled position"));
                self.transfer(d.stake_vault, to, offer.principal)?;
                self.transfer(d.overflow_vault, to, offer.rewards)
            }
            Op::DistributeRewards { by, block_id, block_start, block_end, entries } => {
                require(by == self.roles.reward_authority, "NotRewardAuthority")?;
                require(block_start <= block_end && block_end <= now, "InvalidBlockTimes")?;
                let mut seen = Vec::new();
                for (device, amount) in entries {
                    require(!seen.contains(&device), "DuplicateDeviceInBatch")?;
                    seen.push(device);
                    let d = self.dev(&device);
                    require(d.last_block.is_none_or(|last| block_id > last), "BlockAlreadyPaid")?;
                    d.last_block = Some(block_id);
                    if !d.eligible(now) || amount == 0 {
                        continue;
                    }
                    // R21: the filled position earns when filled by the block's start
                    let mut costaker_part = 0;
                    if let Some(o) = d.offers.values_mut().find(|o| o.stage == Stage::Filled) {
                        if o.principal > 0 && o.filled_at <= block_start {
                            costaker_part = (amount as u128 * o.share as u128 / BPS) as u64;
                            o.rewards += costaker_part;
                        }
                    }
                    d.owner_rewards += amount - costaker_part;
                    let vault = d.overflow_vault;
                    self.transfer(self.reward_source, vault, amount)?;
                }
                Ok(())
            }
            Op::Slash { device, by, amount } => {
                require(by == self.roles.slash_authority, "NotSlashAuthority")?;
                require(amount > 0, "ZeroAmount")?;
                let max_bps = p.max_slash_bps_per_30d;
                let d = self.dev(&device);
                // over any 30 days: the slashes of the last 30 days and the principal before them
                let recent: u64 = d.recent_slashes(now).map(|(_, a)| a).sum();
                let cap = ((d.principal() + recent) as u128 * max_bps as u128 / BPS) as u64;
                let mut left = amount.min(cap.saturating_sub(recent));
                require(left > 0, "NothingToSlash")?;
                // R40 order: owner stake, the unripe ticket, then the positions by seq
                let mut taken = left.min(d.owner_stake);
                d.owner_stake -= taken;
                left -= taken;
                if let Some(t) = d.ticket.as_mut().filter(|t| now < t.unlock_at) {
                    let take = left.min(t.amount);
                    t.amount -= take;
                    left -= take;
                    taken += take;
                }
                for o in d.offers.values_mut().filter(|o| o.stage != Stage::Open) {
                    let take = left.min(o.principal);
                    o.principal -= take;
                    left -= take;
                    taken += take;
                }
                require(taken > 0, "NothingToSlash")?;
                d.slashes.retain(|(at, _)| now - at < SLASH_WINDOW_SECS);
                d.slashes.sort_unstable();
                if d.slashes.len() == SLASH_RECORDS {
                    let (_, oldest) = d.slashes.remove(0);
                    d.slashes[0].1 += oldest;
                }
                d.slashes.push((now, taken));
                let vault = d.stake_vault;
                self.transfer(vault, self.treasury_token, taken)
            }
            Op::Hold { device, by, until } => {
                require(by == self.roles.slash_authority, "NotSlashAuthority")?;
                let d = self.dev(&device);
                let incident = if now < d.hold_until { d.hold_incident_start } else { now };
                require(until > now && until <= incident + MAX_HOLD_SECS, "HoldTooLong")?;
                d.hold_incident_start = incident;
                d.hold_until = until;
                Ok(())
            }
            Op::SetHired { device, by, hired } => {
                require(by == self.roles.oracle, "NotOracle")?;
                let d = self.dev(&device);
                require(!(hired && d.terminated), "DeviceTerminated")?;
                d.hired = hired;
                Ok(())
            }
            Op::Terminate { device, by } => {
                require(by == self.roles.oracle, "NotOracle")?;
                let d = self.dev(&device);
                require(!d.terminated, "DeviceTerminated")?;
                d.terminated = true;
                d.hired = false;
                Ok(())
            }
            Op::UpdateHardware { device, by, gpu_count, multiplier_bps } => {
                require(by == self.roles.oracle, "NotOracle")?;
                require(gpu_count >= 1 && multiplier_bps >= 1, "InvalidHardware")?;
                let new_min = minimum(gpu_count, multiplier_bps, p.base_stake_per_gpu).ok_or("MathOverflow")?;
                let d = self.dev(&device);
                d.gpu_count = gpu_count;
                d.multiplier_bps = multiplier_bps;
                self.set_minimum(&device, new_min);
                Ok(())
            }
            Op::RefreshMin { device } => {
                let d = self.device(&device);
                let new_min = minimum(d.gpu_count, d.multiplier_bps, p.base_stake_per_gpu).ok_or("MathOverflow")?;
                self.set_minimum(&device, new_min);
                Ok(())
            }
            Op::SetPaused { by, paused } => {
                require(by == self.roles.admin, "NotAdmin")?;
                self.paused = paused;
                Ok(())
            }
            Op::UpdateParams { by, params } => {
                require(by == self.roles.admin, "NotAdmin")?;
                require(within_bounds(&params), "ParamOutOfBounds")?;
                self.params = params;
                Ok(())
            }
        }
    }

    /// Every deadline recorded in the model that is still ahead: the Clock values where a
    /// verdict changes (a second before and at each are the interesting ones).
    pub fn deadlines(&self) -> Vec<i64> {
        let mut out = Vec::new();
        for d in self.devices.values() {
            out.extend([d.grace_end, d.hold_until, d.hold_incident_start + MAX_HOLD_SECS]);
            out.extend(d.slashes.iter().map(|(at, _)| at + SLASH_WINDOW_SECS));
            out.extend(d.ticket.as_ref().map(|t| t.unlock_at));
            for o in d.offers.values() {
                out.extend([o.wait_end, o.unlock_at]);
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

    fn model() -> (Model, Pubkey, Pubkey, Pubkey) {
        let roles = ModelRoles { admin: Pubkey::new_unique(), oracle: Pubkey::new_unique(), reward_authority: Pubkey::new_unique(), slash_authority: Pubkey::new_unique() };
        let params = Params { base_stake_per_gpu: 200 * IO, cover_window_secs: 7 * DAY, cooldown_secs: 14 * DAY, max_costake_bps: 5_000, max_active_costakes: 2, max_reward_share_bps: 10_000, max_slash_bps_per_30d: 5_000, role_change_delay_secs: 7 * DAY };
        let (source, treasury) = (Pubkey::new_unique(), Pubkey::new_unique());
        let mut m = Model::new(1_000, params, roles, treasury, source);
        m.set_balance(source, 1_000_000 * IO);
        let (owner, costaker, device) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        m.add_wallet(owner, Pubkey::new_unique(), 100_000 * IO);
        m.add_wallet(costaker, Pubkey::new_unique(), 50_000 * IO);
        let register = Op::RegisterDevice { device_id: [1; 32], device, owner, oracle: roles.oracle, stake_vault: Pubkey::new_unique(), overflow_vault: Pubkey::new_unique(), gpu_count: 8, multiplier_bps: 100_000 };
        m.apply(&register).unwrap();
        (m, device, owner, costaker)
    }

    /// Rules: R1.
    #[test]
    fn the_minimum_matches_the_published_examples() {
        assert_eq!(minimum(8, 100_000, 200 * IO), Some(16_000 * IO));
        assert_eq!(minimum(4, 2_500, 200 * IO), Some(800 * IO));
        assert_eq!(minimum(1, 10_001, 3), Some(4));
        assert_eq!(minimum(u16::MAX, u32::MAX, u64::MAX), None);
    }

    /// Rules: R9 R11 R12 R21.
    #[test]
    fn a_co_staked_story_splits_rewards_and_limits_overflow() {
        let (mut m, device, owner, costaker) = model();
        m.apply(&Op::Stake { device, by: owner, amount: 16_000 * IO }).unwrap();
        assert_eq!(m.apply(&Op::CreateOffer { device, by: owner, amount: 16_001 * IO, share: 7_400 }), Err("CostakeCapExceeded"));
        m.apply(&Op::CreateOffer { device, by: owner, amount: 8_000 * IO, share: 7_400 }).unwrap();
        m.apply(&Op::FillOffer { device, costaker, seq: 0, amount: 8_000 * IO, share: 7_400 }).unwrap();
        assert_eq!(m.device(&device).principal_overflow(5_000), 8_000 * IO);
        m.apply(&Op::WarpTo(1_100)).unwrap();
        let by = m.roles.reward_authority;
        m.apply(&Op::DistributeRewards { by, block_id: 1, block_start: 1_000, block_end: 1_100, entries: vec![(device, 1_001)] }).unwrap();
        let d = m.device(&device);
        assert_eq!((d.offers[&0].rewards, d.owner_rewards), (740, 261));
        let refused = m.clone();
        assert_eq!(m.apply(&Op::WithdrawOverflow { device, by: owner, amount: 8_000 * IO + 262 }), Err("ExceedsOverflow"));
        assert_eq!(m.device(&device), refused.device(&device), "a refusal leaves the model unchanged");
    }

    /// Rules: R13 R15 R40.
    #[test]
    fn unstake_keeps_the_earlier_unlock_and_slashing_follows_the_order() {
        let (mut m, device, owner, costaker) = model();
        m.apply(&Op::Stake { device, by: owner, amount: 16_000 * IO }).unwrap();
        m.apply(&Op::CreateOffer { device, by: owner, amount: 8_000 * IO, share: 7_400 }).unwrap();
        m.apply(&Op::FillOffer { device, costaker, seq: 0, amount: 8_000 * IO, share: 7_400 }).unwrap();
        m.apply(&Op::CancelCostake { device, costaker, seq: 0 }).unwrap();
        m.apply(&Op::WarpTo(1_000 + 7 * DAY - 1)).unwrap();
        m.apply(&Op::Unstake { device, by: owner }).unwrap();
        let d = m.device(&device);
        assert_eq!((d.offers[&0].stage, d.offers[&0].unlock_at), (Stage::Cooling, 1_000 + 21 * DAY - 1), "the owner's unlock is a second earlier");
        let by = m.roles.slash_authority;
        m.apply(&Op::Slash { device, by, amount: 20_000 * IO }).unwrap();
        let d = m.device(&device);
        assert_eq!((d.ticket.as_ref().unwrap().amount, d.offers[&0].principal), (4_000 * IO, 8_000 * IO), "50% of 24,000 from the ticket first");
        assert_eq!(m.balances[&m.treasury_token], 12_000 * IO);
    }
}
