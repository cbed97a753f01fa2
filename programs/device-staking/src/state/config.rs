//! The global config: roles, the staking mint and the parameters (R30-R33).
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
    /// Most of a device's principal slashable in any 30-day window, in basis points (R40).
    pub max_slash_bps_per_30d: u16,
    /// Delay before a proposed oracle / reward / slash authority / treasury takes effect (R31).
    pub role_change_delay_secs: i64,
}

impl Params {
    /// The protocol's defaults for a mint of `decimals` decimals.
    pub fn defaults(decimals: u8) -> Result<Self> {
        let unit = 10u64
            .checked_pow(decimals as u32)
            .ok_or_else(|| error!(StakingError::MathOverflow))?;
        Ok(Self {
            base_stake_per_gpu: DEFAULT_BASE_STAKE_PER_GPU_TOKENS
                .checked_mul(unit)
                .ok_or_else(|| error!(StakingError::MathOverflow))?,
            cover_window_secs: DEFAULT_COVER_WINDOW_SECS,
            cooldown_secs: DEFAULT_COOLDOWN_SECS,
            max_costake_bps: DEFAULT_MAX_COSTAKE_BPS,
            max_active_costakes: DEFAULT_MAX_ACTIVE_COSTAKES,
            max_reward_share_bps: DEFAULT_MAX_REWARD_SHARE_BPS,
            max_slash_bps_per_30d: DEFAULT_MAX_SLASH_BPS_PER_30D,
            role_change_delay_secs: DEFAULT_ROLE_CHANGE_DELAY_SECS,
        })
    }

    /// Checks every parameter against its hard bounds (R30, R33).
    pub fn validate(&self) -> Result<()> {
        let within = |v: i64, (lo, hi): (i64, i64)| v >= lo && v <= hi;
        require!(self.base_stake_per_gpu > 0, StakingError::ParamOutOfBounds);
        require!(within(self.cover_window_secs, COVER_WINDOW_BOUNDS), StakingError::ParamOutOfBounds);
        require!(within(self.cooldown_secs, COOLDOWN_BOUNDS), StakingError::ParamOutOfBounds);
        require!(
            self.max_costake_bps >= MAX_COSTAKE_BPS_BOUNDS.0 && self.max_costake_bps <= MAX_COSTAKE_BPS_BOUNDS.1,
            StakingError::ParamOutOfBounds
        );
        require!(self.max_active_costakes >= 1, StakingError::ParamOutOfBounds);
        require!(self.max_reward_share_bps as u64 <= BPS, StakingError::ParamOutOfBounds);
        require!(self.max_slash_bps_per_30d as u64 <= BPS, StakingError::ParamOutOfBounds);
        require!(
            within(self.role_change_delay_secs, ROLE_CHANGE_DELAY_BOUNDS),
            StakingError::ParamOutOfBounds
        );
        Ok(())
    }
}

/// A role key with its proposed successor (R31). The successor takes over by time alone:
/// no crank or acceptance is needed once `effective_at` has passed.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct RoleSlot {
    /// The key in force until `effective_at`.
    pub current: Pubkey,
    /// The proposed key; `Pubkey::default()` when none is proposed.
    pub pending: Pubkey,
    /// When `pending` takes effect (unix seconds); 0 when none is proposed.
    pub effective_at: i64,
}

impl RoleSlot {
    /// A slot holding `key` with nothing proposed.
    pub fn new(key: Pubkey) -> Self {
        Self { current: key, pending: Pubkey::default(), effective_at: 0 }
    }

    /// The key in force at `now`.
    pub fn key_at(&self, now: i64) -> Pubkey {
        if self.effective_at != 0 && now >= self.effective_at {
            self.pending
        } else {
            self.current
        }
    }

    /// Records `key` to take over at `now + delay`, first settling a proposal already in force.
    pub fn propose(&mut self, key: Pubkey, now: i64, delay: i64) -> Result<()> {
        self.current = self.key_at(now);
        self.pending = key;
        self.effective_at = crate::state::add_secs(now, delay)?.max(1);
        Ok(())
    }
}

