//! The co-staker's commands: the marketplace of open offers, fill, cancel, withdraw, claim.
use super::{CliError, Context, Report, Setup};
use crate::chain::ChainExt;
use crate::json::Json;
use crate::table;
use anchor_lang::prelude::Pubkey;
use clap::Subcommand;
use device_staking_client::describe;
use device_staking_client::device_staking::state::{Device, Offer, OfferState};
use device_staking_client::format::percent_bps;
use device_staking_client::{ix, parse, pda, query};
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
device's owner; fewer filled positions than the config allows per wallet; not paused.")]
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
    #[command(long_about = "Cancel the co-staker's filled position on DEVICE (R13): it stops earning at once; \
its principal still counts for the owner until the end of the cover window, and may be withdrawn at \
cover window + cooldown. The co-staker (-k) signs. Never paused.\n\nNeeds: a filled position of the signer.")]
    Cancel {
        /// The device: its id or its address
        device: String,
    },
    /// Withdraw ripe positions with their rewards (R16); anyone may sign, the co-staker is paid
    #[command(long_about = "Withdraw the co-staker's ripe positions on DEVICE (R16): principal plus unclaimed \
rewards go to the co-staker's associated token account (created if missing, at the signer's cost), the \
offer's rent to its payer. Anyone (-k) may sign; the co-staker is --costaker (default: the signer).\n\n\
Needs: a cancelled or unstaked position whose unlock time has come (else StillLocked).")]
    Withdraw {
        /// The device: its id or its address
        device: String,
        /// The co-staker paid; default: the signer
        #[arg(long)]
        costaker: Option<String>,
        /// One position by its number; default: every position of the co-staker on the device
        #[arg(long)]
        seq: Option<u64>,
    },
    /// Claim your unclaimed rewards of a position (R12); the co-staker signs
    #[command(long_about = "Claim the co-staker's unclaimed block rewards of their position on DEVICE (R12), \
paid to the co-staker's associated token account. The co-staker (-k) signs.\n\nNeeds: a position with \
rewards (else NothingToClaim).")]
    Claim {
        /// The device: its id or its address
        device: String,
        /// The position's number; default: the signer's position with rewards on the device
        #[arg(long)]
        seq: Option<u64>,
    },
}

/// Runs a co-staker command.
pub fn run(ctx: &mut Context, command: CostakerCommand) -> Result<Report, CliError> {
    match command {
        CostakerCommand::Offers { device } => offers(ctx, device.as_deref()),
        CostakerCommand::Fill { device, amount, share, seq } => fill(ctx, &device, &amount, &share, seq),
        CostakerCommand::Cancel { device } => cancel(ctx, &device),
        CostakerCommand::Withdraw { device, costaker, seq } => withdraw(ctx, &device, costaker.as_deref(), seq),
        CostakerCommand::Claim { device, seq } => claim(ctx, &device, seq),
    }
}

fn offers(ctx: &mut Context, device_filter: Option<&str>) -> Result<Report, CliError> {
    let setup = ctx.setup()?;
    let only = device_filter.map(|d| ctx.device(d)).transpose()?.map(|(address, _)| address);
    let open: Vec<(Pubkey, Offer)> = ctx.chain.list(&query::offers_in_state(OfferState::Open))?;
    let mut rows = Vec::new();
    let mut items = Vec::new();
    for (address, offer) in open.into_iter().filter(|(_, o)| only.is_none_or(|d| o.device == d)) {
        let device: Device = ctx.chain.fetch(&offer.device, "device")?;
        rows.push([
            offer.device.to_string(),
            offer.seq.to_string(),
            device.gpu_count.to_string(),
            percent_bps(device.multiplier_bps.into()),
            setup.tokens(device.min_required),
            setup.tokens(offer.amount),
            percent_bps(offer.reward_share_bps.into()),
        ]);
        items.push(Json::object([
            ("offer", Json::str(address.to_string())),
            ("device", Json::str(offer.device.to_string())),
            ("seq", Json::Int(offer.seq.into())),
            ("gpu_count", Json::Int(device.gpu_count.into())),
            ("multiplier_bps", Json::Int(device.multiplier_bps.into())),
            ("min_required", setup.amount_json(device.min_required)),
            ("amount", setup.amount_json(offer.amount)),
            ("reward_share_bps", Json::Int(offer.reward_share_bps.into())),
        ]));
    }
    let text = if rows.is_empty() {
        "no open offers\n".to_string()
    } else {
        let header = ["device", "offer", "GPUs", "multiplier", "minimum", "amount", "share"].map(String::from);
        format!("{}fill one with: device-staking costaker fill DEVICE --amount AMOUNT --share SHARE\n", table::render(&header, &rows, 1))
    };
    Ok(Report { text, json: vec![("command", Json::str("offers")), ("offers", Json::Array(items))] })
}

