//! Mint attacks: another mint in the mint's place, a wallet's token account of another mint, the
//! other token program or a program that is not a token program, and a Token-2022 mint with a
//! refused extension at `initialize` (R30). Each refusal names its error and changes nothing.
use anchor_lang::system_program;
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use device_staking_tests::attack::*;
use device_staking_tests::client::ix;
use device_staking_tests::*;
use solana_signer::Signer;

/// Rules: R30 R51 R52.
/// Every instruction that names the mint, given another SPL Token mint of the same decimals:
/// refused by the first account checked against it: a token account listed before the mint
/// (`ConstraintTokenMint`), else the mint's own check (`WrongMint`).
#[test]
fn another_mint_is_refused_everywhere() {
    for_each_scene(|s| {
        let other = s.w.create_mint(SPL_TOKEN, 6, &[]);
        let mint = s.w.mint.mint;
        let calls: Vec<_> = s.calls().into_iter().filter(|c| c.ix.accounts.iter().any(|m| m.pubkey == mint)).collect();
        assert_eq!(calls.len(), 13, "every token-moving instruction names the mint");
        for call in calls {
            let error = match call.name {
                // no typed token account before the mint (`sweep_surplus` and `close_device` read
                // theirs in the handler, after the accounts' checks)
                "register_device" | "withdraw_ticket" | "withdraw_position" | "release" | "sweep_surplus" | "close_device" => {
                    "WrongMint"
                }
                _ => "ConstraintTokenMint",
            };
            s.refused_call(error, &call, call.with(&mint, other));
        }
    });
}

/// Rules: R30 R51 R52.
/// Every instruction that names the token program, given the system program (not a token
/// program: `InvalidProgramId`) or Token-2022 (a token program, but not the mint's): refused by
/// the first token account checked against it, else by the config's own record of the token
/// program (`ConstraintAddress`; `register_device`'s vaults are created in the handler, after
/// that check).
#[test]
fn another_token_program_is_refused_everywhere() {
    for_each_scene(|s| {
        let calls: Vec<_> = s.calls().into_iter().filter(|c| c.ix.accounts.iter().any(|m| m.pubkey == SPL_TOKEN)).collect();
        assert_eq!(calls.len(), 13, "every token-moving instruction names the token program");
        for call in calls {
            s.refused_call("InvalidProgramId", &call, call.with(&SPL_TOKEN, system_program::ID));
            let error = match call.name {
                // no token account is checked against it before the program's own address check
                // (`register_device` and `release` create their token accounts in the handler,
                // `sweep_surplus` and `close_device` read theirs there, after the accounts' checks)
                "register_device" | "withdraw_ticket" | "withdraw_position" | "release" | "sweep_surplus" | "close_device" => {
                    "ConstraintAddress"
                }
                "slash" => "ConstraintAssociatedTokenTokenProgram",
                _ => "ConstraintTokenTokenProgram",
            };
            s.refused_call(error, &call, call.with(&SPL_TOKEN, TOKEN_2022));
        }
    });
}

/// Rules: R30 R52.
/// A wallet's, the reward source's or the treasury's token account of another mint (owned by the
/// right wallet): `ConstraintTokenMint`.
#[test]
fn a_token_account_of_another_mint_is_refused() {
    for_each_scene(|s| {
        let other = s.w.create_mint(SPL_TOKEN, 6, &[]);
        let w = &s.w;
        let table = [
            ("stake", w.owner.pubkey(), w.owner.token),
            ("withdraw_overflow", w.owner.pubkey(), w.owner.token),
            ("fill_offer", w.costakers[2].pubkey(), w.costakers[2].token),
            ("claim_rewards", w.costakers[0].pubkey(), w.costakers[0].token),
            ("withdraw_escrow", w.costakers[2].pubkey(), w.costakers[2].token),
            ("distribute_rewards", w.roles.reward_authority.pubkey(), w.reward_source),
            ("sweep_surplus", w.roles.treasury.pubkey(), w.treasury_token),
            ("close_device", w.roles.treasury.pubkey(), w.treasury_token),
        ];
        for (name, holder, account) in table {
            let foreign = s.w.create_token_account(&holder, &other);
            s.w.mint_to(&other, &foreign, 1_000_000_000);
            let call = s.call(name);
            s.refused_call("ConstraintTokenMint", &call, call.with(&account, foreign));
        }
    });
}

/// Rules: R30.
/// Token-2022 mints with a transfer hook, the pausable, default-account-state, confidential
/// transfer or mint-close-authority extension (alone, or next to an allowed one) are refused at
/// `initialize`, and no config is created.
#[test]
fn mints_with_a_refused_extension_cannot_be_the_staking_mint() {
    for_each_binary(|env| {
        let refused = [
            vec![ExtensionType::TransferHook],
            vec![ExtensionType::Pausable],
            vec![ExtensionType::DefaultAccountState],
            vec![ExtensionType::ConfidentialTransferMint],
            vec![ExtensionType::MintCloseAuthority],
            vec![ExtensionType::MetadataPointer, ExtensionType::TransferHook],
            vec![ExtensionType::MetadataPointer, ExtensionType::MintCloseAuthority],
        ];
        let (authority, roles) = (env.upgrade_authority(), env.roles());
        for extensions in refused {
            let mint = env.create_mint(TOKEN_2022, 6, &extensions);
            let ix = ix::initialize(authority.pubkey(), mint, TOKEN_2022, roles.initialize_args(None));
            let config = client::pda::config().0;
            assert_err(&env.send(&[ix], &[&authority]), "ForbiddenMintExtension");
            assert!(env.snapshot(&[config])[0].is_none(), "{extensions:?}: a config was created");
        }
    });
}
