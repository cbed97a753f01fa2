//! Decoding of the program's accounts and of the custom error codes its transactions fail with.
use anchor_lang::error::ErrorCode as AnchorErrorCode;
use anchor_lang::{AccountDeserialize, Result};
use device_staking::error::StakingError;
use std::sync::OnceLock;

/// Decodes an account of type `T` (e.g. `device_staking::state::Config`) from its raw data,
/// checking its 8-byte Anchor discriminator.
pub fn account<T: AccountDeserialize>(data: &[u8]) -> Result<T> {
    T::try_deserialize(&mut &data[..])
}

/// The `(name, message)` of the custom error `code` a transaction failed with: the program's
/// `StakingError` (6000 and up) or one of Anchor's own codes (100-5000, e.g. 3007
/// `AccountOwnedByWrongProgram`). `None` for any other code, e.g. a system program error.
pub fn error_name(code: u32) -> Option<(&'static str, &'static str)> {
    table().iter().find(|e| e.code == code).map(|e| (e.name.as_str(), e.msg.as_str()))
}

struct ErrorEntry {
    code: u32,
    name: String,
    msg: String,
}

/// Maps each listed variant of an `#[error_code]` enum to its code, name and message, all taken
/// from what Anchor generates for the enum. The `match` makes a variant missing from the list a
/// compile error (the error macro offers no way to enumerate variants or convert from `u32`).
macro_rules! entries {
    ($enum:ident: $($variant:ident),+ $(,)?) => {{
        fn _every_variant_is_listed(e: $enum) {
            match e {
                $($enum::$variant)|+ => {}
            }
        }
        [$($enum::$variant),+].map(|e| ErrorEntry { code: e.into(), name: e.name(), msg: e.to_string() })
    }};
}

