//! The device owner's commands: register (with the oracle's co-signature), stake, offers,
//! overflow withdrawals, unstake and the ticket's withdrawal, closing the device, and handing it
//! to another wallet.
use super::{parse_device_id, read_keypair, refused, CliError, Context, DeviceAccount, Report, Setup};
use crate::chain::ChainExt;
use crate::events;
use anchor_lang::prelude::Pubkey;
use base64::Engine;
use clap::Subcommand;
use device_staking_client::describe;
use device_staking_client::device_staking::events::{DeviceClosed, Unstaked};
use device_staking_client::device_staking::state::{Device, Offer, Ticket};
use device_staking_client::format::percent_bps;
use device_staking_client::{ix, parse, pda};
use serde::{Deserialize, Serialize};
use serde_json::json;
use solana_signer::Signer;
use solana_transaction::Transaction;
use std::path::{Path, PathBuf};

/// The device owner's commands. The signer (-k) is the owner and pays the fees.
#[derive(Subcommand)]
pub enum OwnerCommand {
    /// Register (or revive) a device (R3): signed by the owner (-k, pays the rent) and the oracle
    #[command(long_about = "Register a device (R3). Signed by the owner (-k, who pays the rent of the device \
and its two vaults) and by the oracle, who attests the GPU count and the earning multiplier. Registering the \
id of a closed device revives it: its offer and ticket numbers and its last paid block carry on.\n\nEither \
give the oracle's keypair with --oracle-keypair, or let the oracle sign first with `operator \
cosign-registration --out FILE` and submit its file here with --cosigned FILE (on a validator, within \
about a minute: the blockhash the oracle signed expires).\n\nNeeds: an initialized config; not paused.")]
    Register {
        /// Device id: 64 hex characters (32 bytes), or a text of at most 32 bytes
        #[arg(required_unless_present = "cosigned")]
        device_id: Option<String>,
        /// GPUs in the device (as the oracle attests)
        #[arg(long, required_unless_present = "cosigned")]
        gpus: Option<u16>,
        /// Earning multiplier: x10, x1.5, or basis points (10000 = x1, 100000 = x10)
        #[arg(long, visible_alias = "multiplier", value_name = "MULTIPLIER", value_parser = super::parse_multiplier, required_unless_present = "cosigned")]
        multiplier_bps: Option<u32>,
        /// The oracle's keypair file (it co-signs the registration)
        #[arg(long, value_name = "FILE", required_unless_present = "cosigned", conflicts_with = "cosigned")]
        oracle_keypair: Option<PathBuf>,
        /// A registration the oracle already signed (`operator cosign-registration --out FILE`)
        #[arg(long, value_name = "FILE")]
        cosigned: Option<PathBuf>,
    },
    /// Add to the owner's stake of a device (R6); the owner signs and pays from their token account
    #[command(long_about = "Add AMOUNT whole tokens to the owner's stake of DEVICE (R6), paid from the owner's \
associated token account. The owner (-k) signs.\n\nNeeds: the device not terminated or unstaking; while \
paused, only what covers a running co-staker's wait or hardware grace (else Paused or StakeExceedsCover).")]
    Stake {
        /// The device: its id or its address
        device: String,
        /// Whole tokens, e.g. 16000 or 0.5
        amount: String,
    },
    /// Create or retract a co-staking offer (R9, R10); the owner signs
    #[command(subcommand)]
    Offer(OfferCommand),
    /// Withdraw overflow (R12): rewards first, then principal above the minimum; the owner signs
    #[command(long_about = "Withdraw the owner's overflow of DEVICE (R12): unclaimed rewards first, then \
principal above the minimum and within the co-stake cap. No cooldown, no penalty. Without AMOUNT, all \
of it. The owner (-k) signs; the tokens go to --to (any token account of the mint) or else the owner's \
associated token account (created first if missing).\n\nNeeds: AMOUNT at most the overflow (else \
ExceedsOverflow); principal is held while the device is on hold (R41, DeviceOnHold).")]
    WithdrawOverflow {
        /// The device: its id or its address
        device: String,
        /// Whole tokens; default: the whole overflow
        amount: Option<String>,
        /// The token account paid; default: the owner's associated token account
        #[arg(long, value_name = "TOKEN_ACCOUNT")]
        to: Option<String>,
    },
    /// Unstake the whole owner stake (R15); every position's wait ends with it; the owner signs
    #[command(long_about = "Unstake the owner's whole stake of DEVICE (R15): it stops counting at once and a \
