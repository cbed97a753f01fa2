//! The global config: roles, the staking mint, the floors and the parameters (R30-R34).
use super::math::add_secs;
use crate::constants::*;
use crate::error::StakingError;
use anchor_lang::prelude::*;

/// The protocol's tunable parameters, each within hard bounds (protocol "Parameters").
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct Params {
    /// Per-GPU base of the minimum stake, in base units (R1).
    pub base_stake_per_gpu: u64,
    /// A leaving co-staker's wait, and the owner's time to cover (R13), in seconds.
    pub cover_window_secs: i64,
    /// Unstake cooldown (R13-R15), in seconds.
    pub cooldown_secs: i64,
    /// Most co-stake may be of total stake, in basis points (R9).
    pub max_costake_bps: u16,
    /// Filled positions one co-staker wallet may hold at once (R11).
    pub max_active_costakes: u8,
    /// Upper bound of an offer's co-staker reward share, in basis points (R9).
    pub max_reward_share_bps: u16,
    /// Smallest offer, as a share of the device's minimum, in basis points (R9).
    pub min_offer_bps: u16,
    /// Most of a staker's slashable principal taken in any 30 days, in basis points (R40).
    pub max_slash_bps_per_30d: u16,
    /// Longest hold incident, in seconds (R41).
    pub max_hold_secs: i64,
    /// The admin's chosen delay of role grants and parameter changes, in seconds (R34 may lengthen it).
    pub role_change_delay_secs: i64,
}

/// Lower bounds of the protection windows, fixed at `initialize` and never lowered (protocol "Floors").
/// Three `i64`s: a Pod layout without padding, so the same type is an argument, an event field and
/// the zero-copy config's stored form (its Borsh encoding has the same bytes).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct Floors {
    /// Smallest `cover_window_secs`.
    pub cover_window_secs: i64,
    /// Smallest `cooldown_secs`.
    pub cooldown_secs: i64,
    /// Smallest `role_change_delay_secs`.
    pub role_change_delay_secs: i64,
}

impl Floors {
    /// Checks the floors against the parameters' hard upper bounds (R30).
    pub fn validate(&self) -> Result<()> {
        require!(self.cover_window_secs >= 1 && self.cover_window_secs <= MAX_COVER_WINDOW_SECS, StakingError::FloorOutOfBounds);
        require!(self.cooldown_secs >= 1 && self.cooldown_secs <= MAX_COOLDOWN_SECS, StakingError::FloorOutOfBounds);
        require!(
            self.role_change_delay_secs >= 0 && self.role_change_delay_secs <= MAX_ROLE_CHANGE_DELAY_SECS,
            StakingError::FloorOutOfBounds
        );
        Ok(())
    }
}

impl Params {
    /// The protocol's defaults for a mint of `decimals` decimals.
    pub fn defaults(decimals: u8) -> Result<Self> {
        let unit = 10u64.checked_pow(decimals as u32).ok_or_else(|| error!(StakingError::MathOverflow))?;
        Ok(Self {
            base_stake_per_gpu: DEFAULT_BASE_STAKE_PER_GPU_TOKENS
                .checked_mul(unit)
                .ok_or_else(|| error!(StakingError::MathOverflow))?,
            cover_window_secs: DEFAULT_COVER_WINDOW_SECS,
            cooldown_secs: DEFAULT_COOLDOWN_SECS,
            max_costake_bps: DEFAULT_MAX_COSTAKE_BPS,
            max_active_costakes: DEFAULT_MAX_ACTIVE_COSTAKES,
            max_reward_share_bps: DEFAULT_MAX_REWARD_SHARE_BPS,
            min_offer_bps: DEFAULT_MIN_OFFER_BPS,
            max_slash_bps_per_30d: DEFAULT_MAX_SLASH_BPS_PER_30D,
            max_hold_secs: DEFAULT_MAX_HOLD_SECS,
            role_change_delay_secs: DEFAULT_ROLE_CHANGE_DELAY_SECS,
        })
    }

