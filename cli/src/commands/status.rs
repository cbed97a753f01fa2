//! `status`: a device's state, a wallet's devices, positions and tickets, or the config's roles
//! and parameters with their pending changes, for people (tables, whole tokens, UTC dates and
//! relative times) or scripts (JSON). A device's figures are the program's own `device_status`
//! (R54), computed by the program crate's function from the device account and the config.
use super::operator::param_values;
use super::{device_id_text, CliError, Context, DeviceAccount, Report, Setup};
use crate::chain::ChainExt;
use crate::json;
use crate::table;
use crate::token;
use anchor_lang::prelude::Pubkey;
use device_staking_client::describe;
use device_staking_client::device_staking::instructions::device_status::{
    status as program_status, DeviceStatus, PositionStatus,
};
use device_staking_client::device_staking::state::{
    Config, CostakerProfile, Device, Offer, OfferState, Position, Role, RoleSlot, Tombstone,
};
use device_staking_client::format::{duration, percent_bps};
use device_staking_client::{ix, pda, query};
use serde_json::{json, Value};
use solana_signer::Signer;

/// Runs `status`: of the config with `config`, of `device` when given, else of `wallet`
/// (default: the signer).
pub fn run(ctx: &mut Context, device: Option<String>, wallet: Option<String>, config: bool) -> Result<Report, CliError> {
    let setup = ctx.setup()?;
    if config {
        return Ok(config_status(&setup));
    }
    match device {
        Some(device) => device_status(ctx, &setup, &device),
        None => {
            let wallet = match wallet {
                Some(text) => super::key_or_keypair(&text)?,
                None => ctx.signer()?.pubkey(),
            };
            wallet_status(ctx, &setup, &wallet)
        }
    }
}

/// `"-"` for a time that is not set (0), else its date and distance from the Clock.
fn when_set(setup: &Setup, at: i64) -> String {
    if at == 0 {
        "-".to_string()
    } else {
        setup.when(at)
    }
}

/// The columns of a device's position table.
const POSITION_HEADER: [&str; 10] =
    ["#", "state", "co-staker", "principal", "rewards", "share", "counts", "wait ends", "unlock", "slashable now"];

/// A row of the position table: the program's status of the position and the table's record.
fn position_row(setup: &Setup, status: &PositionStatus, position: &Position) -> [String; 10] {
    let unlock = if status.unlock_at == 0 {
        "-".to_string()
    } else {
        format!("{} ({})", describe::utc(status.unlock_at), describe::unlock(status.unlock_at, setup.now))
    };
    [
        status.seq.to_string(),
        describe::position_state(status.state).into(),
        position.costaker.to_string(),
        setup.tokens(status.principal),
        setup.tokens(status.rewards),
        percent_bps(status.reward_share_bps.into()),
        if status.counts { "yes" } else { "no" }.into(),
        when_set(setup, status.wait_end),
        unlock,
        setup.tokens(status.slash_allowance),
    ]
}

fn position_json(setup: &Setup, device: &Pubkey, status: &PositionStatus, position: &Position) -> Value {
    json!({
        "device": device.to_string(),
        "offer": pda::offer(device, status.seq).0.to_string(),
        "seq": status.seq,
        "state": describe::position_state(status.state),
        "costaker": position.costaker.to_string(),
        "principal": setup.amount_json(status.principal),
        "rewards": setup.amount_json(status.rewards),
        "reward_share_bps": status.reward_share_bps,
        "counts": status.counts,
        "filled_at": position.filled_at,
        "stopped_at": position.stopped_at,
        "wait_end": status.wait_end,
        "unlock_at": status.unlock_at,
        "slash_allowance": setup.amount_json(status.slash_allowance),
    })
}

/// Each position of the program's status with its record in the device's table.
fn positions<'a>(device: &'a Device, status: &'a DeviceStatus) -> impl Iterator<Item = (&'a PositionStatus, &'a Position)> {
    status.positions.iter().filter_map(|s| device.position(s.seq).ok().map(|p| (s, p)))
}

/// A released position's escrow: the offer, its address and what the escrow holds.
struct Escrow {
    offer: Offer,
    address: Pubkey,
    amount: u64,
}