fn fill(ctx: &mut Context, device_ref: &str, amount: &str, share: &str, seq: Option<u64>) -> Result<Report, CliError> {
    let costaker = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let seq = seq.or(device.open_offer).ok_or_else(|| format!("the device {address} has no open offer"))?;
    let amount = setup.parse_tokens(amount)?;
    let share_bps = parse::percent_bps(share)?;
    let token = ix::associated_token(&costaker.pubkey(), &setup.mint);
    let sent = ctx.send(&[ix::fill_offer(costaker.pubkey(), address, seq, amount, share_bps, token, &setup.mint)], &costaker, &[])?;
    let (_, after) = ctx.device(&address.to_string())?;
    let now = ctx.now()?;
    let summary = format!(
        "filled offer #{seq} of {address}: {} for {} of its block rewards\n  {}",
        setup.tokens(amount),
        percent_bps(share_bps.into()),
        super::owner::device_line(&setup, &after, now)
    );
    let fields = vec![
        ("command", Json::str("fill")),
        ("device", Json::str(address.to_string())),
        ("seq", Json::Int(seq.into())),
        ("amount", setup.amount_json(amount)),
        ("reward_share_bps", Json::Int(share_bps.into())),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

/// The positions `wallet` holds on `device`, by number.
fn positions(ctx: &Context, device: &Pubkey, wallet: &Pubkey) -> Result<Vec<Offer>, String> {
    let mut filters = query::positions_of_costaker(wallet);
    filters.extend(query::offers_of_device(device).into_iter().skip(1));
    let mut found: Vec<Offer> = ctx.chain.list::<Offer>(&filters)?.into_iter().map(|(_, offer)| offer).collect();
    found.sort_by_key(|o| o.seq);
    Ok(found)
}

fn cancel(ctx: &mut Context, device_ref: &str) -> Result<Report, CliError> {
    let costaker = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let filled = device
        .filled
        .filter(|f| f.costaker == costaker.pubkey())
        .ok_or_else(|| format!("{} holds no filled position on {address}", costaker.pubkey()))?;
    let sent = ctx.send(&[ix::cancel_costake(costaker.pubkey(), address, filled.seq)], &costaker, &[])?;
    let offer: Offer = ctx.chain.fetch(&pda::offer(&address, filled.seq).0, "position")?;
    let now = ctx.now()?;
    let summary = format!(
        "position #{} on {address} cancelled: {} counts for the owner until {}, withdrawable {} ({})",
        filled.seq,
        setup.tokens(offer.principal),
        describe::utc(offer.wait_end),
        describe::utc(offer.unlock_at),
        describe::unlock(offer.unlock_at, now)
    );
    let fields = vec![
        ("command", Json::str("cancel")),
        ("device", Json::str(address.to_string())),
        ("seq", Json::Int(filled.seq.into())),
        ("wait_end", Json::Int(offer.wait_end.into())),
        ("unlock_at", Json::Int(offer.unlock_at.into())),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn withdraw(ctx: &mut Context, device_ref: &str, costaker: Option<&str>, seq: Option<u64>) -> Result<Report, CliError> {
    let caller = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, _) = ctx.device(device_ref)?;
    let wallet = costaker.map(super::key_or_keypair).transpose()?.unwrap_or(caller.pubkey());
    let now = ctx.now()?;
    let chosen: Vec<Offer> = positions(ctx, &address, &wallet)?
        .into_iter()
        .filter(|o| seq.map_or(matches!(o.state, OfferState::Exiting | OfferState::Cooling), |s| o.seq == s))
        .collect();
    if chosen.is_empty() {
        return Err(format!("{wallet} has no cancelled or unstaked position on {address}{}", seq.map_or(String::new(), |s| format!(" numbered {s}"))).into());
    }
    let mut text = String::new();
    let mut items = Vec::new();
    for offer in chosen {
        let instruction = ix::withdraw_position(caller.pubkey(), address, offer.seq, wallet, offer.payer, &setup.mint);
        let sent = ctx.send(&[instruction], &caller, &[]).map_err(|mut e| {
            if now < offer.unlock_at {
                e.message.push_str(&format!(" (position #{} unlocks {}, {})", offer.seq, describe::utc(offer.unlock_at), describe::unlock(offer.unlock_at, now)));
            }
            e
        })?;
        let report = paid(&setup, &offer, &sent);
        text.push_str(&report.text);
        items.push(report.to_json());
    }
    Ok(Report { text, json: vec![("command", Json::str("withdraw")), ("device", Json::str(address.to_string())), ("withdrawals", Json::Array(items))] })
}

/// The report of one position's withdrawal.
fn paid(setup: &Setup, offer: &Offer, sent: &crate::chain::Sent) -> Report {
    let summary = format!(
        "position #{} withdrawn: {} principal + {} rewards paid to {}",
        offer.seq,
        setup.tokens(offer.principal),
        setup.tokens(offer.rewards),
        offer.costaker
    );
    let fields = vec![
        ("seq", Json::Int(offer.seq.into())),
        ("costaker", Json::str(offer.costaker.to_string())),
        ("principal", setup.amount_json(offer.principal)),
        ("rewards", setup.amount_json(offer.rewards)),
    ];
    Report::sent(summary, sent, fields)
}

fn claim(ctx: &mut Context, device_ref: &str, seq: Option<u64>) -> Result<Report, CliError> {
    let costaker = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, _) = ctx.device(device_ref)?;
    let offer = positions(ctx, &address, &costaker.pubkey())?
        .into_iter()
        .find(|o| seq.map_or(o.rewards > 0, |s| o.seq == s))
        .ok_or_else(|| format!("{} has no position with rewards on {address}", costaker.pubkey()))?;
    let token = ix::associated_token(&costaker.pubkey(), &setup.mint);
    let sent = ctx.send(&[ix::claim_rewards(costaker.pubkey(), address, offer.seq, token, &setup.mint)], &costaker, &[])?;
    let fields = vec![
        ("command", Json::str("claim")),
        ("device", Json::str(address.to_string())),
        ("seq", Json::Int(offer.seq.into())),
        ("amount", setup.amount_json(offer.rewards)),
    ];
    Ok(Report::sent(format!("claimed {} of rewards of position #{} on {address}", setup.tokens(offer.rewards), offer.seq), &sent, fields))
}