    /// Checks every parameter against its hard bounds and the floors (R30, R33).
    pub fn validate(&self, floors: &Floors) -> Result<()> {
        let within = |v: i64, lo: i64, hi: i64| v >= lo && v <= hi;
        let within_bps = |v: u16, (lo, hi): (u16, u16)| v >= lo && v <= hi;
        require!(self.base_stake_per_gpu > 0, StakingError::ParamOutOfBounds);
        require!(within(self.cover_window_secs, floors.cover_window_secs, MAX_COVER_WINDOW_SECS), StakingError::ParamOutOfBounds);
        require!(within(self.cooldown_secs, floors.cooldown_secs, MAX_COOLDOWN_SECS), StakingError::ParamOutOfBounds);
        require!(within_bps(self.max_costake_bps, MAX_COSTAKE_BPS_BOUNDS), StakingError::ParamOutOfBounds);
        require!(self.max_active_costakes >= 1, StakingError::ParamOutOfBounds);
        require!(self.max_reward_share_bps as u64 <= BPS, StakingError::ParamOutOfBounds);
        require!(within_bps(self.min_offer_bps, MIN_OFFER_BPS_BOUNDS), StakingError::ParamOutOfBounds);
        require!(self.max_slash_bps_per_30d as u64 <= BPS, StakingError::ParamOutOfBounds);
        require!(within(self.max_hold_secs, MAX_HOLD_BOUNDS.0, MAX_HOLD_BOUNDS.1), StakingError::ParamOutOfBounds);
        require!(
            within(self.role_change_delay_secs, floors.role_change_delay_secs, MAX_ROLE_CHANGE_DELAY_SECS),
            StakingError::ParamOutOfBounds
        );
        Ok(())
    }

    /// R34: how long a grant or loosening proposed under these parameters waits: the admin's delay,
    /// but at least until a co-staker who cancels at the announcement is ripe, and an owner who
    /// unstakes then is ripe and past any hold, plus one second.
    pub fn change_delay(&self) -> i64 {
        let co_staker_exit = self.cover_window_secs + self.cooldown_secs;
        let owner_exit = self.cooldown_secs + self.max_hold_secs;
        self.role_change_delay_secs.max(co_staker_exit).max(owner_exit) + 1
    }
}

/// [`Params`] as the zero-copy config stores them: the same fields, the 8-byte ones first, then
/// the small ones and explicit padding (a Pod layout, no implicit padding). `Params` itself stays
/// the instructions' argument and the events' field (Borsh, no padding for a client to fill);
/// the two convert with `From`, field by field.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, AnchorSerialize, AnchorDeserialize, InitSpace, bytemuck::Pod, bytemuck::Zeroable,
)]
#[repr(C)]
pub struct StoredParams {
    /// Per-GPU base of the minimum stake, in base units (R1).
    pub base_stake_per_gpu: u64,
    /// A leaving co-staker's wait, and the owner's time to cover (R13), in seconds.
    pub cover_window_secs: i64,
    /// Unstake cooldown (R13-R15), in seconds.
    pub cooldown_secs: i64,
    /// Longest hold incident, in seconds (R41).
    pub max_hold_secs: i64,
    /// The admin's chosen delay of role grants and parameter changes, in seconds.
    pub role_change_delay_secs: i64,
    /// Most co-stake may be of total stake, in basis points (R9).
    pub max_costake_bps: u16,
    /// Upper bound of an offer's co-staker reward share, in basis points (R9).
    pub max_reward_share_bps: u16,
    /// Smallest offer, as a share of the device's minimum, in basis points (R9).
    pub min_offer_bps: u16,
    /// Most of a staker's slashable principal taken in any 30 days, in basis points (R40).
    pub max_slash_bps_per_30d: u16,
    /// Filled positions one co-staker wallet may hold at once (R11).
    pub max_active_costakes: u8,
    /// Padding to the next 8-byte boundary (always zero).
    pub _pad: [u8; 7],
}

