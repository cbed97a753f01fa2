//! The program's events (R50) read out of a transaction's logs with the program's own types:
//! Anchor writes each one as `Program data: <base64 of discriminator + borsh>` while the program
//! runs. [`events_in_logs`] follows the invoke stack of the logs so that only the program's own
//! `Program data:` lines count (not those of a program it calls, nor of another program in the
//! same transaction), and tells which top-level instruction emitted each event.
use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;
use device_staking_client::device_staking::events::*;
use device_staking_client::device_staking::state::{Floors, Params};
use device_staking_client::PROGRAM_ID;
use serde_json::{json, Map, Value};

/// One event of the program, decoded, with what the database indexes it by.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The top-level instruction of the transaction that emitted it (0-based).
    pub instruction_index: u32,
    /// Its place among the program's events of the transaction (0-based; unique with the signature).
    pub event_index: u32,
    /// Its type's name in `events.rs`.
    pub name: &'static str,
    /// The device it is about, if any.
    pub device: Option<Pubkey>,
    /// The wallets the event itself names (owner, co-staker, new owner...); the database adds
    /// the device's owner and the position's co-staker it knows from earlier events.
    pub wallets: Vec<Pubkey>,
    /// The co-stake position (offer sequence number) concerned, if any.
    pub position_seq: Option<u64>,
    /// The event's main amount, if it has one.
    pub amount: Option<u64>,
    /// `RewardPaid`: the owner's part.
    pub owner_part: Option<u64>,
    /// `RewardPaid`: the position's part, when it was paid (not when the position had left).
    pub position_part: Option<u64>,
    /// `RewardPaid` and `RewardSkipped`: the block.
    pub block_id: Option<u64>,
    /// `Slashed`: each position's part, `(seq, amount)`.
    pub position_slashes: Vec<(u64, u64)>,
    /// Its fields as JSON (camelCase; amounts as decimal strings, keys base58, byte arrays hex).
    pub data: Value,
}

/// A token amount in JSON: a decimal string (a u64 does not fit a JavaScript number).
fn tok(amount: u64) -> Value {
    Value::String(amount.to_string())
}

/// A key in JSON: base58.
fn key(key: Pubkey) -> Value {
    Value::String(key.to_string())
}

