//! The co-staker's commands: the marketplace of open offers, fill, cancel, withdraw, claim,
//! release a ripe position into its escrow and withdraw from it, and close the profile.
use super::{CliError, Context, Report};
use crate::chain::ChainExt;
use crate::table;
use anchor_lang::prelude::Pubkey;
use clap::Subcommand;
use device_staking_client::device_staking::state::{CostakerProfile, Device, Offer, OfferState, Position};
use device_staking_client::format::percent_bps;
use device_staking_client::{ix, parse, pda, query};
use serde_json::{json, Value};
use solana_signer::Signer;

/// The co-staker's commands. The signer (-k) is the co-staker and pays the fees.
#[derive(Subcommand)]
pub enum CostakerCommand {
    /// List the open offers: device, hardware, requested amount, reward share (read-only)
    #[command(long_about = "List every open co-staking offer (R9): the device, its GPUs and multiplier, \
its minimum, the amount requested and the co-staker's share of block rewards, with the command that \
fills it. Nobody signs.\n\nNeeds: nothing but the chain.")]
    Offers {
        /// Only the offers of this device (its id or address)
        #[arg(long)]
        device: Option<String>,
    },
    /// Fill a device's open offer on the stated terms (R11); the co-staker signs and pays
    #[command(long_about = "Fill the open offer of DEVICE (R11): exactly AMOUNT whole tokens move from the \
co-staker's associated token account into the device's stake vault, for SHARE of the device's block \
rewards. The terms are restated here and must match the offer (else OfferTermsMismatch). The \
co-staker (-k) signs and pays the profile's rent the first time.\n\nNeeds: an open offer; not the \
device's owner; fewer filled positions than the config allows per wallet; the device not on hold; not paused.")]
    Fill {
        /// The device: its id or its address
        device: String,
        /// The offer's amount, in whole tokens, as you accept it
        #[arg(long)]
        amount: String,
        /// The offer's reward share (74, 74%, 12.5%), as you accept it
        #[arg(long)]
        share: String,
        /// The offer's number; default: the device's open offer
        #[arg(long)]
        seq: Option<u64>,
    },
    /// Cancel your filled position (R13): it stops earning; withdrawable after wait + cooldown
    #[command(long_about = "Cancel the co-staker's filled position on DEVICE (R13): it stops earning at once \
(blocks that ended before still pay it, however late they are paid); its principal still counts for the \
owner until the end of the cover window, and may be withdrawn at cover window + cooldown (at once after the \
cooldown on a terminated device). The co-staker (-k) signs. Never paused.\n\nNeeds: a filled position of the signer.")]
    Cancel {
        /// The device: its id or its address
        device: String,
        /// The position's number; default: the signer's filled position on the device
        #[arg(long)]
        seq: Option<u64>,
    },
    /// Withdraw ripe positions with their rewards (R16); anyone may sign, the co-staker is paid
    #[command(long_about = "Withdraw the co-staker's stopped positions on DEVICE once ripe (R16): principal plus \
unclaimed rewards, and the offer's rent to its payer. Signed by the co-staker: paid to --to (any token account \
of the mint) or the co-staker's associated token account; signed by anyone else (--costaker names the \
co-staker): to the co-staker's associated token account (created if missing, at the signer's cost).\n\n\
Needs: a cancelled or unstaked position whose unlock time has come (else StillLocked).")]
    Withdraw {
        /// The device: its id or its address
        device: String,
        /// The co-staker paid (address or keypair file); default: the signer
        #[arg(long)]
        costaker: Option<String>,
        /// One position by its number; default: every stopped position of the co-staker on the device
        #[arg(long)]
        seq: Option<u64>,
        /// The token account paid, when the co-staker signs; default: their associated token account
        #[arg(long, value_name = "TOKEN_ACCOUNT")]
        to: Option<String>,
    },
    /// Claim your unclaimed rewards of a position (R12); the co-staker signs
    #[command(long_about = "Claim the co-staker's unclaimed block rewards of their position on DEVICE (R12), \
paid to --to (any token account of the mint) or the co-staker's associated token account. The co-staker \
(-k) signs.\n\nNeeds: a position with rewards (else NothingToClaim).")]
    Claim {
        /// The device: its id or its address
        device: String,
        /// The position's number; default: the signer's position with rewards on the device
        #[arg(long)]
        seq: Option<u64>,
        /// The token account paid; default: the co-staker's associated token account
        #[arg(long, value_name = "TOKEN_ACCOUNT")]
        to: Option<String>,
    },
    /// Move a ripe position into its escrow, freeing its slot (R16); anyone signs and pays the escrow's rent
    #[command(long_about = "Release the ripe position SEQ of DEVICE (R16): its principal and unclaimed rewards \
