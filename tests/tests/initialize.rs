//! `initialize` (R30): only the program's upgrade authority creates the config, once, for a mint
//! of SPL Token or Token-2022 without a refused extension, with floors within the hard bounds and
//! parameters within their bounds and above the floors.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::bpf_loader_upgradeable;
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use device_staking_tests::client::device_staking::events::Initialized;
use device_staking_tests::client::device_staking::state::{Config, Floors, Params, RoleSlot};
use device_staking_tests::client::{ix, pda, PROGRAM_ID};
use device_staking_tests::*;
use solana_account::Account;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Puts one parameter out of its bounds.
type Breaks = fn(&mut Params);

/// The config's address.
fn config() -> Pubkey {
    pda::config().0
}

/// The upgrade authority and a set of funded roles.
fn actors(env: &mut TestEnv) -> (Keypair, Roles) {
    (env.upgrade_authority(), env.roles())
}

/// Initializes as the upgrade authority (recorded under `label`) with the local floors, asserts
/// success and returns the config, after checking what every accepted mint shares: mint, program,
/// decimals, roles with nothing pending, floors, no pending parameters, and the event.
fn accepted(env: &mut TestEnv, label: &str, mint: Pubkey, params: Option<Params>) -> Config {
    accepted_with(env, label, mint, LOCAL_FLOORS, params)
}

/// [`accepted`] with `floors`.
fn accepted_with(env: &mut TestEnv, label: &str, mint: Pubkey, floors: Floors, params: Option<Params>) -> Config {
    let (authority, roles) = actors(env);
    let token_program = env.account(&mint).owner;
    let ix = ix::initialize(authority.pubkey(), mint, token_program, roles.initialize_args_with(floors, params));
    let ok = assert_ok(&env.send_as(label, &[ix], &[&authority])).clone();
    let c: Config = env.decode(&config());
    assert_eq!((c.mint, c.token_program), (mint, token_program));
    assert_eq!(c.admin, RoleSlot::new(roles.admin.pubkey()));
    assert_eq!(c.oracle, RoleSlot::new(roles.oracle.pubkey()));
    assert_eq!(c.reward_authority, RoleSlot::new(roles.reward_authority.pubkey()));
    assert_eq!(c.slash_authority, RoleSlot::new(roles.slash_authority.pubkey()));
    assert_eq!(c.treasury, RoleSlot::new(roles.treasury.pubkey()));
    assert_eq!((c.oracle_revoked_at, c.slash_revoked_at, c.is_paused()), (0, 0, false));
    assert_eq!((c.floors, c.params_effective_at, c.pending_params), (floors, 0, c.params));
    assert_eq!((c.bump, c.payer), (pda::config().1, authority.pubkey()));
    let event: Vec<Initialized> = events(&ok);
    assert_eq!(event.len(), 1, "one Initialized event (R50)");
    assert_eq!((event[0].admin, event[0].mint, event[0].token_program), (roles.admin.pubkey(), mint, token_program));
    assert_eq!((event[0].floors, event[0].params), (floors, c.params()));
    c
}

/// Sends `initialize` signed by `authority` with default parameters and the given roles.
fn initialize(env: &mut TestEnv, authority: &Keypair, mint: Pubkey, token_program: Pubkey, roles: &Roles) -> TxResult {
    let ix = ix::initialize(authority.pubkey(), mint, token_program, roles.initialize_args(None));
    env.send(&[ix], &[authority])
}

/// Asserts that `result` failed with `name` and that no config was created.
fn assert_refused(env: &TestEnv, result: &TxResult, name: &str) {
    assert_err(result, name);
    assert_eq!(env.snapshot(&[config()]), [None], "a refused initialize created the config");
}

/// Rules: R30.
#[test]
fn the_upgrade_authority_initializes_the_config() {
    for_each_binary(|env| {
        let authority = env.upgrade_authority().pubkey();
        let mint = env.create_mint(SPL_TOKEN, 6, &[]);
        let before = env.account(&authority).lamports;
        let c = accepted(env, "initialize_spl_token", mint, None);
        assert_eq!(c.mint_decimals, 6);
        assert_eq!(c.params.base_stake_per_gpu, 200_000_000, "200 whole tokens of 6 decimals");
        assert_eq!(c.params(), Params::defaults(6).unwrap());

        let account = env.account(&config());
        assert_eq!(account.owner, PROGRAM_ID);
        let rent = env.svm.minimum_balance_for_rent_exemption(account.data.len());
        assert_eq!(account.lamports, rent);
        assert_eq!(env.account(&authority).lamports, before - rent, "the authority pays the rent only");
    });
}