fn table() -> &'static [ErrorEntry] {
    static TABLE: OnceLock<Vec<ErrorEntry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let program = entries!(StakingError:
            NotUpgradeAuthority, WrongProgramData, UnsupportedTokenProgram, ForbiddenMintExtension,
            ParamOutOfBounds, NotAdmin, NotOracle, NotRewardAuthority, NotSlashAuthority,
            NotDeviceOwner, NotCostaker, NotTreasuryAccount, Paused, InvalidHardware, ZeroAmount,
            MathOverflow, DeviceTerminated, DeviceUnstaking, DeviceHired, OpenOfferExists,
            PositionAlreadyFilled, BelowMinimum, CostakeCapExceeded, InvalidRewardShare,
            NoFreePositionSlot, OfferNotOpen, OfferTermsMismatch, OwnerCannotCostake,
            TooManyPositions, PositionNotFilled, ExceedsOverflow, NothingToUnstake, StillLocked,
            PositionNotExiting, DeviceOnHold, HoldTooLong, DeviceNotEmpty, InvalidBlockTimes,
            DuplicateDeviceInBatch, BatchAccountsMismatch, NothingToSlash, NoSurplus,
            NoPendingChange, WrongDevice, WrongMint, NothingToClaim, FloorOutOfBounds,
            InvalidRoleKey, NotPendingKey, RoleNotRevocable, NotATightening, PositionNotFound,
            OfferTooSmall, StakeExceedsCover, InvalidHiredUntil, NoTicket, IncidentOutOfRange,
            HoldIncidentTooSoon, InvalidNewOwner, NewOwnerHoldsPosition, TransferExpired,
            ProfileHasPositions, DeviceAlreadyRegistered, WrongRecipient, NotReleased,
            ProfileRequired,
        );
        let framework = entries!(AnchorErrorCode:
            InstructionMissing, InstructionFallbackNotFound, InstructionDidNotDeserialize,
            InstructionDidNotSerialize, IdlInstructionStub, IdlInstructionInvalidProgram,
            IdlAccountNotEmpty, EventInstructionStub, ConstraintMut, ConstraintHasOne, ConstraintSigner,
            ConstraintRaw, ConstraintOwner, ConstraintRentExempt, ConstraintSeeds, ConstraintExecutable,
            ConstraintState, ConstraintAssociated, ConstraintAssociatedInit, ConstraintClose,
            ConstraintAddress, ConstraintZero, ConstraintTokenMint, ConstraintTokenOwner,
            ConstraintMintMintAuthority, ConstraintMintFreezeAuthority, ConstraintMintDecimals,
            ConstraintSpace, ConstraintAccountIsNone, ConstraintTokenTokenProgram,
            ConstraintMintTokenProgram, ConstraintAssociatedTokenTokenProgram,
            ConstraintMintGroupPointerExtension, ConstraintMintGroupPointerExtensionAuthority,
            ConstraintMintGroupPointerExtensionGroupAddress, ConstraintMintGroupMemberPointerExtension,
            ConstraintMintGroupMemberPointerExtensionAuthority,
            ConstraintMintGroupMemberPointerExtensionMemberAddress, ConstraintMintMetadataPointerExtension,
            ConstraintMintMetadataPointerExtensionAuthority,
            ConstraintMintMetadataPointerExtensionMetadataAddress, ConstraintMintCloseAuthorityExtension,
            ConstraintMintCloseAuthorityExtensionAuthority, ConstraintMintPermanentDelegateExtension,
            ConstraintMintPermanentDelegateExtensionDelegate, ConstraintMintTransferHookExtension,
            ConstraintMintTransferHookExtensionAuthority, ConstraintMintTransferHookExtensionProgramId,
            ConstraintDuplicateMutableAccount, AccountAlreadyMigrated, AccountNotMigrated,
            ConstraintMintPausableExtension, ConstraintMintPausableAuthority, RequireViolated,
            RequireEqViolated, RequireKeysEqViolated, RequireNeqViolated, RequireKeysNeqViolated,
            RequireGtViolated, RequireGteViolated, AccountDiscriminatorAlreadySet,
            AccountDiscriminatorNotFound, AccountDiscriminatorMismatch, AccountDidNotDeserialize,
            AccountDidNotSerialize, AccountNotEnoughKeys, AccountNotMutable, AccountOwnedByWrongProgram,
            InvalidProgramId, InvalidProgramExecutable, AccountNotSigner, AccountNotSystemOwned,
            AccountNotInitialized, AccountNotProgramData, AccountNotAssociatedTokenAccount,
            AccountSysvarMismatch, AccountReallocExceedsLimit, AccountDuplicateReallocs,
            DeclaredProgramIdMismatch, TryingToInitPayerAsProgramAccount, InvalidNumericConversion,
            Deprecated,
        );
        program.into_iter().chain(framework).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;
    use anchor_lang::Discriminator;
    use device_staking::state::{Config, ConfigSetup, Floors, InAccount, Params};

    #[test]
    fn program_errors_are_numbered_from_6000_in_declaration_order() {
        assert_eq!(
            error_name(6000),
            Some(("NotUpgradeAuthority", "Only the program's upgrade authority may initialize the config"))
        );
        assert_eq!(error_name(6003).unwrap().0, "ForbiddenMintExtension");
        assert_eq!(error_name(6004).unwrap().0, "ParamOutOfBounds");
        let last = u32::from(StakingError::ProfileRequired);
        assert!((6000..=last).all(|code| error_name(code).is_some()));
        assert_eq!(error_name(last + 1), None);
        assert_eq!(error_name(5999), None);
    }

    #[test]
    fn anchor_framework_errors_are_named() {
        assert_eq!(error_name(3007).unwrap().0, "AccountOwnedByWrongProgram");
        assert_eq!(error_name(3008).unwrap().0, "InvalidProgramId");
        assert_eq!(error_name(2006), Some(("ConstraintSeeds", "A seeds constraint was violated")));
        assert_eq!(error_name(101).unwrap().0, "InstructionFallbackNotFound");
        assert_eq!(error_name(0), None);
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<u32> = table().iter().map(|e| e.code).collect();
        let listed = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), listed);
    }

    #[test]
    fn account_checks_the_discriminator() {
        let key = Pubkey::new_unique();
        let params = Params::defaults(6).unwrap();
        let config = Config::new(&ConfigSetup {
            roles: [key; 5],
            mint: key,
            token_program: key,
            mint_decimals: 6,
            floors: Floors { cover_window_secs: 1, cooldown_secs: 1, role_change_delay_secs: 0 },
            params,
            bump: 255,
            payer: key,
        });
        let mut data = config.account_data();
        assert!(data.starts_with(Config::DISCRIMINATOR));
        let back: Config = account(&data).unwrap();
        assert_eq!((back.admin.current, back.params_at(0), back.bump), (key, params, 255));
        data[0] ^= 1;
        assert!(account::<Config>(&data).is_err());
        assert!(account::<Config>(&data[..4]).is_err());
    }
}