/// Bytes in JSON: lowercase hex.
fn hex(bytes: &[u8]) -> Value {
    Value::String(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The floors of the protection windows in JSON.
fn floors(floors: &Floors) -> Value {
    json!({ "coverWindowSecs": floors.cover_window_secs, "cooldownSecs": floors.cooldown_secs,
            "roleChangeDelaySecs": floors.role_change_delay_secs })
}

/// A parameter set in JSON.
fn params(params: &Params) -> Value {
    json!({ "baseStakePerGpu": tok(params.base_stake_per_gpu), "coverWindowSecs": params.cover_window_secs,
            "cooldownSecs": params.cooldown_secs, "maxCostakeBps": params.max_costake_bps,
            "maxActiveCostakes": params.max_active_costakes, "maxRewardShareBps": params.max_reward_share_bps,
            "minOfferBps": params.min_offer_bps, "maxSlashBpsPer30d": params.max_slash_bps_per_30d,
            "maxHoldSecs": params.max_hold_secs, "roleChangeDelaySecs": params.role_change_delay_secs })
}

/// An event with nothing but its name and fields, to be completed by the match in [`decode_event`].
fn event(name: &'static str, data: Value) -> Event {
    Event {
        instruction_index: 0,
        event_index: 0,
        name,
        device: None,
        wallets: Vec::new(),
        position_seq: None,
        amount: None,
        owner_part: None,
        position_part: None,
        block_id: None,
        position_slashes: Vec::new(),
        data,
    }
}

/// Deserializes `body` as `T` when `discriminator` is `T`'s.
fn read<T: AnchorDeserialize + Discriminator>(discriminator: &[u8], body: &[u8]) -> Option<T> {
    (discriminator == T::DISCRIMINATOR).then(|| T::deserialize(&mut &body[..]).ok()).flatten()
}

/// The names of every event type the program emits, as [`decode_event`] reports them.
pub const EVENT_NAMES: [&str; 32] = [
    "Initialized",
    "RoleChanged",
    "PausedSet",
    "ParamsProposed",
    "ParamsCancelled",
    "SlashCapLowered",
    "DeviceRegistered",
    "MinimumChanged",
    "Staked",
    "OfferCreated",
    "OfferRetracted",
    "OfferFilled",
    "OverflowWithdrawn",
    "RewardsClaimed",
    "CostakeCancelled",
    "Unstaked",
    "TicketWithdrawn",
    "PositionWithdrawn",
    "HiredSet",
    "DeviceTerminated",
    "DeviceClosed",
    "RewardPaid",
    "RewardSkipped",
    "Slashed",
    "DeviceHeld",
    "SurplusSwept",
    "PositionReleased",
    "EscrowWithdrawn",
    "ProfileClosed",
    "TransferProposed",
    "TransferCancelled",
    "DeviceTransferred",
];

/// Decodes one event from its bytes (discriminator + borsh); `None` for bytes that are no event
/// of the program.
pub fn decode_event(bytes: &[u8]) -> Option<Event> {
    if bytes.len() < 8 {
        return None;
    }
    let (d, b) = bytes.split_at(8);
    macro_rules! try_event {
        ($ty:ident, |$e:ident| $body:expr) => {
            if let Some($e) = read::<$ty>(d, b) {
                return Some($body);
            }
        };
    }
    try_event!(Initialized, |e| event(
        "Initialized",
        json!({ "admin": key(e.admin), "mint": key(e.mint),
        "tokenProgram": key(e.token_program), "floors": floors(&e.floors), "params": params(&e.params) })
    ));
    try_event!(RoleChanged, |e| Event {
        wallets: [e.current, e.pending].into_iter().filter(|k| *k != Pubkey::default()).collect(),
        ..event(
            "RoleChanged",
            json!({ "role": e.role, "action": e.action, "current": key(e.current),
            "pending": key(e.pending), "effectiveAt": e.effective_at, "accepted": e.accepted })
        )
    });
    try_event!(PausedSet, |e| event("PausedSet", json!({ "paused": e.paused })));
    try_event!(ParamsProposed, |e| event(
        "ParamsProposed",
        json!({ "current": params(&e.current),
        "pending": params(&e.pending), "effectiveAt": e.effective_at })
    ));
    try_event!(ParamsCancelled, |e| event("ParamsCancelled", json!({ "current": params(&e.current) })));
    try_event!(SlashCapLowered, |e| event("SlashCapLowered", json!({ "maxSlashBpsPer30d": e.max_slash_bps_per_30d })));
    try_event!(DeviceRegistered, |e| Event {
        device: Some(e.device),
        wallets: vec![e.owner],
        amount: Some(e.min_required),
        ..event(
            "DeviceRegistered",
            json!({ "device": key(e.device), "deviceId": hex(&e.device_id), "owner": key(e.owner),
            "gpuCount": e.gpu_count, "multiplierBps": e.multiplier_bps, "minRequired": tok(e.min_required),
            "revived": e.revived })
        )
    });
    try_event!(MinimumChanged, |e| Event {
        device: Some(e.device),
        amount: Some(e.min_required),
        ..event(
            "MinimumChanged",
            json!({ "device": key(e.device), "gpuCount": e.gpu_count, "multiplierBps": e.multiplier_bps,
            "previousMin": tok(e.previous_min), "minRequired": tok(e.min_required), "graceEnd": e.grace_end })
        )
    });
    try_event!(Staked, |e| Event {
        device: Some(e.device),
        amount: Some(e.amount),
        ..event(
            "Staked",
            json!({ "device": key(e.device), "amount": tok(e.amount), "ownerStake": tok(e.owner_stake),
            "countedStake": tok(e.counted_stake), "eligible": e.eligible })
        )
    });
    try_event!(OfferCreated, |e| Event {
        device: Some(e.device),
        position_seq: Some(e.seq),
        amount: Some(e.amount),
        ..event(
            "OfferCreated",
            json!({ "device": key(e.device), "offer": key(e.offer), "seq": e.seq,
            "amount": tok(e.amount), "rewardShareBps": e.reward_share_bps })
        )
    });
    try_event!(OfferRetracted, |e| Event {
        device: Some(e.device),
        position_seq: Some(e.seq),
        ..event("OfferRetracted", json!({ "device": key(e.device), "seq": e.seq }))
    });
    try_event!(OfferFilled, |e| Event {
        device: Some(e.device),
        wallets: vec![e.costaker],
        position_seq: Some(e.seq),
        amount: Some(e.amount),
        ..event(
            "OfferFilled",
            json!({ "device": key(e.device), "seq": e.seq, "costaker": key(e.costaker),
            "amount": tok(e.amount), "rewardShareBps": e.reward_share_bps, "countedStake": tok(e.counted_stake),
            "activePositions": e.active_positions })
        )
    });
    try_event!(OverflowWithdrawn, |e| Event {
        device: Some(e.device),
        amount: Some(e.from_rewards.saturating_add(e.from_principal)),
        ..event(
            "OverflowWithdrawn",
            json!({ "device": key(e.device), "fromRewards": tok(e.from_rewards),
            "fromPrincipal": tok(e.from_principal), "ownerStake": tok(e.owner_stake), "ownerRewards": tok(e.owner_rewards) })
        )
    });
    try_event!(RewardsClaimed, |e| Event {
        device: Some(e.device),
        wallets: vec![e.costaker],
        position_seq: Some(e.seq),
        amount: Some(e.amount),
        ..event(
            "RewardsClaimed",
            json!({ "device": key(e.device), "seq": e.seq, "costaker": key(e.costaker),
            "amount": tok(e.amount) })
        )
    });
    try_event!(CostakeCancelled, |e| Event {
        device: Some(e.device),
        wallets: vec![e.costaker],
        position_seq: Some(e.seq),
        amount: Some(e.principal),
        ..event(
            "CostakeCancelled",
            json!({ "device": key(e.device), "seq": e.seq, "costaker": key(e.costaker),
            "principal": tok(e.principal), "waitEnd": e.wait_end, "unlockAt": e.unlock_at })
        )
    });
    try_event!(Unstaked, |e| Event {
        device: Some(e.device),
        position_seq: e.stopped_seq,
        amount: Some(e.amount),
        ..event(
            "Unstaked",
            json!({ "device": key(e.device), "ticketSeq": e.ticket_seq, "amount": tok(e.amount),
            "unlockAt": e.unlock_at, "stoppedSeq": e.stopped_seq, "positionsRecapped": e.positions_recapped })
        )
    });
    try_event!(TicketWithdrawn, |e| Event {
        device: Some(e.device),
        wallets: vec![e.owner],
        amount: Some(e.amount),
        ..event(
            "TicketWithdrawn",
            json!({ "device": key(e.device), "seq": e.seq, "owner": key(e.owner),
            "amount": tok(e.amount) })
        )
    });
    try_event!(PositionWithdrawn, |e| Event {
        device: Some(e.device),
        wallets: vec![e.costaker],
        position_seq: Some(e.seq),
        amount: Some(e.principal.saturating_add(e.rewards)),
        ..event(
            "PositionWithdrawn",
            json!({ "device": key(e.device), "seq": e.seq, "costaker": key(e.costaker),
            "principal": tok(e.principal), "rewards": tok(e.rewards) })
        )
    });
    try_event!(HiredSet, |e| Event {
        device: Some(e.device),
        ..event("HiredSet", json!({ "device": key(e.device), "hiredUntil": e.hired_until }))
    });
    try_event!(DeviceTerminated, |e| Event {
        device: Some(e.device),
        ..event("DeviceTerminated", json!({ "device": key(e.device) }))
    });
    try_event!(DeviceClosed, |e| Event {
        device: Some(e.device),
        amount: Some(e.swept),
        ..event("DeviceClosed", json!({ "device": key(e.device), "swept": tok(e.swept) }))
    });
    try_event!(RewardPaid, |e| Event {
        device: Some(e.device),
        position_seq: e.position_seq,
        amount: Some(e.amount),
        owner_part: Some(e.owner_part),
        position_part: (e.position_seq.is_some() && !e.position_left).then_some(e.position_part),
        block_id: Some(e.block_id),
        ..event(
            "RewardPaid",
            json!({ "device": key(e.device), "blockId": e.block_id, "amount": tok(e.amount),
            "ownerPart": tok(e.owner_part), "positionPart": tok(e.position_part), "positionSeq": e.position_seq,
            "positionLeft": e.position_left, "transferred": tok(e.transferred) })
        )
    });
    try_event!(RewardSkipped, |e| Event {
        device: Some(e.device),
        amount: Some(e.amount),
        block_id: Some(e.block_id),
        ..event(
            "RewardSkipped",
            json!({ "device": key(e.device), "blockId": e.block_id, "amount": tok(e.amount),
            "reason": e.reason })
        )
    });
    try_event!(Slashed, |e| Event {
        device: Some(e.device),
        amount: Some(e.total),
        position_slashes: e.from_positions.iter().map(|p| (p.seq, p.amount)).collect(),
        ..event(
            "Slashed",
            json!({ "device": key(e.device), "requested": tok(e.requested),
            "fromOwnerStake": tok(e.from_owner_stake), "fromTicket": tok(e.from_ticket),
            "fromPositions": e.from_positions.iter().map(|p| json!({ "seq": p.seq, "amount": tok(p.amount) })).collect::<Vec<_>>(),
            "total": tok(e.total), "incidentAt": e.incident_at })
        )
    });
    try_event!(DeviceHeld, |e| Event {
        device: Some(e.device),
        ..event("DeviceHeld", json!({ "device": key(e.device), "until": e.until, "incidentStart": e.incident_start }))
    });
    try_event!(SurplusSwept, |e| Event {
        device: Some(e.device),
        amount: Some(e.from_stake_vault.saturating_add(e.from_overflow_vault)),
        ..event(
            "SurplusSwept",
            json!({ "device": key(e.device), "fromStakeVault": tok(e.from_stake_vault),
            "fromOverflowVault": tok(e.from_overflow_vault) })
        )
    });
    try_event!(PositionReleased, |e| Event {
        device: Some(e.device),
        wallets: vec![e.costaker],
        position_seq: Some(e.seq),
        amount: Some(e.principal.saturating_add(e.rewards)),
        ..event(
            "PositionReleased",
            json!({ "device": key(e.device), "seq": e.seq, "costaker": key(e.costaker),
            "principal": tok(e.principal), "rewards": tok(e.rewards), "caller": key(e.caller) })
        )
    });
    try_event!(EscrowWithdrawn, |e| Event {
        device: Some(e.device),
        wallets: vec![e.costaker],
        position_seq: Some(e.seq),
        amount: Some(e.amount),
        ..event(
            "EscrowWithdrawn",
            json!({ "device": key(e.device), "seq": e.seq, "costaker": key(e.costaker),
            "amount": tok(e.amount) })
        )
    });
    try_event!(ProfileClosed, |e| Event {
        wallets: vec![e.wallet],
        ..event("ProfileClosed", json!({ "wallet": key(e.wallet) }))
    });
    try_event!(TransferProposed, |e| Event {
        device: Some(e.device),
        wallets: vec![e.owner, e.new_owner],
        ..event(
            "TransferProposed",
            json!({ "device": key(e.device), "owner": key(e.owner), "newOwner": key(e.new_owner),
            "expiresAt": e.expires_at })
        )
    });
    try_event!(TransferCancelled, |e| Event {
        device: Some(e.device),
        ..event("TransferCancelled", json!({ "device": key(e.device) }))
    });
    try_event!(DeviceTransferred, |e| Event {
        device: Some(e.device),
        wallets: vec![e.previous_owner, e.owner],
        ..event(
            "DeviceTransferred",
            json!({ "device": key(e.device), "previousOwner": key(e.previous_owner),
            "owner": key(e.owner) })
        )
    });
    None
}

/// Every event of the program in a transaction's logs, in order, with the top-level instruction
/// that emitted it. A `Program data:` line belongs to the program on top of the invoke stack;
/// lines of other programs, and lines that are not events of the program, are left out.
pub fn events_in_logs(logs: &[String]) -> Vec<Event> {
    let program = PROGRAM_ID.to_string();
    let mut stack: Vec<&str> = Vec::new();
    let mut top_level: Option<u32> = None;
    let mut events = Vec::new();
    for line in logs {
        if let Some(data) = line.strip_prefix("Program data: ") {
            if stack.last() != Some(&program.as_str()) {
                continue;
            }
            let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(data.trim()) else { continue };
            if let Some(mut decoded) = decode_event(&bytes) {
                decoded.instruction_index = top_level.unwrap_or(0);
                decoded.event_index = events.len() as u32;
                events.push(decoded);
            }
        } else if let Some(rest) = line.strip_prefix("Program ") {
            let mut words = rest.split(' ');
            let (Some(id), Some(what)) = (words.next(), words.next()) else { continue };
            if what == "invoke" {
                if stack.is_empty() {
                    top_level = Some(top_level.map_or(0, |i| i + 1));
                }
                stack.push(id);
            } else if (what == "success" || what.starts_with("failed")) && stack.last() == Some(&id) {
                stack.pop();
            }
        }
    }
    events
}

/// The JSON of an event's fields with the indexing columns around it, as the API serves it
/// (docs/api.md, without the transaction's columns).
pub fn event_json(event: &Event) -> Map<String, Value> {
    let mut object = Map::new();
    object.insert("instructionIndex".into(), event.instruction_index.into());
    object.insert("eventIndex".into(), event.event_index.into());
    object.insert("name".into(), event.name.into());
    object.insert("device".into(), event.device.map(key).unwrap_or(Value::Null));
    object.insert("wallets".into(), Value::Array(event.wallets.iter().copied().map(key).collect()));
    object.insert("positionSeq".into(), event.position_seq.map(Value::from).unwrap_or(Value::Null));
    object.insert("amount".into(), event.amount.map(tok).unwrap_or(Value::Null));
    object.insert("data".into(), event.data.clone());
    object
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::AnchorSerialize;

    /// `Program data:` of an event.
    fn data_line<T: AnchorSerialize + Discriminator>(event: &T) -> String {
        let mut bytes = T::DISCRIMINATOR.to_vec();
        event.serialize(&mut bytes).unwrap();
        format!("Program data: {}", base64::engine::general_purpose::STANDARD.encode(&bytes))
    }

    /// R50, R21: a reward's parts, and only the program's own lines, each with its instruction.
    #[test]
    fn events_are_the_programs_own_with_their_instruction() {
        let device = Pubkey::new_unique();
        let paid = RewardPaid {
            device,
            block_id: 7,
            amount: 1_000,
            owner_part: 260,
            position_part: 740,
            position_seq: Some(3),
            position_left: false,
            transferred: 1_000,
        };
        let left = RewardPaid {
            device,
            block_id: 8,
            amount: 1_000,
            owner_part: 260,
            position_part: 740,
            position_seq: Some(3),
            position_left: true,
            transferred: 1_000,
        };
        let other = Pubkey::new_unique().to_string();
        let program = PROGRAM_ID.to_string();
        let logs: Vec<String> = vec![
            format!("Program {other} invoke [1]"),
            data_line(&paid), // another program's line: not ours
            format!("Program {other} success"),
            format!("Program {program} invoke [1]"),
            "Program log: Instruction: DistributeRewards".into(),
            format!("Program {other} invoke [2]"),
            format!("Program {other} success"),
            data_line(&paid),
            "Program data: not base64!".into(),
            format!("Program {program} consumed 5000 of 200000 compute units"),
            format!("Program {program} success"),
            format!("Program {program} invoke [1]"),
            data_line(&left),
            format!("Program {program} success"),
        ];
        let events = events_in_logs(&logs);
        assert_eq!(events.len(), 2);
        assert_eq!((events[0].name, events[0].instruction_index, events[0].event_index), ("RewardPaid", 1, 0));
        assert_eq!((events[1].instruction_index, events[1].event_index), (2, 1));
        assert_eq!((events[0].owner_part, events[0].position_part, events[0].position_seq), (Some(260), Some(740), Some(3)));
        assert_eq!(events[1].position_part, None, "a left position's part is not paid (R21)");
        assert_eq!(events[0].data["ownerPart"], "260");
        assert_eq!(events[0].data["blockId"], 7);
        assert_eq!(events[0].device, Some(device));
    }

    /// R40: a slash's parts per position are kept; bytes of no event decode to nothing.
    #[test]
    fn a_slash_keeps_each_positions_part() {
        let slashed = Slashed {
            device: Pubkey::new_unique(),
            requested: 10,
            from_owner_stake: 4,
            from_ticket: 0,
            from_positions: vec![PositionSlash { seq: 1, amount: 6 }],
            total: 10,
            incident_at: 5,
        };
        let mut bytes = Slashed::DISCRIMINATOR.to_vec();
        slashed.serialize(&mut bytes).unwrap();
        let event = decode_event(&bytes).expect("a slash");
        assert_eq!((event.name, event.amount, event.position_slashes.clone()), ("Slashed", Some(10), vec![(1, 6)]));
        assert_eq!(event.data["fromPositions"][0]["amount"], "6");
        assert!(decode_event(&[0u8; 8]).is_none());
        assert!(decode_event(&bytes[..8]).is_none(), "a discriminator without its body");
        assert!(EVENT_NAMES.contains(&event.name));
    }
}