/// Rules: R30 R33.
#[test]
fn given_parameters_are_stored_and_bounds_are_inclusive() {
    for_each_binary(|env| {
        let mint = env.create_mint(SPL_TOKEN, 9, &[]);
        let params = Params {
            base_stake_per_gpu: 1,
            cover_window_secs: 14 * DAY,
            cooldown_secs: 30 * DAY,
            max_costake_bps: 5_000,
            max_active_costakes: 1,
            max_reward_share_bps: 10_000,
            min_offer_bps: 5_000,
            max_slash_bps_per_30d: 10_000,
            max_hold_secs: 7 * DAY,
            role_change_delay_secs: 30 * DAY,
        };
        let c = accepted(env, "initialize_with_params", mint, Some(params));
        assert_eq!((c.params(), c.mint_decimals), (params, 9));
    });
}

/// Rules: R30.
/// The lower bounds are inclusive too: every window at its floor of the local deployment.
#[test]
fn parameters_at_the_local_floors_are_accepted() {
    for_each_binary(|env| {
        let mint = env.create_mint(SPL_TOKEN, 6, &[]);
        let params = Params {
            cover_window_secs: 1,
            cooldown_secs: 1,
            max_costake_bps: 1,
            min_offer_bps: 1,
            max_reward_share_bps: 0,
            max_slash_bps_per_30d: 0,
            max_hold_secs: 1,
            role_change_delay_secs: 0,
            ..Params::defaults(6).unwrap()
        };
        let c = accepted(env, "initialize_at_the_floors", mint, Some(params));
        assert_eq!(c.params(), params);
    });
}

/// Rules: R30.
/// The floors of devnet and mainnet (1 d / 7 d / 7 d) are recorded; the defaults lie above them.
#[test]
fn the_floors_are_recorded() {
    for_each_binary(|env| {
        let mint = env.create_mint(SPL_TOKEN, 6, &[]);
        let mainnet = Floors { cover_window_secs: DAY, cooldown_secs: 7 * DAY, role_change_delay_secs: 7 * DAY };
        let c = accepted_with(env, "initialize_mainnet_floors", mint, mainnet, None);
        assert_eq!((c.floors, c.params()), (mainnet, Params::defaults(6).unwrap()));
    });
}

/// Rules: R30 R51.
/// Floors outside the parameters' hard bounds are refused with `FloorOutOfBounds`, and
/// parameters below the floors given with `ParamOutOfBounds`; no config is created.
#[test]
fn floors_out_of_bounds_and_parameters_below_them_are_refused() {
    for_each_binary(|env| {
        let (authority, roles) = actors(env);
        let mint = env.create_mint(SPL_TOKEN, 6, &[]);
        let mainnet = Floors { cover_window_secs: DAY, cooldown_secs: 7 * DAY, role_change_delay_secs: 7 * DAY };
        let floors = [
            ("zero cover window floor", Floors { cover_window_secs: 0, ..mainnet }),
            ("cover window floor over 14 days", Floors { cover_window_secs: 14 * DAY + 1, ..mainnet }),
            ("zero cooldown floor", Floors { cooldown_secs: 0, ..mainnet }),
            ("cooldown floor over 30 days", Floors { cooldown_secs: 30 * DAY + 1, ..mainnet }),
            ("negative role delay floor", Floors { role_change_delay_secs: -1, ..mainnet }),
            ("role delay floor over 30 days", Floors { role_change_delay_secs: 30 * DAY + 1, ..mainnet }),
        ];
        for (what, floors) in floors {
            let ix = ix::initialize(authority.pubkey(), mint, SPL_TOKEN, roles.initialize_args_with(floors, None));
            assert_err(&env.send(&[ix], &[&authority]), "FloorOutOfBounds");
            assert_eq!(env.snapshot(&[config()]), [None], "{what}");
        }
        let below: [(&str, Breaks); 3] = [
            ("cover window below its floor", |p| p.cover_window_secs = DAY - 1),
            ("cooldown below its floor", |p| p.cooldown_secs = 7 * DAY - 1),
            ("role delay below its floor", |p| p.role_change_delay_secs = 7 * DAY - 1),
        ];
        for (what, break_it) in below {
            let mut params = Params::defaults(6).unwrap();
            break_it(&mut params);
            let ix = ix::initialize(authority.pubkey(), mint, SPL_TOKEN, roles.initialize_args_with(mainnet, Some(params)));
            assert_err(&env.send(&[ix], &[&authority]), "ParamOutOfBounds");
            assert_eq!(env.snapshot(&[config()]), [None], "{what}");
        }
    });
}