/// The released positions among `offers`, with their escrows' balances.
fn escrows(ctx: &Context, offers: Vec<(Pubkey, Offer)>) -> Result<Vec<Escrow>, String> {
    offers
        .into_iter()
        .filter(|(_, o)| o.is(OfferState::Released))
        .map(|(offer_address, offer)| {
            let address = pda::escrow(&offer_address).0;
            Ok(Escrow { amount: token::balance(&*ctx.chain, &address)?, address, offer })
        })
        .collect()
}

fn escrow_json(setup: &Setup, escrow: &Escrow) -> Value {
    json!({
        "device": escrow.offer.device.to_string(),
        "seq": escrow.offer.seq,
        "costaker": escrow.offer.costaker.to_string(),
        "escrow": escrow.address.to_string(),
        "amount": setup.amount_json(escrow.amount),
    })
}

fn device_status(ctx: &Context, setup: &Setup, reference: &str) -> Result<Report, CliError> {
    let (address, device) = match ctx.device_account(reference)? {
        (address, DeviceAccount::Closed(tombstone)) => return Ok(closed_status(setup, &address, &tombstone)),
        (address, DeviceAccount::Live(device)) => (address, *device),
    };
    let now = setup.now;
    let status = program_status(&device, &setup.env(now));
    let reasons = describe::ineligibility(status.ineligible_reasons);
    let eligibility = if reasons.is_empty() { "yes".to_string() } else { format!("no: {}", reasons.join(", ")) };
    let open_offer: Option<Offer> =
        status.open_offer.map(|seq| ctx.chain.find(&pda::offer(&address, seq).0)).transpose()?.flatten();
    let released = escrows(ctx, ctx.chain.list(&query::offers_of_device(&address))?)?;
    let transfer_open = device.pending_owner != Pubkey::default() && now < device.transfer_expires_at;

    let mut flags = Vec::new();
    if status.hired {
        flags.push(format!("hired until {}", setup.when(status.hired_until)));
    }
    if device.is_terminated() {
        flags.push(format!("terminated {}", describe::utc(device.terminated_at)));
    }
    if device.is_unstaking() {
        flags.push(format!("unstaking since {}", describe::utc(device.unstaked_at)));
    }
    if status.held {
        flags.push(format!(
            "on hold until {} (incident of {})",
            setup.when(status.hold_until),
            describe::utc(status.hold_incident_start)
        ));
    }
    let mut rows =
        vec![("device", format!("{} ({address})", device_id_text(&device.device_id))), ("owner", device.owner.to_string())];
    if transfer_open {
        rows.push((
            "transfer",
            format!("proposed to {}, may accept until {}", device.pending_owner, setup.when(device.transfer_expires_at)),
        ));
    }
    rows.push((
        "hardware",
        format!("{} GPUs, multiplier {}", device.gpu_count, super::multiplier_text(device.multiplier_bps.into())),
    ));
    rows.push((
        "minimum",
        format!("{} in force (from the hardware: {})", setup.tokens(status.min_in_force), setup.tokens(status.min_required)),
    ));
    if status.grace_end > now {
        rows.push(("grace", format!("the previous minimum until {}", setup.when(status.grace_end))));
    }
    rows.push(("owner stake", setup.tokens(status.owner_stake)));
    rows.push(("counted stake", setup.tokens(status.counted_stake)));
    rows.push(("eligible", eligibility));
    rows.push(("owner rewards", setup.tokens(status.owner_rewards)));
    rows.push((
        "owner overflow",
        format!(
            "{} withdrawable now ({} of it principal)",
            setup.tokens(status.owner_overflow),
            setup.tokens(status.owner_principal_overflow)
        ),
    ));
    rows.push(("status", if flags.is_empty() { "active".to_string() } else { flags.join("; ") }));
    rows.push((
        "slashable now",
        format!("{} of the owner's stake (the 30-day cap left)", setup.tokens(status.owner_slash_allowance)),
    ));
    rows.push((
        "open offer",
        match (&status.open_offer, &open_offer) {
            (Some(seq), Some(o)) => format!(
                "#{seq}: asks {} for {} of the block rewards",
                setup.tokens(o.amount),
                percent_bps(o.reward_share_bps.into())
            ),
            (Some(seq), None) => format!("#{seq}"),
            (None, _) => "none".to_string(),
        },
    ));
    if let Some(ticket) = &status.ticket {
        let held = if ticket.held { "; held" } else { "" };
        rows.push((
            "ticket",
            format!(
                "#{} {} unlocks {} ({}){held}",
                ticket.seq,
                setup.tokens(ticket.amount),
                describe::utc(ticket.unlock_at),
                describe::unlock(ticket.unlock_at, now)
            ),
        ));
    }
    if device.last_paid_end != 0 {
        rows.push(("last block", format!("paid or skipped up to {}", describe::utc(device.last_paid_end))));
    }
    rows.push(("clock", describe::utc(now)));
    let mut text = table::pairs(&rows);
    let cells: Vec<[String; 10]> = positions(&device, &status).map(|(s, p)| position_row(setup, s, p)).collect();
    if !cells.is_empty() {
        text.push_str(&format!("\npositions ({} of {} slots)\n", cells.len(), device.positions.len()));
        text.push_str(&table::render(&POSITION_HEADER.map(String::from), &cells, 3));
    }
    if !released.is_empty() {
        text.push_str("\nreleased positions (in escrow until their co-staker withdraws)\n");
        let rows: Vec<[String; 4]> = released
            .iter()
            .map(|e| [e.offer.seq.to_string(), e.offer.costaker.to_string(), e.address.to_string(), setup.tokens(e.amount)])
            .collect();
        text.push_str(&table::render(&["#", "co-staker", "escrow", "amount"].map(String::from), &rows, 3));
    }
    let ticket = status.ticket.map_or(Value::Null, |t| {
        json!({
            "seq": t.seq,
            "amount": setup.amount_json(t.amount),
            "unlock_at": t.unlock_at,
            "ripe": now >= t.unlock_at,
            "held": t.held,
        })
    });
    let open = match (&status.open_offer, &open_offer) {
        (Some(seq), Some(o)) => json!({
            "seq": *seq,
            "amount": setup.amount_json(o.amount),
            "reward_share_bps": o.reward_share_bps,
        }),
        (Some(seq), None) => json!({ "seq": *seq }),
        (None, _) => Value::Null,
    };
    let json = vec![
        ("command", json!("status")),
        ("device", json!(address.to_string())),
        ("closed", json!(false)),
        ("device_id", json!(device_id_text(&device.device_id))),
        ("owner", json!(device.owner.to_string())),
        ("pending_owner", if transfer_open { json!(device.pending_owner.to_string()) } else { Value::Null }),
        ("transfer_expires_at", json!(if transfer_open { device.transfer_expires_at } else { 0 })),
        ("gpu_count", json!(device.gpu_count)),
        ("multiplier_bps", json!(device.multiplier_bps)),
        ("min_in_force", setup.amount_json(status.min_in_force)),
        ("min_required", setup.amount_json(status.min_required)),
        ("grace_end", json!(status.grace_end)),
        ("owner_stake", setup.amount_json(status.owner_stake)),
        ("counted_stake", setup.amount_json(status.counted_stake)),
        ("eligible", json!(status.eligible)),
        ("ineligible_reasons", json!(reasons)),
        ("owner_rewards", setup.amount_json(status.owner_rewards)),
        ("owner_overflow", setup.amount_json(status.owner_overflow)),
        ("owner_principal_overflow", setup.amount_json(status.owner_principal_overflow)),
        ("owner_slash_allowance", setup.amount_json(status.owner_slash_allowance)),
        ("hired", json!(status.hired)),
        ("hired_until", json!(status.hired_until)),
        ("terminated", json!(device.is_terminated())),
        ("unstaking", json!(device.is_unstaking())),
        ("held", json!(status.held)),
        ("hold_until", json!(status.hold_until)),
        ("hold_incident_start", json!(status.hold_incident_start)),
        ("open_offer", open),
        ("ticket", ticket),
        ("positions", Value::Array(positions(&device, &status).map(|(s, p)| position_json(setup, &address, s, p)).collect())),
        ("escrows", Value::Array(released.iter().map(|e| escrow_json(setup, e)).collect())),
        ("next_offer_seq", json!(device.next_offer_seq)),
        ("last_paid_end", json!(device.last_paid_end)),
        ("now", json!(now)),
    ];
    Ok(Report { text, json })
}