/// The roles an admin may hand over with a delay (R31).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Attests hardware, marks hired, terminates.
    Oracle,
    /// Pays block rewards.
    RewardAuthority,
    /// Holds and slashes devices.
    SlashAuthority,
    /// Receives slashed tokens and swept surplus.
    Treasury,
}

/// The global config PDA `["config"]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Config {
    /// Owner of the config: proposes roles, pauses, updates parameters.
    pub admin: Pubkey,
    /// Proposed next admin (two-step handover); `Pubkey::default()` when none.
    pub pending_admin: Pubkey,
    /// The network's backend key: hardware attestations, hired status, termination.
    pub oracle: RoleSlot,
    /// The key that pays block rewards.
    pub reward_authority: RoleSlot,
    /// The key that may hold and slash devices.
    pub slash_authority: RoleSlot,
    /// The wallet whose token account receives slashes and swept surplus.
    pub treasury: RoleSlot,
    /// The staking token's mint.
    pub mint: Pubkey,
    /// The mint's token program (SPL Token or Token-2022).
    pub token_program: Pubkey,
    /// The mint's decimals, kept for clients.
    pub mint_decimals: u8,
    /// The protocol's parameters.
    pub params: Params,
    /// Whether stake, create_offer, fill_offer and register_device are paused (R32).
    pub paused: bool,
    /// The PDA's bump.
    pub bump: u8,
    /// Who paid the rent.
    pub payer: Pubkey,
    /// Room for later versions.
    pub reserved: [u8; RESERVED_BYTES],
}

impl Config {
    /// The role slot of `role`.
    pub fn role_slot_mut(&mut self, role: Role) -> &mut RoleSlot {
        match role {
            Role::Oracle => &mut self.oracle,
            Role::RewardAuthority => &mut self.reward_authority,
            Role::SlashAuthority => &mut self.slash_authority,
            Role::Treasury => &mut self.treasury,
        }
    }

    /// Fails with `Paused` when the pausable actions are paused (R32).
    pub fn require_not_paused(&self) -> Result<()> {
        require!(!self.paused, StakingError::Paused);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_within_bounds_and_scaled_by_decimals() {
        let p = Params::defaults(6).unwrap();
        p.validate().unwrap();
        assert_eq!(p.base_stake_per_gpu, 200_000_000);
        assert_eq!(p.cover_window_secs, 604_800);
        assert_eq!(p.cooldown_secs, 1_209_600);
    }

    #[test]
    fn bounds_are_enforced() {
        let ok = Params::defaults(9).unwrap();
        let cases: [fn(&mut Params); 9] = [
            |p| p.base_stake_per_gpu = 0,
            |p| p.cover_window_secs = 0,
            |p| p.cover_window_secs = 14 * DAY + 1,
            |p| p.cooldown_secs = 30 * DAY + 1,
            |p| p.max_costake_bps = 0,
            |p| p.max_costake_bps = 5_001,
            |p| p.max_active_costakes = 0,
            |p| p.max_reward_share_bps = 10_001,
            |p| p.role_change_delay_secs = 30 * DAY + 1,
        ];
        for case in cases {
            let mut p = ok;
            case(&mut p);
            assert!(p.validate().is_err(), "{p:?}");
        }
        let mut short = ok;
        short.cover_window_secs = 1;
        short.cooldown_secs = 1;
        short.role_change_delay_secs = 0;
        short.validate().unwrap();
    }

    #[test]
    fn role_change_takes_effect_by_time_alone() {
        let a = Pubkey::new_unique();
        let b = Pubkey::new_unique();
        let c = Pubkey::new_unique();
        let mut slot = RoleSlot::new(a);
        slot.propose(b, 100, 50).unwrap();
        assert_eq!(slot.key_at(149), a);
        assert_eq!(slot.key_at(150), b);
        // a second proposal after the first took effect keeps b in force meanwhile
        slot.propose(c, 200, 50).unwrap();
        assert_eq!(slot.key_at(200), b);
        assert_eq!(slot.key_at(250), c);
        // zero delay still takes effect at once
        let mut now_slot = RoleSlot::new(a);
        now_slot.propose(b, 10, 0).unwrap();
        assert_eq!(now_slot.key_at(10), b);
    }
}