/// Rules: R30.
/// The config is created only at `["config"]` with the canonical bump (the creation is signed by
/// those seeds, which the runtime grants to that address alone): a fresh key or an existing
/// account (the mint) named as the config is refused and nothing changes.
#[test]
fn a_config_at_another_address_is_refused() {
    for_each_binary(|env| {
        let (authority, roles) = actors(env);
        let mint = env.create_mint(SPL_TOKEN, 6, &[]);
        let base = ix::initialize(authority.pubkey(), mint, SPL_TOKEN, roles.initialize_args(None));
        let at = base.accounts.iter().position(|m| m.pubkey == config()).expect("the config's meta");
        for address in [Pubkey::new_unique(), mint] {
            let mut ix = base.clone();
            ix.accounts[at].pubkey = address;
            let watched = [config(), address, authority.pubkey()];
            let before = env.snapshot(&watched);
            let fail = env.send(&[ix], &[&authority]).expect_err("a config at another address");
            assert_eq!(refusal_name(&fail), "InstructionError(0, PrivilegeEscalation)", "{address}");
            assert_eq!(env.snapshot(&watched), before, "{address}");
        }
        assert_ok(&initialize(env, &authority, mint, SPL_TOKEN, &roles));
    });
}

/// Rules: R30 R51.
#[test]
fn another_signer_is_refused_and_nothing_changes() {
    for_each_binary(|env| {
        let roles = env.roles();
        let mint = env.create_mint(SPL_TOKEN, 6, &[]);
        let intruder = env.funded_keypair();
        let watched = [config(), intruder.pubkey(), mint, pda::program_data(&PROGRAM_ID).0];
        let before = env.snapshot(&watched);
        let result = initialize(env, &intruder, mint, SPL_TOKEN, &roles);
        assert_err(&result, "NotUpgradeAuthority");
        assert_eq!(env.snapshot(&watched), before);

        // an immutable program (no upgrade authority) cannot be initialized by anyone
        let authority = env.upgrade_authority();
        env.set_upgrade_authority(None);
        let result = initialize(env, &authority, mint, SPL_TOKEN, &roles);
        assert_refused(env, &result, "NotUpgradeAuthority");
    });
}

/// Rules: R30 R51.
/// A loader-owned program-data account of another address naming the caller is not the program's.
#[test]
fn a_forged_program_data_account_is_refused() {
    for_each_binary(|env| {
        let roles = env.roles();
        let mint = env.create_mint(SPL_TOKEN, 6, &[]);
        let intruder = env.funded_keypair();
        // a loader-owned ProgramData naming the intruder as upgrade authority, at another address
        let real = pda::program_data(&PROGRAM_ID).0;
        let mut data = env.account(&real).data[..45].to_vec();
        data[13..45].copy_from_slice(intruder.pubkey().as_ref());
        let forged = Pubkey::new_unique();
        let lamports = env.svm.minimum_balance_for_rent_exemption(data.len());
        let account = Account { lamports, data, owner: bpf_loader_upgradeable::ID, executable: false, rent_epoch: 0 };
        env.svm.set_account(forged, account).unwrap();

        let mut ix = ix::initialize(intruder.pubkey(), mint, SPL_TOKEN, roles.initialize_args(None));
        replace_account(&mut ix, &real, forged);
        let result = env.send(&[ix], &[&intruder]);
        assert_refused(env, &result, "WrongProgramData");
    });
}

/// Rules: R30.
/// The config is created once: a second initialize cannot capture or replace it.
#[test]
fn a_second_initialize_fails_and_keeps_the_config() {
    for_each_binary(|env| {
        let (authority, roles) = actors(env);
        let mint = env.create_mint(SPL_TOKEN, 6, &[]);
        assert_ok(&initialize(env, &authority, mint, SPL_TOKEN, &roles));
        let before = env.snapshot(&[config()]);

        let other_roles = env.roles();
        let other_mint = env.create_mint(TOKEN_2022, 6, &[]);
        let result = initialize(env, &authority, other_mint, TOKEN_2022, &other_roles);
        // the creation asks the system program to allocate the existing account: it refuses with
        // its own custom error 0 (AccountAlreadyInUse), which has no Anchor name.
        let fail = result.as_ref().expect_err("a second initialize must fail");
        assert_eq!((fail.error_code, fail.error_name.as_deref()), (Some(0), None), "{:?}", fail.logs);
        assert!(fail.logs.iter().any(|l| l.contains("already in use")), "{:?}", fail.logs);
        assert_eq!(env.snapshot(&[config()]), before);
        // the same call again (not deduplicated) fails the same way
        let again = initialize(env, &authority, mint, SPL_TOKEN, &roles);
        assert_eq!(again.expect_err("a repeated initialize must fail").error_code, Some(0));
    });
}