/// A closed device (R8): what its tombstone keeps for a revival.
fn closed_status(setup: &Setup, address: &Pubkey, tombstone: &Tombstone) -> Report {
    let id = device_id_text(&tombstone.device_id);
    let rows = [
        ("device", format!("{id} ({address})")),
        ("status", format!("closed {} (a tombstone); `owner register {id}` revives it", setup.when(tombstone.closed_at))),
        ("next offer", format!("#{}", tombstone.next_offer_seq)),
        ("next ticket", format!("#{}", tombstone.next_ticket_seq)),
        (
            "last block",
            if tombstone.last_paid_end == 0 {
                "none paid".to_string()
            } else {
                format!("paid or skipped up to {}", describe::utc(tombstone.last_paid_end))
            },
        ),
        ("clock", describe::utc(setup.now)),
    ];
    let json = vec![
        ("command", json!("status")),
        ("device", json!(address.to_string())),
        ("closed", json!(true)),
        ("device_id", json!(id)),
        ("closed_at", json!(tombstone.closed_at)),
        ("next_offer_seq", json!(tombstone.next_offer_seq)),
        ("next_ticket_seq", json!(tombstone.next_ticket_seq)),
        ("last_paid_end", json!(tombstone.last_paid_end)),
        ("now", json!(setup.now)),
    ];
    Report { text: table::pairs(&rows), json }
}