/// The stored size of [`StoredParams`].
pub const STORED_PARAMS_SIZE: usize = 56;
const _: () = assert!(core::mem::size_of::<StoredParams>() == STORED_PARAMS_SIZE);
const _: () = assert!(StoredParams::INIT_SPACE == STORED_PARAMS_SIZE);

impl From<Params> for StoredParams {
    fn from(p: Params) -> Self {
        Self {
            base_stake_per_gpu: p.base_stake_per_gpu,
            cover_window_secs: p.cover_window_secs,
            cooldown_secs: p.cooldown_secs,
            max_hold_secs: p.max_hold_secs,
            role_change_delay_secs: p.role_change_delay_secs,
            max_costake_bps: p.max_costake_bps,
            max_reward_share_bps: p.max_reward_share_bps,
            min_offer_bps: p.min_offer_bps,
            max_slash_bps_per_30d: p.max_slash_bps_per_30d,
            max_active_costakes: p.max_active_costakes,
            _pad: [0; 7],
        }
    }
}

impl From<StoredParams> for Params {
    fn from(p: StoredParams) -> Self {
        Self {
            base_stake_per_gpu: p.base_stake_per_gpu,
            cover_window_secs: p.cover_window_secs,
            cooldown_secs: p.cooldown_secs,
            max_costake_bps: p.max_costake_bps,
            max_active_costakes: p.max_active_costakes,
            max_reward_share_bps: p.max_reward_share_bps,
            min_offer_bps: p.min_offer_bps,
            max_slash_bps_per_30d: p.max_slash_bps_per_30d,
            max_hold_secs: p.max_hold_secs,
            role_change_delay_secs: p.role_change_delay_secs,
        }
    }
}

/// A role key with its proposed successor (R31, R34). The successor takes over by time alone
/// once it has accepted (proving control of the key) and R34's time has come. A Pod layout inside
/// the zero-copy config: the acceptance is a `u8` (read it with [`RoleSlot::is_accepted`]) and the
/// padding explicit.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace, bytemuck::Pod, bytemuck::Zeroable,
)]
#[repr(C)]
pub struct RoleSlot {
    /// The key in force until the pending one takes over; `Pubkey::default()` when revoked (none).
    pub current: Pubkey,
    /// The proposed key; `Pubkey::default()` when none is proposed.
    pub pending: Pubkey,
    /// The earliest time `pending` takes effect (R34); 0 when none is proposed.
    pub effective_at: i64,
    /// 1 once the proposed key has accepted the role, else 0: see [`RoleSlot::is_accepted`].
    pub accepted: u8,
    /// Padding to the next 8-byte boundary (always zero).
    pub _pad: [u8; 7],
}

/// The stored size of a [`RoleSlot`].
pub const ROLE_SLOT_SIZE: usize = 80;
const _: () = assert!(core::mem::size_of::<RoleSlot>() == ROLE_SLOT_SIZE);
const _: () = assert!(RoleSlot::INIT_SPACE == ROLE_SLOT_SIZE);

impl RoleSlot {
    /// A slot holding `key` with nothing proposed.
    pub fn new(key: Pubkey) -> Self {
        Self { current: key, pending: Pubkey::default(), effective_at: 0, accepted: 0, _pad: [0; 7] }
    }

    /// Whether the proposed key has accepted the role.
    pub fn is_accepted(&self) -> bool {
        self.accepted != 0
    }

    /// Whether a proposal is pending (accepted or not, in force or not).
    pub fn has_pending(&self) -> bool {
        self.effective_at != 0
    }

    /// The key in force at `now` (`Pubkey::default()` for none).
    pub fn key_at(&self, now: i64) -> Pubkey {
        if self.has_pending() && self.is_accepted() && now >= self.effective_at {
            self.pending
        } else {
            self.current
        }
    }

