//! `status`: a device's state, or a wallet's devices, positions and tickets, for people
//! (tables, whole tokens, UTC dates and relative times) or scripts (JSON). Eligibility and
//! overflow come from the program's own rule methods on its state types.
use super::{device_id_text, CliError, Context, Report, Setup};
use crate::chain::ChainExt;
use crate::json::Json;
use crate::table;
use crate::token;
use anchor_lang::prelude::Pubkey;
use device_staking_client::describe;
use device_staking_client::device_staking::state::{Device, Offer, OfferState, Ticket};
use device_staking_client::format::percent_bps;
use device_staking_client::{ix, pda, query};
use solana_signer::Signer;

/// Runs `status`: of `device` when given, else of `wallet` (default: the signer).
pub fn run(ctx: &mut Context, device: Option<String>, wallet: Option<String>) -> Result<Report, CliError> {
    let setup = ctx.setup()?;
    let now = ctx.now()?;
    match device {
        Some(device) => device_status(ctx, &setup, &device, now),
        None => {
            let wallet = match wallet {
                Some(text) => super::key_or_keypair(&text)?,
                None => ctx.signer()?.pubkey(),
            };
            wallet_status(ctx, &setup, &wallet, now)
        }
    }
}

fn state_name(state: OfferState) -> &'static str {
    match state {
        OfferState::Open => "open",
        OfferState::Filled => "filled",
        OfferState::Exiting => "exiting",
        OfferState::Cooling => "cooling",
    }
}

/// A position's row: seq, state, co-staker, principal, rewards, counts, wait end, unlock.
fn position_row(setup: &Setup, offer: &Offer, now: i64) -> [String; 8] {
    let when = |at: i64| if at == 0 { "-".to_string() } else { format!("{} ({})", describe::utc(at), describe::relative(at, now)) };
    let unlock = if offer.unlock_at == 0 { "-".to_string() } else { format!("{} ({})", describe::utc(offer.unlock_at), describe::unlock(offer.unlock_at, now)) };
    let counts = match offer.state {
        OfferState::Filled => "yes",
        OfferState::Exiting if now < offer.wait_end => "yes",
        _ => "no",
    };
    [
        offer.seq.to_string(),
        state_name(offer.state).into(),
        if offer.state == OfferState::Open { format!("asks {} for {}", setup.tokens(offer.amount), percent_bps(offer.reward_share_bps.into())) } else { offer.costaker.to_string() },
        setup.tokens(offer.principal),
        setup.tokens(offer.rewards),
        counts.into(),
        when(offer.wait_end),
        unlock,
    ]
}

fn position_json(setup: &Setup, address: &Pubkey, offer: &Offer) -> Json {
    Json::object([
        ("offer", Json::str(address.to_string())),
        ("device", Json::str(offer.device.to_string())),
        ("seq", Json::Int(offer.seq.into())),
        ("state", Json::str(state_name(offer.state))),
        ("costaker", Json::str(offer.costaker.to_string())),
        ("amount", setup.amount_json(offer.amount)),
        ("reward_share_bps", Json::Int(offer.reward_share_bps.into())),
        ("principal", setup.amount_json(offer.principal)),
        ("rewards", setup.amount_json(offer.rewards)),
        ("wait_end", Json::Int(offer.wait_end.into())),
        ("unlock_at", Json::Int(offer.unlock_at.into())),
    ])
}

const POSITION_HEADER: [&str; 8] = ["#", "state", "co-staker / terms", "principal", "rewards", "counts", "wait ends", "unlock"];