fn wallet_status(ctx: &Context, setup: &Setup, wallet: &Pubkey) -> Result<Report, CliError> {
    let now = setup.now;
    let env = setup.env(now);
    let token_account = ix::associated_token(wallet, &setup.mint);
    let balance = token::balance(&*ctx.chain, &token_account)?;
    let profile: Option<CostakerProfile> = ctx.chain.find(&pda::costaker(wallet).0)?;
    let devices: Vec<(Pubkey, Device)> = ctx.chain.list(&query::devices_of_owner(wallet))?;
    let offered: Vec<(Pubkey, Device)> = ctx
        .chain
        .list(&query::devices_offered_to(wallet))?
        .into_iter()
        .filter(|(_, d): &(Pubkey, Device)| d.pending_owner == *wallet && now < d.transfer_expires_at)
        .collect();
    let mut offers: Vec<(Pubkey, Offer)> = ctx.chain.list(&query::positions_of_costaker(wallet))?;
    offers.sort_by_key(|(_, o)| (o.device, o.seq));
    // a filled offer's position lives in its device's table until withdrawn or released
    let mut held: Vec<(Pubkey, PositionStatus, Position)> = Vec::new();
    for (_, offer) in offers.iter().filter(|(_, o)| o.is(OfferState::Filled)) {
        let Some(device) = ctx.chain.find::<Device>(&offer.device).ok().flatten() else { continue };
        let status = program_status(&device, &env);
        let found = positions(&device, &status).find(|(s, _)| s.seq == offer.seq).map(|(s, p)| (s.clone(), *p));
        if let Some((s, p)) = found {
            held.push((offer.device, s, p));
        }
    }
    let released = escrows(ctx, offers)?;

    let mut rows = vec![("wallet", wallet.to_string()), ("token balance", setup.tokens(balance))];
    rows.push((
        "co-staker profile",
        profile.as_ref().map_or("none".to_string(), |p| {
            format!("{} filled position(s) of at most {}", p.active_positions, env.params.max_active_costakes)
        }),
    ));
    rows.push(("clock", describe::utc(now)));
    let mut text = table::pairs(&rows);
    let device_rows: Vec<[String; 7]> = devices
        .iter()
        .map(|(address, d)| {
            let reasons = describe::ineligibility(d.ineligibility(&env));
            let ticket = if d.is_unstaking() {
                format!("#{} {} {}", d.ticket_seq, setup.tokens(d.ticket_principal), describe::unlock(d.ticket_unlock_at, now))
            } else {
                "-".to_string()
            };
            [
                address.to_string(),
                device_id_text(&d.device_id),
                setup.tokens(d.owner_stake),
                setup.tokens(d.counted_stake(now)),
                setup.tokens(d.owner_overflow(&env)),
                if reasons.is_empty() { "eligible".into() } else { format!("no: {}", reasons.join(", ")) },
                ticket,
            ]
        })
        .collect();
    if !device_rows.is_empty() {
        text.push_str("\ndevices owned\n");
        text.push_str(&table::render(
            &["device", "id", "owner stake", "counted", "overflow", "eligible", "ticket"].map(String::from),
            &device_rows,
            2,
        ));
    }
    if !offered.is_empty() {
        text.push_str("\ndevices offered to this wallet (accept with `owner accept DEVICE`)\n");
        let rows: Vec<[String; 3]> =
            offered.iter().map(|(a, d)| [a.to_string(), d.owner.to_string(), setup.when(d.transfer_expires_at)]).collect();
        text.push_str(&table::render(&["device", "owner", "until"].map(String::from), &rows, 3));
    }
    if !held.is_empty() {
        text.push_str("\nco-stake positions\n");
        let rows: Vec<[String; 9]> = held
            .iter()
            .map(|(device, s, p)| {
                let [seq, state, _, principal, rewards, share, counts, wait, unlock, _] = position_row(setup, s, p);
                [device.to_string(), seq, state, principal, rewards, share, counts, wait, unlock]
            })
            .collect();
        let header = ["device", "#", "state", "principal", "rewards", "share", "counts", "wait ends", "unlock"].map(String::from);
        text.push_str(&table::render(&header, &rows, 3));
    }
    if !released.is_empty() {
        text.push_str("\nreleased positions (withdraw with `costaker withdraw-escrow DEVICE SEQ`)\n");
        let rows: Vec<[String; 3]> =
            released.iter().map(|e| [e.offer.device.to_string(), e.offer.seq.to_string(), setup.tokens(e.amount)]).collect();
        text.push_str(&table::render(&["device", "#", "in escrow"].map(String::from), &rows, 2));
    }
    let devices_json = devices.iter().map(|(a, d)| {
        json!({
            "device": a.to_string(),
            "owner_stake": setup.amount_json(d.owner_stake),
            "counted_stake": setup.amount_json(d.counted_stake(now)),
            "owner_overflow": setup.amount_json(d.owner_overflow(&env)),
            "eligible": d.is_eligible(&env),
        })
    });
    let tickets_json = devices.iter().filter(|(_, d)| d.is_unstaking()).map(|(a, d)| {
        json!({
            "device": a.to_string(),
            "seq": d.ticket_seq,
            "amount": setup.amount_json(d.ticket_principal),
            "unlock_at": d.ticket_unlock_at,
        })
    });
    let json = vec![
        ("command", json!("status")),
        ("wallet", json!(wallet.to_string())),
        ("token_balance", setup.amount_json(balance)),
        ("active_positions", json!(profile.map(|p| p.active_positions))),
        ("devices", Value::Array(devices_json.collect())),
        ("devices_offered", Value::Array(offered.iter().map(|(a, _)| json!(a.to_string())).collect())),
        ("positions", Value::Array(held.iter().map(|(d, s, p)| position_json(setup, d, s, p)).collect())),
        ("escrows", Value::Array(released.iter().map(|e| escrow_json(setup, e)).collect())),
        ("tickets", Value::Array(tickets_json.collect())),
        ("now", json!(now)),
    ];
    Ok(Report { text, json })
}