move into an escrow token account of its offer, and its slot in the device's table is freed (so no state of \
the co-staker's token accounts can block the slot or the device's close). Anyone (-k) signs and pays the \
escrow's rent, returned when the co-staker empties it with `costaker withdraw-escrow`.\n\nNeeds: a stopped \
position whose unlock time has come (else StillLocked).")]
    Release {
        /// The device: its id or its address
        device: String,
        /// The position's number
        seq: u64,
    },
    /// Withdraw a released position from its escrow (R16); the co-staker signs
    #[command(long_about = "Empty the escrow of the released position SEQ of DEVICE (R16) into --to (any token \
account of the mint) or the co-staker's associated token account (created first if missing); the escrow's and \
the offer's rents go back to who paid them. The co-staker (-k) signs. The device may be closed meanwhile.\n\n\
Needs: a position released with `costaker release` (else NotReleased).")]
    WithdrawEscrow {
        /// The device: its id or its address
        device: String,
        /// The position's number
        seq: u64,
        /// The token account paid; default: the co-staker's associated token account
        #[arg(long, value_name = "TOKEN_ACCOUNT")]
        to: Option<String>,
    },
    /// Close your co-staker profile when it counts no filled position (R18); its rent goes back
    #[command(long_about = "Close the signer's co-staker profile (R18); its rent goes back to whoever paid it. \
A later fill creates it again. The co-staker (-k) signs.\n\nNeeds: no filled position (cancelled ones do not \
count; else ProfileHasPositions).")]
    CloseProfile,
}

/// Runs a co-staker command.
pub fn run(ctx: &mut Context, command: CostakerCommand) -> Result<Report, CliError> {
    match command {
        CostakerCommand::Offers { device } => offers(ctx, device.as_deref()),
        CostakerCommand::Fill { device, amount, share, seq } => fill(ctx, &device, &amount, &share, seq),
        CostakerCommand::Cancel { device, seq } => cancel(ctx, &device, seq),
        CostakerCommand::Withdraw { device, costaker, seq, to } => {
            withdraw(ctx, &device, costaker.as_deref(), seq, to.as_deref())
        }
        CostakerCommand::Claim { device, seq, to } => claim(ctx, &device, seq, to.as_deref()),
        CostakerCommand::Release { device, seq } => release(ctx, &device, seq),
        CostakerCommand::WithdrawEscrow { device, seq, to } => withdraw_escrow(ctx, &device, seq, to.as_deref()),
        CostakerCommand::CloseProfile => close_profile(ctx),
    }
}

fn offers(ctx: &mut Context, device_filter: Option<&str>) -> Result<Report, CliError> {
    let setup = ctx.setup()?;
    let only = device_filter.map(|d| ctx.device(d)).transpose()?.map(|(address, _)| address);
    let open: Vec<(Pubkey, Offer)> = ctx.chain.list(&query::offers_in_state(OfferState::Open))?;
    let mut rows = Vec::new();
    let mut items = Vec::new();
    let env = setup.env(setup.now);
    for (address, offer) in open.into_iter().filter(|(_, o)| only.is_none_or(|d| o.device == d)) {
        let device: Device = ctx.chain.fetch(&offer.device, "device")?;
        let min = device.min_required(&env);
        rows.push([
            offer.device.to_string(),
            offer.seq.to_string(),
            device.gpu_count.to_string(),
            super::multiplier_text(device.multiplier_bps.into()),
            setup.tokens(min),
            setup.tokens(offer.amount),
            percent_bps(offer.reward_share_bps.into()),
        ]);
        items.push(json!({
            "offer": address.to_string(),
            "device": offer.device.to_string(),
            "seq": offer.seq,
            "gpu_count": device.gpu_count,
            "multiplier_bps": device.multiplier_bps,
            "min_required": setup.amount_json(min),
            "amount": setup.amount_json(offer.amount),
            "reward_share_bps": offer.reward_share_bps,
        }));
    }
    let text = if rows.is_empty() {
        "no open offers\n".to_string()
    } else {
        let header = ["device", "offer", "GPUs", "multiplier", "minimum", "amount", "share"].map(String::from);
        format!(
            "{}fill one with: device-staking costaker fill DEVICE --amount AMOUNT --share SHARE\n",
            table::render(&header, &rows, 1)
        )
    };
    Ok(Report { text, json: vec![("command", json!("offers")), ("offers", Value::Array(items))] })
}