fn device_status(ctx: &Context, setup: &Setup, reference: &str, now: i64) -> Result<Report, CliError> {
    let (address, device) = ctx.device(reference)?;
    let params = setup.config.params;
    let reasons = describe::ineligibility(device.ineligibility(now));
    let eligibility = if reasons.is_empty() { "yes".to_string() } else { format!("no: {}", reasons.join(", ")) };
    let mut offers: Vec<(Pubkey, Offer)> = ctx.chain.list(&query::offers_of_device(&address))?;
    offers.sort_by_key(|(_, o)| o.seq);
    let ticket_seq = device.next_ticket_seq.checked_sub(1);
    let ticket: Option<Ticket> = ticket_seq.map(|seq| ctx.chain.find(&pda::ticket(&address, seq).0)).transpose()?.flatten();
    let flags: Vec<&str> = [(device.hired, "hired"), (device.terminated, "terminated"), (device.unstaking, "unstaking"), (device.is_on_hold(now), "on hold")]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
    let mut rows = vec![
        ("device", format!("{} ({address})", device_id_text(&device.device_id))),
        ("owner", device.owner.to_string()),
        ("hardware", format!("{} GPUs, multiplier {}", device.gpu_count, percent_bps(device.multiplier_bps.into()))),
        ("minimum", format!("{} in force (latest hardware: {})", setup.tokens(device.min_in_force(now)), setup.tokens(device.min_required))),
        ("owner stake", setup.tokens(device.owner_stake)),
        ("counted stake", setup.tokens(device.counted_stake(now))),
        ("eligible", eligibility),
        ("owner rewards", setup.tokens(device.owner_rewards)),
        ("owner overflow", format!("{} (withdrawable now)", setup.tokens(device.owner_overflow(params.max_costake_bps, now)))),
        ("status", if flags.is_empty() { "active".to_string() } else { flags.join(", ") }),
        ("open offer", device.open_offer.map_or("none".to_string(), |s| format!("#{s}"))),
    ];
    if device.grace_end > now {
        rows.push(("grace", format!("previous minimum until {} ({})", describe::utc(device.grace_end), describe::relative(device.grace_end, now))));
    }
    if let Some(ticket) = &ticket {
        rows.push(("ticket", format!("#{} {} unlocks {} ({})", ticket.seq, setup.tokens(ticket.amount), describe::utc(ticket.unlock_at), describe::unlock(ticket.unlock_at, now))));
    }
    rows.push(("clock", describe::utc(now)));
    let mut text = table::pairs(&rows);
    if !offers.is_empty() {
        let cells: Vec<[String; 8]> = offers.iter().map(|(_, o)| position_row(setup, o, now)).collect();
        text.push('\n');
        text.push_str(&table::render(&POSITION_HEADER.map(String::from), &cells, 3));
    }
    let json = vec![
        ("command", Json::str("status")),
        ("device", Json::str(address.to_string())),
        ("device_id", Json::str(device_id_text(&device.device_id))),
        ("owner", Json::str(device.owner.to_string())),
        ("gpu_count", Json::Int(device.gpu_count.into())),
        ("multiplier_bps", Json::Int(device.multiplier_bps.into())),
        ("min_in_force", setup.amount_json(device.min_in_force(now))),
        ("min_required", setup.amount_json(device.min_required)),
        ("owner_stake", setup.amount_json(device.owner_stake)),
        ("counted_stake", setup.amount_json(device.counted_stake(now))),
        ("eligible", Json::Bool(reasons.is_empty())),
        ("ineligible_reasons", Json::Array(reasons.iter().map(|r| Json::str(*r)).collect())),
        ("owner_rewards", setup.amount_json(device.owner_rewards)),
        ("owner_overflow", setup.amount_json(device.owner_overflow(params.max_costake_bps, now))),
        ("hired", Json::Bool(device.hired)),
        ("terminated", Json::Bool(device.terminated)),
        ("unstaking", Json::Bool(device.unstaking)),
        ("open_offer", device.open_offer.map_or(Json::Null, |s| Json::Int(s.into()))),
        (
            "ticket",
            ticket.as_ref().map_or(Json::Null, |t| {
                Json::object([("seq", Json::Int(t.seq.into())), ("amount", setup.amount_json(t.amount)), ("unlock_at", Json::Int(t.unlock_at.into())), ("ripe", Json::Bool(t.is_ripe(now)))])
            }),
        ),
        ("offers", Json::Array(offers.iter().map(|(a, o)| position_json(setup, a, o)).collect())),
        ("now", Json::Int(now.into())),
    ];
    Ok(Report { text, json })
}

