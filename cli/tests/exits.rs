//! The ways out of a device and of a position, run as the built binary against an embedded
//! LiteSVM kept in a file: closing a device into a tombstone and reviving it (R3, R8), handing a
//! device to another wallet (R19), releasing a ripe position into its escrow and withdrawing
//! from it (R16), and closing a co-staker's profile (R18). Refusals are checked by the program's
//! error names and change nothing.
mod common;

use common::{World, UNIT};
use device_staking_client::device_staking::state::{CostakerProfile, Offer, OfferState};
use device_staking_client::pda;

/// An initialized config (cover 100 s, cooldown 200 s) and the device `gpu-1` (8 GPUs x10,
/// minimum 16,000) with the owner's 16,000 staked.
fn staked_device(test: &str) -> World {
    let world = World::new(test);
    assert!(world.initialize(&[]).status.success());
    let oracle = world.key_str("oracle");
    world.ok("owner", &["owner", "register", "gpu-1", "--gpus", "8", "--multiplier-bps", "100000", "--oracle-keypair", &oracle]);
    world.ok("owner", &["owner", "stake", "gpu-1", "16000"]);
    world
}

/// R8, R3: an empty device closes into a tombstone (its vaults gone, its numbers kept) and the
/// same id registered again revives it with its numbers going on.
#[test]
fn r8_r3_a_closed_device_is_a_tombstone_that_registration_revives() {
    let world = staked_device("close");
    let device = world.device_key();
    world.ok("owner", &["owner", "offer", "create", "gpu-1", "8000", "--share", "74"]);
    assert_eq!(world.refused("owner", &["owner", "close", "gpu-1"]), "OpenOfferExists");
    world.ok("owner", &["owner", "offer", "retract", "gpu-1"]);
    assert_eq!(world.refused("owner", &["owner", "close", "gpu-1"]), "DeviceNotEmpty");
    world.ok("owner", &["owner", "unstake", "gpu-1"]);
    assert_eq!(world.refused("owner", &["owner", "close", "gpu-1"]), "DeviceUnstaking");
    world.warp(200);
    world.ok("owner", &["owner", "withdraw", "gpu-1"]);
    assert_eq!(world.refused("stranger", &["owner", "close", "gpu-1"]), "NotDeviceOwner");

    let report = world.json("owner", &["owner", "close", "gpu-1"]);
    assert_eq!(
        (report["swept"]["base_units"].as_u64(), report["rent_to"].as_str()),
        (Some(0), Some(world.pubkey("owner").to_string().as_str()))
    );
    assert!(world.data(&pda::stake_vault(&device).0).is_none() && world.data(&pda::overflow_vault(&device).0).is_none());
    let status = world.json("stranger", &["status", "gpu-1"]);
    assert_eq!((status["closed"].as_bool(), status["next_offer_seq"].as_u64()), (Some(true), Some(1)));
    assert!(world.ok("stranger", &["status", "gpu-1"]).contains("revives it"));
    // a closed device takes no stake: the CLI says how to revive it, and sends nothing
    let stderr = world.fails("owner", &["owner", "stake", "gpu-1", "1"]);
    assert!(stderr.contains("was closed") && stderr.contains("revives it"), "{stderr}");
    assert_eq!(world.balance("owner"), 20_000 * UNIT);

    // R3: registered again, the device lives on; offer numbers are never reused
    let oracle = world.key_str("oracle");
    let report = world
        .json("owner", &["owner", "register", "gpu-1", "--gpus", "8", "--multiplier-bps", "100000", "--oracle-keypair", &oracle]);
    assert_eq!(report["revived"], true);
    assert_eq!((world.device().next_offer_seq, world.device().owner_stake), (1, 0));
    world.ok("owner", &["owner", "stake", "gpu-1", "16000"]);
    let offer = world.json("owner", &["owner", "offer", "create", "gpu-1", "8000", "--share", "74"]);
    assert_eq!(offer["seq"], 1);
}