    /// Whether `key` holds the role at `now`; a revoked role (none) is held by nobody.
    pub fn is(&self, key: &Pubkey, now: i64) -> bool {
        let holder = self.key_at(now);
        !super::is_zero_key(&holder) && super::same_key(&holder, key)
    }

    /// Folds a proposal that is already in force into `current`.
    fn settle(&mut self, now: i64) {
        self.current = self.key_at(now);
        if self.current == self.pending && self.has_pending() && self.is_accepted() && now >= self.effective_at {
            *self = Self::new(self.current);
        }
    }

    /// R31, R34: records `key` to take over at the earliest at `effective_at`, replacing any earlier proposal.
    pub fn propose(&mut self, key: Pubkey, now: i64, effective_at: i64) {
        self.settle(now);
        self.pending = key;
        self.effective_at = effective_at.max(1);
        self.accepted = 0;
    }

    /// R31: the proposed key accepts.
    pub fn accept(&mut self, signer: &Pubkey, now: i64) -> Result<()> {
        self.settle(now);
        require!(self.has_pending(), StakingError::NoPendingChange);
        require_keys_eq!(*signer, self.pending, StakingError::NotPendingKey);
        self.accepted = 1;
        Ok(())
    }

    /// R31: the admin cancels a pending proposal.
    pub fn cancel(&mut self, now: i64) -> Result<()> {
        self.settle(now);
        require!(self.has_pending(), StakingError::NoPendingChange);
        *self = Self::new(self.current);
        Ok(())
    }

    /// R34: revocation: nobody holds the role from now on, and a pending grant is cancelled.
    pub fn revoke(&mut self) {
        *self = Self::new(Pubkey::default());
    }
}

/// The roles of the config (R31).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Owns the config: proposes roles and parameters, pauses, revokes.
    Admin,
    /// Attests hardware, marks hired, terminates, co-signs registrations.
    Oracle,
    /// Pays block rewards.
    RewardAuthority,
    /// Holds and slashes devices.
    SlashAuthority,
    /// Receives slashed tokens and swept surplus.
    Treasury,
}

/// What a config change did, for its event: the role's slot after the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleChange {
    /// The role changed.
    pub role: Role,
    /// Its slot after the change.
    pub slot: RoleSlot,
}

/// The config facts every device rule reads, at one clock (built once per instruction).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Env {
    /// The clock (unix seconds).
    pub now: i64,
    /// The parameters in force at `now`.
    pub params: Params,
    /// Whether the pausable actions are paused (R32).
    pub paused: bool,
    /// When the oracle was last revoked: hired marks set before no longer count (R34).
    pub oracle_revoked_at: i64,
    /// When the slash authority was last revoked: holds started before end (R34).
    pub slash_revoked_at: i64,
}

/// The global config PDA `["config"]`: a zero-copy account (a Pod layout read in place), every
/// 8-byte field 8-aligned, explicit padding, the pause flag a `u8` (see [`Config::is_paused`]) and
/// the parameters in their stored form ([`StoredParams`]; read them with [`Config::params_at`]).
#[account(zero_copy)]
#[derive(InitSpace, Debug)]
pub struct Config {
    /// Owner of the config: proposes roles and parameters, pauses, revokes (R31-R34).
    pub admin: RoleSlot,
    /// The network's backend key: hardware attestations, hired status, termination, registrations.
    pub oracle: RoleSlot,
    /// The key that pays block rewards.
    pub reward_authority: RoleSlot,
    /// The key that may hold and slash devices.
    pub slash_authority: RoleSlot,
    /// The wallet whose token account receives slashes and swept surplus.
    pub treasury: RoleSlot,
    /// When the oracle was last revoked (0 never).
    pub oracle_revoked_at: i64,
    /// When the slash authority was last revoked (0 never).
    pub slash_revoked_at: i64,
    /// The staking token's mint.
    pub mint: Pubkey,
    /// The mint's token program (SPL Token or Token-2022).
    pub token_program: Pubkey,
    /// The floors of the protection windows, fixed at initialize.
    pub floors: Floors,
    /// The parameters in force until `pending_params` takes over.
    pub params: StoredParams,
    /// Proposed parameters (R33); meaningful when `params_effective_at` is not 0.
    pub pending_params: StoredParams,
    /// When `pending_params` takes effect (R34); 0 when none is proposed.
    pub params_effective_at: i64,
    /// Who paid the rent.
    pub payer: Pubkey,
    /// The mint's decimals, kept for clients and `transfer_checked`.
    pub mint_decimals: u8,
    /// 1 while register_device, create_offer, fill_offer and stake are paused (R32), else 0: see [`Config::is_paused`].
    pub paused: u8,
    /// The PDA's bump.
    pub bump: u8,
    /// Padding to the next 8-byte boundary (always zero).
    pub _pad: [u8; 5],
    /// Room for later versions.
    pub reserved: [u8; RESERVED_BYTES],
}