fn fill(ctx: &mut Context, device_ref: &str, amount: &str, share: &str, seq: Option<u64>) -> Result<Report, CliError> {
    let costaker = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let seq = seq.or(device.open_offer()).ok_or_else(|| format!("the device {address} has no open offer"))?;
    let amount = setup.parse_tokens(amount)?;
    let share_bps = parse::percent_bps(share)?;
    let token = ix::associated_token(&costaker.pubkey(), &setup.mint);
    let sent =
        ctx.send(&[ix::fill_offer(costaker.pubkey(), address, seq, amount, share_bps, token, &setup.mint)], &costaker, &[])?;
    let (_, after) = ctx.device(&address.to_string())?;
    let now = ctx.now()?;
    let summary = format!(
        "filled offer #{seq} of {address}: {} for {} of its block rewards\n  {}",
        setup.tokens(amount),
        percent_bps(share_bps.into()),
        super::owner::device_line(&setup, &after, now)
    );
    let fields = vec![
        ("command", json!("fill")),
        ("device", json!(address.to_string())),
        ("seq", json!(seq)),
        ("amount", setup.amount_json(amount)),
        ("reward_share_bps", json!(share_bps)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

/// The positions of `wallet` in `device`'s table, by number.
fn positions_of(device: &Device, wallet: &Pubkey) -> Vec<Position> {
    let mut found: Vec<Position> = device.positions.iter().filter(|p| p.is_used() && p.costaker == *wallet).copied().collect();
    found.sort_by_key(|p| p.seq);
    found
}

fn cancel(ctx: &mut Context, device_ref: &str, seq: Option<u64>) -> Result<Report, CliError> {
    let costaker = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let seq = match seq {
        Some(seq) => seq,
        None => positions_of(&device, &costaker.pubkey())
            .iter()
            .find(|p| p.is_filled())
            .map(|p| p.seq)
            .ok_or_else(|| format!("{} holds no filled position on {address}", costaker.pubkey()))?,
    };
    let sent = ctx.send(&[ix::cancel_costake(costaker.pubkey(), address, seq)], &costaker, &[])?;
    let after: Device = ctx.chain.fetch(&address, "device")?;
    let position = after.position(seq).map_err(|e| e.to_string())?;
    let summary = format!(
        "position #{seq} on {address} cancelled: {} counts for the owner until {}, withdrawable {}",
        setup.tokens(position.principal),
        setup.when(position.wait_end),
        setup.when(position.unlock_at)
    );
    let fields = vec![
        ("command", json!("cancel")),
        ("device", json!(address.to_string())),
        ("seq", json!(seq)),
        ("wait_end", json!(position.wait_end)),
        ("unlock_at", json!(position.unlock_at)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn withdraw(
    ctx: &mut Context,
    device_ref: &str,
    costaker: Option<&str>,
    seq: Option<u64>,
    to: Option<&str>,
) -> Result<Report, CliError> {
    let caller = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let wallet = costaker.map(super::key_or_keypair).transpose()?.unwrap_or(caller.pubkey());
    let chosen: Vec<Position> =
        positions_of(&device, &wallet).into_iter().filter(|p| seq.map_or(p.stopped_at != 0, |s| p.seq == s)).collect();
    if chosen.is_empty() {
        return Err(format!(
            "{wallet} has no cancelled or unstaked position on {address}{}",
            seq.map_or(String::new(), |s| format!(" numbered {s}"))
        )
        .into());
    }
    let mut text = String::new();
    let mut items = Vec::new();
    for position in chosen {
        let offer: Offer = ctx.chain.fetch(&pda::offer(&address, position.seq).0, "offer")?;
        let (destination, mut instructions) = ctx.destination(&caller.pubkey(), &wallet, to, &setup)?;
        instructions.push(ix::withdraw_position(
            caller.pubkey(),
            address,
            position.seq,
            wallet,
            offer.payer,
            destination,
            &setup.mint,
        ));
        let sent = ctx.send(&instructions, &caller, &[]).map_err(|mut e| {
            if setup.now < position.unlock_at || position.stopped_at == 0 {
                let unlock = if position.stopped_at == 0 {
                    "is still filled: cancel it first".to_string()
                } else {
                    format!("unlocks {}", setup.when(position.unlock_at))
                };
                e.message.push_str(&format!(" (position #{} {unlock})", position.seq));
            }
            e
        })?;
        let summary = format!(
            "position #{} withdrawn: {} principal + {} rewards paid to {destination} (co-staker {wallet})",
            position.seq,
            setup.tokens(position.principal),
            setup.tokens(position.rewards)
        );
        let fields = vec![
            ("seq", json!(position.seq)),
            ("costaker", json!(wallet.to_string())),
            ("destination", json!(destination.to_string())),
            ("principal", setup.amount_json(position.principal)),
            ("rewards", setup.amount_json(position.rewards)),
        ];
        let report = Report::sent(summary, &sent, fields);
        text.push_str(&report.text);
        items.push(report.to_json());
    }
    Ok(Report {
        text,
        json: vec![("command", json!("withdraw")), ("device", json!(address.to_string())), ("withdrawals", Value::Array(items))],
    })
}

fn claim(ctx: &mut Context, device_ref: &str, seq: Option<u64>, to: Option<&str>) -> Result<Report, CliError> {
    let costaker = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let position = positions_of(&device, &costaker.pubkey())
        .into_iter()
        .find(|p| seq.map_or(p.rewards > 0, |s| p.seq == s))
        .ok_or_else(|| format!("{} has no position with rewards on {address}", costaker.pubkey()))?;
    let (destination, mut instructions) = ctx.destination(&costaker.pubkey(), &costaker.pubkey(), to, &setup)?;
    instructions.push(ix::claim_rewards(costaker.pubkey(), address, position.seq, destination, &setup.mint));
    let sent = ctx.send(&instructions, &costaker, &[])?;
    let fields = vec![
        ("command", json!("claim")),
        ("device", json!(address.to_string())),
        ("seq", json!(position.seq)),
        ("amount", setup.amount_json(position.rewards)),
        ("destination", json!(destination.to_string())),
    ];
    let summary = format!(
        "claimed {} of rewards of position #{} on {address} to {destination}",
        setup.tokens(position.rewards),
        position.seq
    );
    Ok(Report::sent(summary, &sent, fields))
}

fn release(ctx: &mut Context, device_ref: &str, seq: u64) -> Result<Report, CliError> {
    let caller = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let position = device.position(seq).ok().copied();
    let sent = ctx.send(&[ix::release(caller.pubkey(), address, seq, &setup.mint)], &caller, &[]).map_err(|mut e| {
        if let Some(p) = position.filter(|p| p.stopped_at != 0 && setup.now < p.unlock_at) {
            e.message.push_str(&format!(" (position #{seq} unlocks {})", setup.when(p.unlock_at)));
        }
        e
    })?;
    let position = position.ok_or_else(|| format!("position #{seq} was not in the table of {address}"))?;
    let escrow = pda::escrow(&pda::offer(&address, seq).0).0;
    let summary = format!(
        "position #{seq} of {address} released into the escrow {escrow}: {} principal + {} rewards for {}; its slot is free\n  \
the co-staker withdraws it with: device-staking costaker withdraw-escrow {address} {seq}",
        setup.tokens(position.principal),
        setup.tokens(position.rewards),
        position.costaker
    );
    let fields = vec![
        ("command", json!("release")),
        ("device", json!(address.to_string())),
        ("seq", json!(seq)),
        ("escrow", json!(escrow.to_string())),
        ("costaker", json!(position.costaker.to_string())),
        ("amount", setup.amount_json(position.principal + position.rewards)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn withdraw_escrow(ctx: &mut Context, device_ref: &str, seq: u64, to: Option<&str>) -> Result<Report, CliError> {
    let costaker = ctx.signer()?;
    let setup = ctx.setup()?;
    // the device may be closed since the release: its address is enough
    let address = match ctx.device_account(device_ref) {
        Ok((address, _)) => address,
        Err(_) => pda::device(&super::parse_device_id(device_ref)?).0,
    };
    let offer_address = pda::offer(&address, seq).0;
    let offer: Offer = ctx.chain.fetch(&offer_address, "released position (offer)")?;
    let escrow = pda::escrow(&offer_address).0;
    let amount = crate::token::balance(&*ctx.chain, &escrow)?;
    let (destination, mut instructions) = ctx.destination(&costaker.pubkey(), &costaker.pubkey(), to, &setup)?;
    instructions.push(ix::withdraw_escrow(
        costaker.pubkey(),
        address,
        seq,
        destination,
        offer.payer,
        offer.escrow_payer,
        &setup.mint,
    ));
    let sent = ctx.send(&instructions, &costaker, &[])?;
    let summary = format!(
        "escrow of position #{seq} of {address} withdrawn: {} paid to {destination}; rents back to their payers",
        setup.tokens(amount)
    );
    let fields = vec![
        ("command", json!("withdraw-escrow")),
        ("device", json!(address.to_string())),
        ("seq", json!(seq)),
        ("amount", setup.amount_json(amount)),
        ("destination", json!(destination.to_string())),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn close_profile(ctx: &mut Context) -> Result<Report, CliError> {
    let wallet = ctx.signer()?;
    let address = pda::costaker(&wallet.pubkey()).0;
    let profile: CostakerProfile =
        ctx.chain.find(&address)?.ok_or_else(|| format!("{} has no co-staker profile (at {address})", wallet.pubkey()))?;
    let sent = ctx.send(&[ix::close_profile(wallet.pubkey(), profile.payer)], &wallet, &[])?;
    let fields = vec![
        ("command", json!("close-profile")),
        ("profile", json!(address.to_string())),
        ("rent_to", json!(profile.payer.to_string())),
    ];
    Ok(Report::sent(format!("closed the co-staker profile {address}; its rent went back to {}", profile.payer), &sent, fields))
}