fn wallet_status(ctx: &Context, setup: &Setup, wallet: &Pubkey, now: i64) -> Result<Report, CliError> {
    let token_account = ix::associated_token(wallet, &setup.mint);
    let balance = token::balance(&*ctx.chain, &token_account)?;
    let devices: Vec<(Pubkey, Device)> = ctx.chain.list(&query::devices_of_owner(wallet))?;
    let mut positions: Vec<(Pubkey, Offer)> = ctx.chain.list(&query::positions_of_costaker(wallet))?;
    positions.sort_by_key(|(_, o)| (o.device, o.seq));
    let tickets: Vec<(Pubkey, Ticket)> = ctx.chain.list(&query::tickets_of_owner(wallet))?;
    let mut text = table::pairs(&[("wallet", wallet.to_string()), ("token balance", setup.tokens(balance)), ("clock", describe::utc(now))]);
    let device_rows: Vec<[String; 6]> = devices
        .iter()
        .map(|(address, d)| {
            let reasons = describe::ineligibility(d.ineligibility(now));
            [
                address.to_string(),
                device_id_text(&d.device_id),
                setup.tokens(d.owner_stake),
                setup.tokens(d.counted_stake(now)),
                setup.tokens(d.owner_overflow(setup.config.params.max_costake_bps, now)),
                if reasons.is_empty() { "eligible".into() } else { format!("no: {}", reasons.join(", ")) },
            ]
        })
        .collect();
    if !device_rows.is_empty() {
        text.push_str("\ndevices owned\n");
        text.push_str(&table::render(&["device", "id", "owner stake", "counted", "overflow", "eligible"].map(String::from), &device_rows, 2));
    }
    if !positions.is_empty() {
        text.push_str("\nco-stake positions\n");
        let rows: Vec<[String; 9]> = positions
            .iter()
            .map(|(_, o)| {
                let [seq, state, _, principal, rewards, counts, wait, unlock] = position_row(setup, o, now);
                [o.device.to_string(), seq, state, principal, rewards, counts, wait, unlock, percent_bps(o.reward_share_bps.into())]
            })
            .collect();
        let header = ["device", "#", "state", "principal", "rewards", "counts", "wait ends", "unlock", "share"].map(String::from);
        text.push_str(&table::render(&header, &rows, 3));
    }
    if !tickets.is_empty() {
        text.push_str("\nunstake tickets\n");
        let rows: Vec<[String; 4]> = tickets
            .iter()
            .map(|(_, t)| [t.device.to_string(), t.seq.to_string(), setup.tokens(t.amount), format!("{} ({})", describe::utc(t.unlock_at), describe::unlock(t.unlock_at, now))])
            .collect();
        text.push_str(&table::render(&["device", "#", "amount", "unlock"].map(String::from), &rows, 2));
    }
    let json = vec![
        ("command", Json::str("status")),
        ("wallet", Json::str(wallet.to_string())),
        ("token_balance", setup.amount_json(balance)),
        (
            "devices",
            Json::Array(
                devices
                    .iter()
                    .map(|(a, d)| {
                        Json::object([
                            ("device", Json::str(a.to_string())),
                            ("owner_stake", setup.amount_json(d.owner_stake)),
                            ("counted_stake", setup.amount_json(d.counted_stake(now))),
                            ("eligible", Json::Bool(d.is_eligible(now))),
                        ])
                    })
                    .collect(),
            ),
        ),
        ("positions", Json::Array(positions.iter().map(|(a, o)| position_json(setup, a, o)).collect())),
        (
            "tickets",
            Json::Array(
                tickets
                    .iter()
                    .map(|(_, t)| {
                        Json::object([("device", Json::str(t.device.to_string())), ("seq", Json::Int(t.seq.into())), ("amount", setup.amount_json(t.amount)), ("unlock_at", Json::Int(t.unlock_at.into()))])
                    })
                    .collect(),
            ),
        ),
        ("now", Json::Int(now.into())),
    ];
    Ok(Report { text, json })
}