/// The roles of the config, in the order `propose-role` names them.
const ROLES: [Role; 5] = [Role::Admin, Role::Oracle, Role::RewardAuthority, Role::SlashAuthority, Role::Treasury];

/// A role's slot in words: the key in force, and a pending change with its time and acceptance.
fn role_text(setup: &Setup, slot: &RoleSlot) -> String {
    let holder = slot.key_at(setup.now);
    let mut text = if holder == Pubkey::default() { "none (revoked)".to_string() } else { holder.to_string() };
    if slot.has_pending() && holder != slot.pending {
        let accepted = if slot.is_accepted() { "accepted" } else { "not yet accepted" };
        text.push_str(&format!("; pending {} from {} ({accepted})", slot.pending, setup.when(slot.effective_at)));
    }
    text
}

fn role_json(setup: &Setup, slot: &RoleSlot) -> Value {
    let holder = slot.key_at(setup.now);
    let pending = slot.has_pending() && holder != slot.pending;
    json!({
        "current": if holder == Pubkey::default() { Value::Null } else { json!(holder.to_string()) },
        "pending": if pending { json!(slot.pending.to_string()) } else { Value::Null },
        "effective_at": if pending { slot.effective_at } else { 0 },
        "accepted": pending && slot.is_accepted(),
    })
}