/// The stored size of a `Config` (without its 8-byte discriminator). The Pod layout has no
/// implicit padding, so its Borsh description (`INIT_SPACE`, the IDL) has the same bytes.
pub const CONFIG_SIZE: usize = 728;
const _: () = assert!(core::mem::size_of::<Config>() == CONFIG_SIZE);
const _: () = assert!(core::mem::align_of::<Config>() == 8);
const _: () = assert!(Config::INIT_SPACE == CONFIG_SIZE);

/// What `initialize` records (R30): the roles, the mint, the floors and the parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigSetup {
    /// The admin, oracle, reward authority, slash authority and treasury, in that order.
    pub roles: [Pubkey; 5],
    /// The staking mint.
    pub mint: Pubkey,
    /// The mint's token program.
    pub token_program: Pubkey,
    /// The mint's decimals.
    pub mint_decimals: u8,
    /// The floors.
    pub floors: Floors,
    /// The parameters.
    pub params: Params,
    /// The config PDA's bump.
    pub bump: u8,
    /// Who paid the rent.
    pub payer: Pubkey,
}

impl Config {
    /// A new config (R30): every role held by its key with nothing proposed, the parameters in
    /// force and none pending, not paused.
    pub fn new(setup: &ConfigSetup) -> Self {
        let [admin, oracle, reward_authority, slash_authority, treasury] = setup.roles;
        let mut config: Self = bytemuck::Zeroable::zeroed();
        config.admin = RoleSlot::new(admin);
        config.oracle = RoleSlot::new(oracle);
        config.reward_authority = RoleSlot::new(reward_authority);
        config.slash_authority = RoleSlot::new(slash_authority);
        config.treasury = RoleSlot::new(treasury);
        config.mint = setup.mint;
        config.token_program = setup.token_program;
        config.mint_decimals = setup.mint_decimals;
        config.floors = setup.floors;
        config.params = setup.params.into();
        config.pending_params = setup.params.into();
        config.bump = setup.bump;
        config.payer = setup.payer;
        config
    }

    /// Whether the pausable actions are paused (R32).
    pub fn is_paused(&self) -> bool {
        self.paused != 0
    }

    /// R32: pauses or resumes the pausable actions.
    pub fn set_paused(&mut self, paused: bool) {
        self.paused = paused as u8;
    }

    /// The parameters in force until the pending ones take over (see [`Config::params_at`]).
    pub fn params(&self) -> Params {
        self.params.into()
    }

    /// The proposed parameters (meaningful when `params_effective_at` is not 0).
    pub fn pending_params(&self) -> Params {
        self.pending_params.into()
    }

    /// The slot of `role`.
    pub fn role_slot(&self, role: Role) -> &RoleSlot {
        match role {
            Role::Admin => &self.admin,
            Role::Oracle => &self.oracle,
            Role::RewardAuthority => &self.reward_authority,
            Role::SlashAuthority => &self.slash_authority,
            Role::Treasury => &self.treasury,
        }
    }