ticket unlocks after the cooldown; the filled position stops earning, and every position's wait ends now \
and unlocks no later than the ticket. The owner (-k) signs and pays the ticket's rent.\n\nNeeds: not hired, \
no open offer (retract it first).")]
    Unstake {
        /// The device: its id or its address
        device: String,
    },
    /// Withdraw the owner's ripe unstake ticket (R16); anyone may sign, the owner is paid
    #[command(long_about = "Withdraw the owner's unstake ticket of DEVICE once it is ripe (R16) and close it \
(its rent goes back to its payer). Signed by the owner: the principal goes to --to (any token account of the \
mint) or the owner's associated token account; signed by anyone else: to the owner's associated token account \
(created if missing, at the signer's cost).\n\nNeeds: a ticket whose unlock time has come (else StillLocked); \
no hold that began before it was ripe (R41, DeviceOnHold).")]
    Withdraw {
        /// The device: its id or its address
        device: String,
        /// The token account paid, when the owner signs; default: the owner's associated token account
        #[arg(long, value_name = "TOKEN_ACCOUNT")]
        to: Option<String>,
    },
    /// Close an empty device into a tombstone (R8); the owner signs and gets the rent back
    #[command(long_about = "Close DEVICE (R8): its two vaults are closed, tokens donated to them go to the \
treasury (whose associated token account is created first if missing, at the owner's cost), and the device \
shrinks to a tombstone that keeps its numbers and its last paid block; the freed rent goes back to its payer. \
`owner register` of the same id revives it. The owner (-k) signs.\n\nNeeds: no open offer, no owner stake, \
rewards or ticket, and every position withdrawn or released (else DeviceNotEmpty).")]
    Close {
        /// The device: its id or its address
        device: String,
    },
    /// Propose a new owner wallet for a device (R19); the owner signs; it accepts within 7 days
    #[command(long_about = "Propose NEW_OWNER as the owner of DEVICE (R19). The new wallet accepts with \
`owner accept DEVICE` within 7 days; then the owner stake, the owner's rewards and the rent payer move to it, \
and the positions stay as they are. A newer proposal replaces this one. The owner (-k) signs.\n\nNeeds: \
not unstaking, no open offer, not on hold; NEW_OWNER holds no position of the device.")]
    Transfer {
        /// The device: its id or its address
        device: String,
        /// The proposed owner (address or keypair file)
        new_owner: String,
    },
    /// Cancel a proposed transfer of a device (R19); the owner signs
    CancelTransfer {
        /// The device: its id or its address
        device: String,
    },
    /// Accept a device proposed to you (R19); the new owner (-k) signs
    #[command(long_about = "Accept DEVICE, proposed to the signer with `owner transfer` (R19), within 7 days of \
the proposal (else TransferExpired). The signer (-k) becomes its owner.\n\nNeeds: the same as the proposal: \
not unstaking, no open offer, not on hold, no position of the device held by the signer.")]
    Accept {
        /// The device: its id or its address
        device: String,
    },
}

/// `owner offer`.
#[derive(Subcommand)]
pub enum OfferCommand {
    /// Offer co-stake: AMOUNT for a SHARE of the device's block rewards (R9); the owner signs
    #[command(long_about = "Create a co-staking offer on DEVICE (R9): a co-staker may put up AMOUNT whole \
tokens for SHARE of the device's block rewards. The owner (-k) signs and pays the offer's rent.\n\n\
Needs: no open offer and no filled position; counted stake and owner stake + AMOUNT at least the \
minimum; AMOUNT within the co-stake cap; SHARE within the config's bound; not paused.")]
    Create {
        /// The device: its id or its address
        device: String,
        /// Whole tokens the co-staker puts up
        amount: String,
        /// The co-staker's share of block rewards: 74, 74% or 12.5%
        #[arg(long)]
        share: String,
    },
    /// Retract the device's open offer (R10); the owner signs and gets the rent back
    Retract {
        /// The device: its id or its address
        device: String,
    },
}

/// The file `operator cosign-registration` writes and `owner register --cosigned` reads.
#[derive(Serialize, Deserialize)]
pub struct CosignedRegistration {
    /// The device id as typed.
    pub device_id: String,
    /// The owner (fee payer, signs second).
    pub owner: String,
    /// The oracle that signed.
    pub oracle: String,
    /// GPUs attested.
    pub gpu_count: u16,
    /// Multiplier attested, in basis points.
    pub multiplier_bps: u32,
    /// The partially signed transaction (bincode, base64).
    pub transaction: String,
}

/// The registration transaction, unsigned: one `register_device` paid by `owner`.
pub fn registration(
    owner: Pubkey,
    oracle: Pubkey,
    device_id: [u8; 32],
    gpus: u16,
    multiplier_bps: u32,
    setup: &Setup,
) -> Transaction {
    Transaction::new_with_payer(&[ix::register_device(owner, oracle, device_id, gpus, multiplier_bps, &setup.mint)], Some(&owner))
}

/// Runs an owner command.
pub fn run(ctx: &mut Context, command: OwnerCommand) -> Result<Report, CliError> {
    match command {
        OwnerCommand::Register { cosigned: Some(file), .. } => register_cosigned(ctx, &file),
        OwnerCommand::Register { device_id, gpus, multiplier_bps, oracle_keypair, cosigned: None } => {
            let (Some(device_id), Some(gpus), Some(multiplier_bps), Some(oracle)) =
                (device_id, gpus, multiplier_bps, oracle_keypair)
            else {
                return Err("give DEVICE_ID, --gpus, --multiplier-bps and --oracle-keypair, or --cosigned FILE".into());
            };
            register(ctx, &device_id, gpus, multiplier_bps, &oracle)
        }
        OwnerCommand::Stake { device, amount } => stake(ctx, &device, &amount),
        OwnerCommand::Offer(OfferCommand::Create { device, amount, share }) => create_offer(ctx, &device, &amount, &share),
        OwnerCommand::Offer(OfferCommand::Retract { device }) => retract_offer(ctx, &device),
        OwnerCommand::WithdrawOverflow { device, amount, to } => {
            withdraw_overflow(ctx, &device, amount.as_deref(), to.as_deref())
        }
        OwnerCommand::Unstake { device } => unstake(ctx, &device),
        OwnerCommand::Withdraw { device, to } => withdraw_ticket(ctx, &device, to.as_deref()),
        OwnerCommand::Close { device } => close(ctx, &device),
        OwnerCommand::Transfer { device, new_owner } => transfer(ctx, &device, &new_owner),
        OwnerCommand::CancelTransfer { device } => cancel_transfer(ctx, &device),
        OwnerCommand::Accept { device } => accept(ctx, &device),
    }
}

/// The device's state after a change, in one line for the text report.
pub fn device_line(setup: &Setup, device: &Device, now: i64) -> String {
    let env = setup.env(now);
    let reasons = describe::ineligibility(device.ineligibility(&env));
    let eligibility = if reasons.is_empty() { "eligible".to_string() } else { format!("not eligible: {}", reasons.join(", ")) };
    format!(
        "owner stake {}; counted {} of minimum {}; {eligibility}",
        setup.tokens(device.owner_stake),
        setup.tokens(device.counted_stake(now)),
        setup.tokens(device.min_in_force(&env))
    )
}

fn register(ctx: &mut Context, device_id: &str, gpus: u16, multiplier_bps: u32, oracle_file: &Path) -> Result<Report, CliError> {
    let owner = ctx.signer()?;
    let oracle = read_keypair(oracle_file)?;
    let setup = ctx.setup()?;
    let id = parse_device_id(device_id)?;
    let revived = was_closed(ctx, &id);
    let instruction = ix::register_device(owner.pubkey(), oracle.pubkey(), id, gpus, multiplier_bps, &setup.mint);
    let sent = ctx.send(&[instruction], &owner, &[&oracle])?;
    registered(ctx, &setup, id, revived, &sent)
}

/// Whether the device id's address holds the tombstone of a closed device (a registration revives it).
fn was_closed(ctx: &Context, id: &[u8; 32]) -> bool {
    matches!(ctx.device_account(&pda::device(id).0.to_string()), Ok((_, DeviceAccount::Closed(_))))
}

fn registered(ctx: &Context, setup: &Setup, id: [u8; 32], revived: bool, sent: &crate::chain::Sent) -> Result<Report, CliError> {
    let address = pda::device(&id).0;
    let device: Device = ctx.chain.fetch(&address, "device")?;
    let min = device.min_required(&setup.env(ctx.now()?));
    let summary = format!(
        "{} device {} at {address}: {} GPUs, multiplier {}, minimum stake {}{}",
        if revived { "revived" } else { "registered" },
        super::device_id_text(&id),
        device.gpu_count,
        percent_bps(device.multiplier_bps.into()),
        setup.tokens(min),
        if revived { format!("; offer numbers go on from #{}", device.next_offer_seq) } else { String::new() }
    );
    let fields = vec![
        ("command", json!("register")),
        ("device", json!(address.to_string())),
        ("revived", json!(revived)),
        ("gpu_count", json!(device.gpu_count)),
        ("multiplier_bps", json!(device.multiplier_bps)),
        ("min_required", setup.amount_json(min)),
    ];
    Ok(Report::sent(summary, sent, fields))
}
/// Reads a co-signed registration, checks it registers exactly what the file says for this
/// owner, adds the owner's signature and sends it.
fn register_cosigned(ctx: &mut Context, file: &Path) -> Result<Report, CliError> {
    let owner = ctx.signer()?;
    let setup = ctx.setup()?;
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let cosigned: CosignedRegistration =
        serde_json::from_str(&text).map_err(|e| format!("{} is not a co-signed registration: {e}", file.display()))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&cosigned.transaction)
        .map_err(|e| format!("bad transaction encoding: {e}"))?;
    let mut transaction: Transaction = bincode::deserialize(&bytes).map_err(|e| format!("bad transaction: {e}"))?;
    let oracle: Pubkey = cosigned.oracle.parse().map_err(|e| format!("oracle `{}`: {e}", cosigned.oracle))?;
    if cosigned.owner != owner.pubkey().to_string() {
        return Err(format!("the registration is for the owner {}, but the signer is {}", cosigned.owner, owner.pubkey()).into());
    }
    let id = parse_device_id(&cosigned.device_id)?;
    let mut expected = registration(owner.pubkey(), oracle, id, cosigned.gpu_count, cosigned.multiplier_bps, &setup);
    expected.message.recent_blockhash = transaction.message.recent_blockhash;
    if expected.message != transaction.message {
        return Err("the co-signed transaction is not the registration its file describes: refusing to sign it".into());
    }
    let blockhash = transaction.message.recent_blockhash;
    transaction.try_partial_sign(&[&owner], blockhash).map_err(|e| format!("cannot sign: {e}"))?;
    let revived = was_closed(ctx, &id);
    let sent = ctx.chain.send_transaction(&transaction).map_err(refused)?;
    registered(ctx, &setup, id, revived, &sent)
}