/// `status --config`: the roles, floors and parameters in force, and what is pending with its time.
fn config_status(setup: &Setup) -> Report {
    let config: &Config = &setup.config;
    let now = setup.now;
    let in_force = config.params_at(now);
    let pending = (config.params_effective_at != 0 && now < config.params_effective_at).then_some(config.pending_params());
    let mut rows =
        vec![("config", pda::config().0.to_string()), ("mint", format!("{} ({} decimals)", config.mint, setup.decimals))];
    for role in ROLES {
        rows.push((describe::role(role), role_text(setup, config.role_slot(role))));
    }
    rows.push((
        "paused",
        if config.is_paused() { "yes: registrations, offers, fills and stake (but covering)" } else { "no" }.to_string(),
    ));
    rows.push((
        "floors",
        format!(
            "cover window {}, cooldown {}, role change delay {} (fixed at initialize)",
            duration(config.floors.cover_window_secs),
            duration(config.floors.cooldown_secs),
            duration(config.floors.role_change_delay_secs)
        ),
    ));
    rows.push(("change delay", format!("{} from a proposal now (R34)", duration(in_force.change_delay()))));
    rows.push(("clock", describe::utc(now)));
    let mut text = table::pairs(&rows);
    let show = |name: &str, value: i128| -> String {
        match name {
            "base_stake_per_gpu" => setup.tokens(value as u64),
            n if n.ends_with("_secs") => duration(value as i64),
            n if n.ends_with("_bps") || n.ends_with("_bps_per_30d") => percent_bps(value as u64),
            _ => value.to_string(),
        }
    };
    let header = match pending {
        Some(_) => ["parameter", "in force", &format!("from {}", describe::utc(config.params_effective_at))].map(String::from),
        None => ["parameter", "in force", ""].map(String::from),
    };
    let cells: Vec<[String; 3]> = param_values(&in_force)
        .into_iter()
        .zip(param_values(pending.as_ref().unwrap_or(&in_force)))
        .map(|((name, now_value), (_, next))| {
            let next = if pending.is_some() && next != now_value { show(name, next) } else { String::new() };
            [name.to_string(), show(name, now_value), next]
        })
        .collect();
    text.push('\n');
    text.push_str(&table::render(&header, &cells, 1));
    if pending.is_some() {
        text.push_str(&format!(
            "pending parameters apply {} (R33, R34); `operator cancel-params` cancels them\n",
            setup.when(config.params_effective_at)
        ));
    }
    let params_json = |p: &_| json::object(param_values(p).map(|(name, value)| (name, json!(value))));
    let roles = ROLES.map(|role| (role_key(role), role_json(setup, config.role_slot(role))));
    let json = vec![
        ("command", json!("status")),
        ("config", json!(pda::config().0.to_string())),
        ("mint", json!(config.mint.to_string())),
        ("roles", json::object(roles)),
        ("paused", json!(config.is_paused())),
        (
            "floors",
            json!({
                "cover_window_secs": config.floors.cover_window_secs,
                "cooldown_secs": config.floors.cooldown_secs,
                "role_change_delay_secs": config.floors.role_change_delay_secs,
            }),
        ),
        ("params", params_json(&in_force)),
        ("pending_params", pending.as_ref().map_or(Value::Null, params_json)),
        ("params_effective_at", json!(if pending.is_some() { config.params_effective_at } else { 0 })),
        ("change_delay_secs", json!(in_force.change_delay())),
        ("now", json!(now)),
    ];
    Report { text, json }
}

/// A role's key in JSON: `admin`, `oracle`, `reward_authority`, `slash_authority`, `treasury`.
fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Oracle => "oracle",
        Role::RewardAuthority => "reward_authority",
        Role::SlashAuthority => "slash_authority",
        Role::Treasury => "treasury",
    }
}