    /// The slot of `role`, to change it.
    pub fn role_slot_mut(&mut self, role: Role) -> &mut RoleSlot {
        match role {
            Role::Admin => &mut self.admin,
            Role::Oracle => &mut self.oracle,
            Role::RewardAuthority => &mut self.reward_authority,
            Role::SlashAuthority => &mut self.slash_authority,
            Role::Treasury => &mut self.treasury,
        }
    }

    /// The parameters in force at `now` (R33: a proposal applies by time alone).
    pub fn params_at(&self, now: i64) -> Params {
        if self.params_effective_at != 0 && now >= self.params_effective_at {
            self.pending_params.into()
        } else {
            self.params.into()
        }
    }

    /// The config facts the device rules read at `now`.
    pub fn env(&self, now: i64) -> Env {
        Env {
            now,
            params: self.params_at(now),
            paused: self.is_paused(),
            oracle_revoked_at: self.oracle_revoked_at,
            slash_revoked_at: self.slash_revoked_at,
        }
    }

    /// R34: when a grant or loosening proposed at `now` may take effect.
    pub fn change_time(&self, now: i64) -> Result<i64> {
        add_secs(now, self.params_at(now).change_delay())
    }

    /// Folds parameters already in force into `params`.
    fn settle_params(&mut self, now: i64) {
        self.params = self.params_at(now).into();
        if self.params_effective_at != 0 && now >= self.params_effective_at {
            self.params_effective_at = 0;
        }
    }

    /// R31, R34: the admin proposes `key` for `role`; it waits for acceptance and R34's time.
    pub fn propose_role(&mut self, role: Role, key: Pubkey, now: i64) -> Result<RoleChange> {
        require!(key != Pubkey::default(), StakingError::InvalidRoleKey);
        let effective_at = self.change_time(now)?;
        let slot = self.role_slot_mut(role);
        slot.propose(key, now, effective_at);
        Ok(RoleChange { role, slot: *slot })
    }

    /// R31: the proposed key accepts `role`.
    pub fn accept_role(&mut self, role: Role, signer: &Pubkey, now: i64) -> Result<RoleChange> {
        let slot = self.role_slot_mut(role);
        slot.accept(signer, now)?;
        Ok(RoleChange { role, slot: *slot })
    }

    /// R31: the admin in force cancels a pending change of `role`.
    pub fn cancel_role(&mut self, role: Role, now: i64) -> Result<RoleChange> {
        let slot = self.role_slot_mut(role);
        slot.cancel(now)?;
        Ok(RoleChange { role, slot: *slot })
    }

    /// R34: the admin revokes the oracle, the reward authority or the slash authority at once.
    pub fn revoke_role(&mut self, role: Role, now: i64) -> Result<RoleChange> {
        match role {
            Role::Oracle => self.oracle_revoked_at = now,
            Role::SlashAuthority => self.slash_revoked_at = now,
            Role::RewardAuthority => {}
            Role::Admin | Role::Treasury => return err!(StakingError::RoleNotRevocable),
        }
        let slot = self.role_slot_mut(role);
        slot.revoke();
        Ok(RoleChange { role, slot: *slot })
    }

    /// R33, R34: the admin proposes a full parameter set; it applies at R34's time. A newer
    /// proposal replaces the older one and its clock starts again.
    pub fn propose_params(&mut self, params: Params, now: i64) -> Result<i64> {
        params.validate(&self.floors)?;
        let effective_at = self.change_time(now)?;
        self.settle_params(now);
        self.pending_params = params.into();
        self.params_effective_at = effective_at;
        Ok(effective_at)
    }

    /// R31: the admin cancels pending parameters.
    pub fn cancel_params(&mut self, now: i64) -> Result<()> {
        self.settle_params(now);
        require!(self.params_effective_at != 0, StakingError::NoPendingChange);
        self.params_effective_at = 0;
        Ok(())
    }