fn stake(ctx: &mut Context, device_ref: &str, amount: &str) -> Result<Report, CliError> {
    let owner = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, _) = ctx.device(device_ref)?;
    let amount = setup.parse_tokens(amount)?;
    let owner_token = ix::associated_token(&owner.pubkey(), &setup.mint);
    let sent = ctx.send(&[ix::stake(owner.pubkey(), address, owner_token, amount, &setup.mint)], &owner, &[])?;
    let (_, device) = ctx.device(&address.to_string())?;
    let now = ctx.now()?;
    let summary = format!("staked {} on {address}\n  {}", setup.tokens(amount), device_line(&setup, &device, now));
    let fields = vec![
        ("command", json!("stake")),
        ("device", json!(address.to_string())),
        ("amount", setup.amount_json(amount)),
        ("owner_stake", setup.amount_json(device.owner_stake)),
        ("eligible", json!(device.is_eligible(&setup.env(now)))),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn create_offer(ctx: &mut Context, device_ref: &str, amount: &str, share: &str) -> Result<Report, CliError> {
    let owner = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let amount = setup.parse_tokens(amount)?;
    let share_bps = parse::percent_bps(share)?;
    let seq = device.next_offer_seq;
    let sent = ctx.send(&[ix::create_offer(owner.pubkey(), address, seq, amount, share_bps)], &owner, &[])?;
    let summary = format!(
        "offer #{seq} open on {address}: {} for {} of the block rewards\n  a co-staker fills it with: device-staking costaker fill {address} --amount {} --share {}",
        setup.tokens(amount),
        percent_bps(share_bps.into()),
        setup.tokens(amount),
        percent_bps(share_bps.into())
    );
    let fields = vec![
        ("command", json!("offer create")),
        ("device", json!(address.to_string())),
        ("seq", json!(seq)),
        ("offer", json!(pda::offer(&address, seq).0.to_string())),
        ("amount", setup.amount_json(amount)),
        ("reward_share_bps", json!(share_bps)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn retract_offer(ctx: &mut Context, device_ref: &str) -> Result<Report, CliError> {
    let owner = ctx.signer()?;
    let (address, device) = ctx.device(device_ref)?;
    let seq = device.open_offer().ok_or_else(|| format!("the device {address} has no open offer"))?;
    let offer: Offer = ctx.chain.fetch(&pda::offer(&address, seq).0, "offer")?;
    let sent = ctx.send(&[ix::retract_offer(owner.pubkey(), address, seq, offer.payer)], &owner, &[])?;
    let fields = vec![("command", json!("offer retract")), ("device", json!(address.to_string())), ("seq", json!(seq))];
    Ok(Report::sent(format!("offer #{seq} on {address} retracted; its rent went back to {}", offer.payer), &sent, fields))
}

fn withdraw_overflow(ctx: &mut Context, device_ref: &str, amount: Option<&str>, to: Option<&str>) -> Result<Report, CliError> {
    let owner = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let now = ctx.now()?;
    let amount = match amount {
        Some(text) => setup.parse_tokens(text)?,
        None => device.owner_overflow(&setup.env(now)),
    };
    let (destination, mut instructions) = ctx.destination(&owner.pubkey(), &owner.pubkey(), to, &setup)?;
    instructions.push(ix::withdraw_overflow(owner.pubkey(), address, destination, amount, &setup.mint));
    let sent = ctx.send(&instructions, &owner, &[])?;
    let (_, after) = ctx.device(&address.to_string())?;
    let from_rewards = device.owner_rewards - after.owner_rewards;
    let summary = format!(
        "withdrew {} from {address} to {destination}: {} rewards + {} principal\n  {}",
        setup.tokens(amount),
        setup.tokens(from_rewards),
        setup.tokens(amount - from_rewards),
        device_line(&setup, &after, now)
    );
    let fields = vec![
        ("command", json!("withdraw-overflow")),
        ("device", json!(address.to_string())),
        ("destination", json!(destination.to_string())),
        ("amount", setup.amount_json(amount)),
        ("from_rewards", setup.amount_json(from_rewards)),
        ("from_principal", setup.amount_json(amount - from_rewards)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn unstake(ctx: &mut Context, device_ref: &str) -> Result<Report, CliError> {
    let owner = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    ctx.confirm(&format!(
        "Unstake the device {address}: the owner's {} leave the device into an unstake ticket, withdrawable after the cooldown; the device stops counting the owner's stake.",
        setup.tokens(device.owner_stake)
    ))?;
    let sent = ctx.send(&[ix::unstake_for(owner.pubkey(), address, &device)], &owner, &[])?;
    let after: Device = ctx.chain.fetch(&address, "device")?;
    let event = events::decode::<Unstaked>(&sent.logs).pop();
    let stopped =
        event.as_ref().and_then(|e| e.stopped_seq).map_or(String::new(), |seq| format!("; position #{seq} stopped earning"));
    let recapped = event.as_ref().map_or(0, |e| e.positions_recapped);
    let summary = format!(
        "unstaked {} from {address}: ticket #{} unlocks {}{stopped}; {recapped} position(s) unlock no later",
        setup.tokens(after.ticket_principal),
        after.ticket_seq,
        setup.when(after.ticket_unlock_at)
    );
    let fields = vec![
        ("command", json!("unstake")),
        ("device", json!(address.to_string())),
        ("ticket_seq", json!(after.ticket_seq)),
        ("amount", setup.amount_json(after.ticket_principal)),
        ("unlock_at", json!(after.ticket_unlock_at)),
        ("stopped_seq", json!(event.as_ref().and_then(|e| e.stopped_seq))),
        ("positions_recapped", json!(recapped)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn withdraw_ticket(ctx: &mut Context, device_ref: &str, to: Option<&str>) -> Result<Report, CliError> {
    let caller = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    if !device.is_unstaking() {
        return Err(format!("the device {address} has no unstake ticket (the owner is not unstaking)").into());
    }
    let seq = device.ticket_seq;
    let ticket: Ticket = ctx.chain.fetch(&pda::ticket(&address, seq).0, "ticket")?;
    let (destination, mut instructions) = ctx.destination(&caller.pubkey(), &device.owner, to, &setup)?;
    instructions.push(ix::withdraw_ticket(caller.pubkey(), address, device.owner, seq, ticket.payer, destination, &setup.mint));
    let unlock_at = device.ticket_unlock_at;
    let sent = ctx.send(&instructions, &caller, &[]).map_err(|mut e| {
        if setup.now < unlock_at {
            e.message.push_str(&format!(" (ticket #{seq} unlocks {})", setup.when(unlock_at)));
        }
        e
    })?;
    let amount = device.ticket_principal;
    let summary =
        format!("ticket #{seq} of {address} withdrawn: {} paid to {destination} (owner {})", setup.tokens(amount), device.owner);
    let fields = vec![
        ("command", json!("withdraw")),
        ("device", json!(address.to_string())),
        ("ticket_seq", json!(seq)),
        ("amount", setup.amount_json(amount)),
        ("owner", json!(device.owner.to_string())),
        ("destination", json!(destination.to_string())),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn close(ctx: &mut Context, device_ref: &str) -> Result<Report, CliError> {
    let owner = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let (treasury_token, mut instructions) = ctx.treasury_account(&owner.pubkey(), &setup)?;
    instructions.push(ix::close_device(owner.pubkey(), address, treasury_token, device.payer, &setup.mint));
    let sent = ctx.send(&instructions, &owner, &[])?;
    let swept = events::decode::<DeviceClosed>(&sent.logs).pop().map_or(0, |e| e.swept);
    let summary = format!(
        "closed {} ({address}): a tombstone keeps its numbers (next offer #{}); rent back to {}; {} donated tokens to the treasury\n  `owner register {}` revives it",
        super::device_id_text(&device.device_id),
        device.next_offer_seq,
        device.payer,
        setup.tokens(swept),
        super::device_id_text(&device.device_id)
    );
    let fields = vec![
        ("command", json!("close")),
        ("device", json!(address.to_string())),
        ("swept", setup.amount_json(swept)),
        ("rent_to", json!(device.payer.to_string())),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn transfer(ctx: &mut Context, device_ref: &str, new_owner: &str) -> Result<Report, CliError> {
    let owner = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, _) = ctx.device(device_ref)?;
    let new_owner = super::key_or_keypair(new_owner)?;
    let sent = ctx.send(&[ix::transfer_device(owner.pubkey(), address, new_owner)], &owner, &[])?;
    let after: Device = ctx.chain.fetch(&address, "device")?;
    let summary = format!(
        "proposed {new_owner} as the owner of {address}; it accepts with `device-staking owner accept {address}` until {}",
        setup.when(after.transfer_expires_at)
    );
    let fields = vec![
        ("command", json!("transfer")),
        ("device", json!(address.to_string())),
        ("new_owner", json!(new_owner.to_string())),
        ("expires_at", json!(after.transfer_expires_at)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn cancel_transfer(ctx: &mut Context, device_ref: &str) -> Result<Report, CliError> {
    let owner = ctx.signer()?;
    let (address, device) = ctx.device(device_ref)?;
    let sent = ctx.send(&[ix::cancel_transfer(owner.pubkey(), address)], &owner, &[])?;
    let fields = vec![("command", json!("cancel-transfer")), ("device", json!(address.to_string()))];
    Ok(Report::sent(format!("cancelled the transfer of {address} to {}", device.pending_owner), &sent, fields))
}

fn accept(ctx: &mut Context, device_ref: &str) -> Result<Report, CliError> {
    let new_owner = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let sent = ctx.send(&[ix::accept_device(new_owner.pubkey(), address)], &new_owner, &[])?;
    let after: Device = ctx.chain.fetch(&address, "device")?;
    let summary = format!(
        "{} now owns {address} (was {}): owner stake {}, rewards {}",
        new_owner.pubkey(),
        device.owner,
        setup.tokens(after.owner_stake),
        setup.tokens(after.owner_rewards)
    );
    let fields = vec![
        ("command", json!("accept")),
        ("device", json!(address.to_string())),
        ("previous_owner", json!(device.owner.to_string())),
        ("owner", json!(after.owner.to_string())),
    ];
    Ok(Report::sent(summary, &sent, fields))
}