/// Rules: R30 R51.
#[test]
fn a_mint_or_token_program_of_the_wrong_owner_is_refused() {
    for_each_binary(|env| {
        let (authority, roles) = actors(env);
        let mint = env.create_mint(SPL_TOKEN, 6, &[]);
        let wallet = env.funded_keypair().pubkey();
        let cases = [
            // a "mint" owned by the system program, and by the loader (the program account)
            (wallet, SPL_TOKEN, "AccountOwnedByWrongProgram"),
            (PROGRAM_ID, SPL_TOKEN, "AccountOwnedByWrongProgram"),
            // a "token program" that is not one
            (mint, anchor_lang::system_program::ID, "InvalidProgramId"),
            // both are token programs, but the mint belongs to the other one
            (mint, TOKEN_2022, "ConstraintMintTokenProgram"),
        ];
        for (mint, token_program, error) in cases {
            let result = initialize(env, &authority, mint, token_program, &roles);
            assert_refused(env, &result, error);
        }
    });
}

/// Rules: R30.
/// Non-transferable, permanent-delegate, transfer-fee and mint-close-authority mints (the last
/// could be closed and re-created with other extensions) are refused; the mint is untouched.
#[test]
fn token_2022_mints_with_a_refused_extension_are_refused() {
    for_each_binary(|env| {
        let (authority, roles) = actors(env);
        let refused = [
            ExtensionType::NonTransferable,
            ExtensionType::PermanentDelegate,
            ExtensionType::TransferFeeConfig,
            ExtensionType::MintCloseAuthority,
        ];
        for extension in refused {
            let mint = env.create_mint(TOKEN_2022, 6, &[extension]);
            let before = env.snapshot(&[mint]);
            let result = initialize(env, &authority, mint, TOKEN_2022, &roles);
            assert_refused(env, &result, "ForbiddenMintExtension");
            assert_eq!(env.snapshot(&[mint]), before, "{extension:?}");
        }
    });
}

/// Rules: R30.
#[test]
fn a_plain_token_2022_mint_is_accepted() {
    for_each_binary(|env| {
        let mint = env.create_mint(TOKEN_2022, 6, &[]);
        let c = accepted(env, "initialize_token_2022", mint, None);
        assert_eq!((c.mint_decimals, c.params.base_stake_per_gpu), (6, 200_000_000));
    });
}

/// Rules: R30.
/// An extension that cannot touch balances or transfers (a metadata pointer) is accepted.
#[test]
fn a_token_2022_mint_with_an_allowed_extension_is_accepted() {
    for_each_binary(|env| {
        let mint = env.create_mint(TOKEN_2022, 6, &[ExtensionType::MetadataPointer]);
        accepted(env, "initialize_token_2022_metadata_pointer", mint, None);
    });
}

/// Rules: R30.
/// A mint with a freeze authority is accepted (a documented trust assumption, not a refusal).
#[test]
fn a_mint_with_a_freeze_authority_is_accepted() {
    for_each_binary(|env| {
        let freezer = Pubkey::new_unique();
        let mint = env.create_mint_with(SPL_TOKEN, 6, &[], Some(freezer));
        accepted(env, "initialize_freezable_mint", mint, None);
    });
}

/// Rules: R30 R33.
#[test]
fn parameters_out_of_bounds_are_refused() {
    for_each_binary(|env| {
        let (authority, roles) = actors(env);
        let mint = env.create_mint(SPL_TOKEN, 6, &[]);
        let cases: [(&str, Breaks); 16] = [
            ("zero base stake", |p| p.base_stake_per_gpu = 0),
            ("zero cover window (below the 1 s floor)", |p| p.cover_window_secs = 0),
            ("cover window over 14 days", |p| p.cover_window_secs = 14 * DAY + 1),
            ("zero cooldown (below the 1 s floor)", |p| p.cooldown_secs = 0),
            ("cooldown over 30 days", |p| p.cooldown_secs = 30 * DAY + 1),
            ("zero co-stake cap", |p| p.max_costake_bps = 0),
            ("co-stake cap over 50%", |p| p.max_costake_bps = 5_001),
            ("zero positions per wallet", |p| p.max_active_costakes = 0),
            ("reward share over 100%", |p| p.max_reward_share_bps = 10_001),
            ("zero smallest offer", |p| p.min_offer_bps = 0),
            ("smallest offer over 50%", |p| p.min_offer_bps = 5_001),
            ("slash cap over 100%", |p| p.max_slash_bps_per_30d = 10_001),
            ("zero hold", |p| p.max_hold_secs = 0),
            ("hold over 7 days", |p| p.max_hold_secs = 7 * DAY + 1),
            ("negative role delay", |p| p.role_change_delay_secs = -1),
            ("role delay over 30 days", |p| p.role_change_delay_secs = 30 * DAY + 1),
        ];
        for (what, break_it) in cases {
            let mut params = Params::defaults(6).unwrap();
            break_it(&mut params);
            let ix = ix::initialize(authority.pubkey(), mint, SPL_TOKEN, roles.initialize_args(Some(params)));
            let result = env.send(&[ix], &[&authority]);
            assert_err(&result, "ParamOutOfBounds");
            assert_eq!(env.snapshot(&[config()]), [None], "{what}");
        }
    });
}