    /// R34: a tightening applies at once: the slash cap goes down to `max_slash_bps_per_30d`,
    /// in force and in a pending parameter set. Returns the cap in force after it.
    pub fn lower_slash_cap(&mut self, max_slash_bps_per_30d: u16, now: i64) -> Result<u16> {
        self.settle_params(now);
        require!(max_slash_bps_per_30d < self.params.max_slash_bps_per_30d, StakingError::NotATightening);
        self.params.max_slash_bps_per_30d = max_slash_bps_per_30d;
        self.pending_params.max_slash_bps_per_30d = self.pending_params.max_slash_bps_per_30d.min(max_slash_bps_per_30d);
        Ok(self.params.max_slash_bps_per_30d)
    }

    /// Fails with `Paused` when the pausable actions are paused (R32).
    pub fn require_not_paused(&self) -> Result<()> {
        require!(!self.is_paused(), StakingError::Paused);
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::state::InAccount;

    pub fn local_floors() -> Floors {
        Floors { cover_window_secs: 1, cooldown_secs: 1, role_change_delay_secs: 0 }
    }

    pub fn config(params: Params) -> Config {
        Config::new(&ConfigSetup {
            roles: [(); 5].map(|_| Pubkey::new_unique()),
            mint: Pubkey::default(),
            token_program: Pubkey::default(),
            mint_decimals: 6,
            floors: local_floors(),
            params,
            bump: 255,
            payer: Pubkey::default(),
        })
    }

    #[test]
    fn stored_params_round_trip_and_a_new_config_is_settled() {
        let mut p = Params::defaults(6).unwrap();
        p.max_active_costakes = 3;
        p.max_hold_secs = 5;
        assert_eq!(Params::from(StoredParams::from(p)), p);
        let c = config(p);
        assert_eq!((c.params(), c.pending_params(), c.params_at(0)), (p, p, p));
        assert!(!c.is_paused() && !c.admin.is_accepted() && c.params_effective_at == 0);
        let data = c.account_data();
        assert_eq!(data.len(), 8 + CONFIG_SIZE);
        assert_eq!(bytemuck::from_bytes::<Config>(&data[8..]).admin, c.admin);
    }

    #[test]
    fn defaults_are_within_bounds_and_scaled_by_decimals() {
        let p = Params::defaults(6).unwrap();
        p.validate(&local_floors()).unwrap();
        assert_eq!(p.base_stake_per_gpu, 200_000_000);
        assert_eq!(p.cover_window_secs, 604_800);
        assert_eq!(p.cooldown_secs, 1_209_600);
        assert_eq!(p.max_hold_secs, 604_800);
        // R34: 7 d + 14 d + 1 s by default
        assert_eq!(p.change_delay(), 21 * DAY + 1);
    }

    #[test]
    fn bounds_and_floors_are_enforced() {
        let ok = Params::defaults(9).unwrap();
        let cases: [fn(&mut Params); 11] = [
            |p| p.base_stake_per_gpu = 0,
            |p| p.cover_window_secs = 0,
            |p| p.cover_window_secs = 14 * DAY + 1,
            |p| p.cooldown_secs = 30 * DAY + 1,
            |p| p.max_costake_bps = 0,
            |p| p.max_costake_bps = 5_001,
            |p| p.max_active_costakes = 0,
            |p| p.max_reward_share_bps = 10_001,
            |p| p.role_change_delay_secs = 30 * DAY + 1,
            |p| p.min_offer_bps = 0,
            |p| p.max_hold_secs = 7 * DAY + 1,
        ];
        for case in cases {
            let mut p = ok;
            case(&mut p);
            assert!(p.validate(&local_floors()).is_err(), "{p:?}");
        }
        let mainnet = Floors { cover_window_secs: DAY, cooldown_secs: 7 * DAY, role_change_delay_secs: 7 * DAY };
        mainnet.validate().unwrap();
        ok.validate(&mainnet).unwrap();
        let mut short = ok;
        short.cooldown_secs = 7 * DAY - 1;
        assert!(short.validate(&mainnet).is_err());
        short.validate(&local_floors()).unwrap();
        assert!(Floors { cover_window_secs: 0, ..mainnet }.validate().is_err());
        assert!(Floors { cooldown_secs: 31 * DAY, ..mainnet }.validate().is_err());
    }

    #[test]
    fn r31_r34_grant_needs_acceptance_and_waits_for_exits() {
        let params = Params::defaults(6).unwrap();
        let mut c = config(params);
        let old = c.oracle.current;
        let new = Pubkey::new_unique();
        let change = c.propose_role(Role::Oracle, new, 100).unwrap();
        let at = 100 + params.change_delay();
        assert_eq!(change.slot.effective_at, at);
        // not accepted: never in force
        assert!(c.oracle.is(&old, at + 1));
        assert!(c.accept_role(Role::Oracle, &Pubkey::new_unique(), 200).is_err());
        c.accept_role(Role::Oracle, &new, 200).unwrap();
        assert!(c.oracle.is(&old, at - 1));
        assert!(c.oracle.is(&new, at));
        // acceptance after the R34 time: in force from the acceptance
        let other = Pubkey::new_unique();
        c.propose_role(Role::Treasury, other, 100).unwrap();
        assert!(!c.treasury.is(&other, at + 50));
        c.accept_role(Role::Treasury, &other, at + 50).unwrap();
        assert!(c.treasury.is(&other, at + 50));
    }

    #[test]
    fn r34_revocation_is_immediate_and_cancels_a_grant() {
        let mut c = config(Params::defaults(6).unwrap());
        let slash = c.slash_authority.current;
        let next = Pubkey::new_unique();
        c.propose_role(Role::SlashAuthority, next, 10).unwrap();
        c.accept_role(Role::SlashAuthority, &next, 11).unwrap();
        c.revoke_role(Role::SlashAuthority, 12).unwrap();
        assert!(!c.slash_authority.is(&slash, 12));
        assert!(!c.slash_authority.is(&next, i64::MAX));
        assert!(!c.slash_authority.is(&Pubkey::default(), 12));
        assert_eq!(c.slash_revoked_at, 12);
        assert!(c.revoke_role(Role::Treasury, 12).is_err());
        assert!(c.revoke_role(Role::Admin, 12).is_err());
        // a proposal's cancel
        c.propose_role(Role::Oracle, next, 20).unwrap();
        c.cancel_role(Role::Oracle, 21).unwrap();
        assert!(c.cancel_role(Role::Oracle, 21).is_err());
    }

    #[test]
    fn r33_r34_params_wait_and_the_slash_cap_tightens_at_once() {
        let params = Params::defaults(6).unwrap();
        let mut c = config(params);
        let mut looser = params;
        looser.max_slash_bps_per_30d = 10_000;
        looser.role_change_delay_secs = 0;
        let at = c.propose_params(looser, 1_000).unwrap();
        assert_eq!(at, 1_000 + params.change_delay());
        assert_eq!(c.params_at(at - 1), params);
        assert_eq!(c.params_at(at), looser);
        // a tightening: in force at once and in the pending set
        assert_eq!(c.lower_slash_cap(1_000, 2_000).unwrap(), 1_000);
        assert_eq!(c.params_at(2_000).max_slash_bps_per_30d, 1_000);
        assert_eq!(c.params_at(at).max_slash_bps_per_30d, 1_000);
        assert!(c.lower_slash_cap(1_000, 2_000).is_err());
        // a newer proposal replaces the older one and restarts the clock
        let at2 = c.propose_params(looser, 3_000).unwrap();
        assert_eq!(c.params_at(at), c.params());
        assert_eq!(c.params_at(at2), looser);
        c.cancel_params(3_001).unwrap();
        assert_eq!(c.params_at(at2).max_slash_bps_per_30d, 1_000);
        // out of bounds or below a floor
        let mut bad = params;
        bad.cooldown_secs = 0;
        assert!(c.propose_params(bad, 4_000).is_err());
    }
}