/// R19: the owner proposes a new wallet, which accepts within 7 days; the owner may cancel;
/// the owner stake moves with the device and only the new owner may take it out.
#[test]
fn r19_a_device_moves_to_a_wallet_that_accepts_within_seven_days() {
    let world = staked_device("transfer");
    let (owner, stranger) = (world.pubkey("owner"), world.pubkey("stranger"));
    assert_eq!(world.refused("stranger", &["owner", "transfer", "gpu-1", &stranger.to_string()]), "NotDeviceOwner");
    let report = world.json("owner", &["owner", "transfer", "gpu-1", &world.key_str("stranger")]);
    assert_eq!(report["expires_at"].as_i64(), Some(world.clock() + 7 * 86_400));
    assert_eq!(world.device().pending_owner, stranger);
    assert_eq!(world.json("owner", &["status", "gpu-1"])["pending_owner"], stranger.to_string());
    assert_eq!(world.json("stranger", &["status"])["devices_offered"][0], world.device_key().to_string());

    // only the proposed wallet accepts; the owner may cancel first
    assert_eq!(world.refused("costaker", &["owner", "accept", "gpu-1"]), "NotPendingKey");
    world.ok("owner", &["owner", "cancel-transfer", "gpu-1"]);
    assert_eq!(world.refused("stranger", &["owner", "accept", "gpu-1"]), "NoPendingChange");
    assert_eq!(world.refused("owner", &["owner", "cancel-transfer", "gpu-1"]), "NoPendingChange");

    // a proposal lapses after 7 days
    world.ok("owner", &["owner", "transfer", "gpu-1", &stranger.to_string()]);
    world.warp(7 * 86_400);
    assert_eq!(world.refused("stranger", &["owner", "accept", "gpu-1"]), "TransferExpired");

    world.ok("owner", &["owner", "transfer", "gpu-1", &stranger.to_string()]);
    let report = world.json("stranger", &["owner", "accept", "gpu-1"]);
    assert_eq!(
        (report["previous_owner"].as_str(), report["owner"].as_str()),
        (Some(owner.to_string().as_str()), Some(stranger.to_string().as_str()))
    );
    let device = world.device();
    assert_eq!((device.owner, device.payer, device.owner_stake), (stranger, stranger, 16_000 * UNIT));

    // the stake is the new owner's: the previous one cannot unstake it
    assert_eq!(world.refused("owner", &["owner", "unstake", "gpu-1"]), "NotDeviceOwner");
    world.ok("stranger", &["owner", "unstake", "gpu-1"]);
    world.warp(200);
    // signed by the new owner, paid to its associated token account (created first)
    world.ok("stranger", &["owner", "withdraw", "gpu-1"]);
    assert_eq!((world.balance("stranger"), world.balance("owner")), (16_000 * UNIT, 4_000 * UNIT));
}

/// R16, R18, R19: a ripe position released by anyone moves into its escrow and frees its slot;
/// its co-staker alone withdraws it; a profile closes once it counts no filled position.
#[test]
fn r16_r18_a_ripe_position_is_released_into_its_escrow_and_the_profile_closes() {
    let world = staked_device("release");
    let device = world.device_key();
    world.ok("owner", &["owner", "offer", "create", "gpu-1", "8000", "--share", "74"]);
    world.ok("costaker", &["costaker", "fill", "gpu-1", "--amount", "8000", "--share", "74"]);
    let profile = pda::costaker(&world.pubkey("costaker")).0;
    assert_eq!(world.decode::<CostakerProfile>(&profile).active_positions, 1);
    // R18: not while it counts a filled position; R19: not to a wallet holding a position
    assert_eq!(world.refused("costaker", &["costaker", "close-profile"]), "ProfileHasPositions");
    assert_eq!(world.refused("owner", &["owner", "transfer", "gpu-1", &world.key_str("costaker")]), "NewOwnerHoldsPosition");

    world.ok("costaker", &["costaker", "cancel", "gpu-1", "--seq", "0"]);
    let report = world.json("costaker", &["costaker", "close-profile"]);
    assert_eq!(report["rent_to"], world.pubkey("costaker").to_string());
    assert!(world.data(&profile).is_none());

    assert_eq!(world.refused("stranger", &["costaker", "release", "gpu-1", "0"]), "StillLocked");
    world.warp(300);
    let report = world.json("stranger", &["costaker", "release", "gpu-1", "0"]);
    let escrow = pda::escrow(&pda::offer(&device, 0).0).0;
    assert_eq!(report["escrow"], escrow.to_string());
    assert_eq!(world.token_balance(&escrow), 8_000 * UNIT);
    assert!(world.device().positions.iter().all(|p| !p.is_used()), "the slot is free");
    let offer: Offer = world.decode(&pda::offer(&device, 0).0);
    assert_eq!((offer.state().unwrap(), offer.escrow_payer), (OfferState::Released, world.pubkey("stranger")));
    let status = world.json("costaker", &["status"]);
    assert_eq!(status["escrows"][0]["amount"]["base_units"], 8_000 * UNIT);

    // only the co-staker withdraws the escrow; it and the offer close
    assert_eq!(world.refused("stranger", &["costaker", "withdraw-escrow", "gpu-1", "0"]), "NotCostaker");
    world.ok("costaker", &["costaker", "withdraw-escrow", "gpu-1", "0"]);
    assert_eq!(world.balance("costaker"), 8_000 * UNIT);
    assert!(world.data(&escrow).is_none() && world.data(&pda::offer(&device, 0).0).is_none());
    let stderr = world.fails("costaker", &["costaker", "withdraw-escrow", "gpu-1", "0"]);
    assert!(stderr.contains("no released position"), "{stderr}");
}
