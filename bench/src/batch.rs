//! The largest `distribute_rewards` batch one transaction carries with every event in its logs
//! (R50): staked devices, each with a filled position (the largest `RewardPaid` event: the
//! position's part is named), paid one block, in a transaction that the reward authority pays and
//! signs, with a compute-unit limit of 1.4M. A batch fits when its transaction is at most 1,232
//! bytes, succeeds, and its logs hold one event per device without reaching the runtime's limit
//! of 10,000 bytes (beyond it the runtime drops every later line, events included, and writes
//! "Log truncated"). Two encodings: a legacy message, and a v0 message whose non-signer accounts
//! come from an address lookup table.
use crate::fixture::Fixture;
use crate::{thousands, Program};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_tests::client::ix::{self, RewardTarget};
use device_staking_tests::world::{GPUS, HALF, IO, MIN, MULTIPLIER, SHARE};
use solana_address_lookup_table_interface::state::{AddressLookupTable, LookupTableMeta};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use std::borrow::Cow;

/// The largest size of a transaction on the wire (an IPv6 packet's payload less headers).
pub const PACKET_DATA_SIZE: usize = 1232;
/// The compute-unit limit the batch transactions ask for (the most one transaction may).
pub const COMPUTE_UNIT_LIMIT: u32 = 1_400_000;
/// The runtime's limit on a transaction's log messages, in bytes (`LogCollector`).
pub const LOG_BYTES_LIMIT: usize = 10_000;
/// The line the runtime writes, in place of every later one, once the logs reach the limit.
const LOG_TRUNCATED: &str = "Log truncated";
/// How an event emitted by the program (`emit!`, `sol_log_data`) appears in the logs.
const EVENT_PREFIX: &str = "Program data: ";
/// Devices staked and co-staked for the search; more than any encoding carries.
const DEVICES: usize = 40;
/// Filled positions per co-staker wallet: the default `max_active_costakes`.
const POSITIONS_PER_COSTAKER: usize = 2;

/// How a batch transaction is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// A legacy message: every account's address in the message.
    Legacy,
    /// A v0 message with the accounts other than the signer and the programs in a lookup table.
    LookupTable,
}

/// The largest batch of one encoding, and why one more device does not fit.
#[derive(Clone, Debug)]
pub struct Batch {
    /// The encoding.
    pub encoding: Encoding,
    /// Devices paid in the largest transaction that fits and succeeds.
    pub devices: usize,
    /// That transaction's size on the wire, in bytes.
    pub bytes: usize,
    /// Its compute units.
    pub units: u64,
    /// Bytes of its log messages (of [`LOG_BYTES_LIMIT`]).
    pub log_bytes: usize,
    /// Compute units of a batch of one device.
    pub units_of_one: u64,
    /// Why a batch of `devices + 1` fails.
    pub limit: String,
}

impl Batch {
    /// Compute units each device adds beyond the first.
    pub fn units_per_added_device(&self) -> u64 {
        (self.units - self.units_of_one) / (self.devices as u64 - 1).max(1)
    }
}

/// What one simulated batch showed.
struct Tried {
    /// The transaction's size on the wire.
    bytes: usize,
    /// Its compute units.
    units: u64,
    /// Bytes of its log messages.
    log_bytes: usize,
}

/// Finds the largest batch of each encoding on `program` (keys from seed 0).
pub fn largest_batches(program: &Program) -> Vec<Batch> {
    let mut f = Fixture::new(program, 0);
    let owner = f.owner.key.insecure_clone();
    let mut costakers = Vec::new();
    let devices: Vec<Pubkey> = (0..DEVICES)
        .map(|i| {
            let (device, _) = f.register(GPUS, MULTIPLIER);
            f.stake(device, MIN);
            f.send_ok(&[ix::create_offer(owner.pubkey(), device, 0, HALF, SHARE)], &[&owner]);
            if i % POSITIONS_PER_COSTAKER == 0 {
                costakers.push(f.extra_costaker(i as u64, HALF * POSITIONS_PER_COSTAKER as u64));
            }
            let costaker = costakers.last().expect("a co-staker");
            let fill = ix::fill_offer(costaker.pubkey(), device, 0, HALF, SHARE, costaker.token, &f.mint);
            f.send_ok(&[fill], &[&costaker.key]);
            device
        })
        .collect();
    let block_start = f.env.now();
    f.env.advance(3_600);
    let table = lookup_table(&mut f, &devices);
    [Encoding::Legacy, Encoding::LookupTable]
        .into_iter()
        .map(|encoding| largest(&mut f, &devices, block_start, encoding, &table))
        .collect()
}

/// Grows the batch one device at a time until the transaction no longer fits, fails, or loses
/// events to the log limit.
fn largest(
    f: &mut Fixture,
    devices: &[Pubkey],
    block_start: i64,
    encoding: Encoding,
    table: &AddressLookupTableAccount,
) -> Batch {
    let mut best: Option<Batch> = None;
    for n in 1..=devices.len() {
        match try_batch(f, &devices[..n], block_start, encoding, table) {
            Ok(Tried { bytes, units, log_bytes }) => {
                let units_of_one = best.as_ref().map_or(units, |b| b.units_of_one);
                best = Some(Batch { encoding, devices: n, bytes, units, log_bytes, units_of_one, limit: String::new() });
            }
            Err(why) => {
                let mut batch = best.expect("a batch of one device fits");
                batch.limit = why;
                return batch;
            }
        }
    }
    panic!("{DEVICES} devices fit one {encoding:?} transaction: stake more for the search")
}

/// Simulates one block paid to `devices`; returns the transaction's size, compute units and log
/// bytes, or why it does not fit, fails, or loses events.
fn try_batch(
    f: &mut Fixture,
    devices: &[Pubkey],
    block_start: i64,
    encoding: Encoding,
    table: &AddressLookupTableAccount,
) -> Result<Tried, String> {
    let authority = f.roles.reward_authority.insecure_clone();
    let targets: Vec<RewardTarget> = devices.iter().map(|d| RewardTarget { device: *d, amount: IO }).collect();
    let now = f.env.now();
    let ixs = [
        ComputeBudgetInstruction::set_compute_unit_limit(COMPUTE_UNIT_LIMIT),
        ix::distribute_rewards(authority.pubkey(), f.reward_source, 1, block_start, now, &targets, &f.mint),
    ];
    let tx = transaction(f, &ixs, &authority, encoding, table)?;
    let bytes = 1 + 64 * tx.signatures.len() + tx.message.serialize().len();
    if bytes > PACKET_DATA_SIZE {
        return Err(format!("{} bytes > {}", thousands(bytes as u64), thousands(PACKET_DATA_SIZE as u64)));
    }
    match f.env.svm.simulate_transaction(tx) {
        Ok(info) => {
            let logs = &info.meta.logs;
            let events = logs.iter().filter(|l| l.starts_with(EVENT_PREFIX)).count();
            let log_bytes = logs.iter().map(|l| l.len()).sum();
            if logs.iter().any(|l| l == LOG_TRUNCATED) || events != devices.len() {
                return Err(format!(
                    "the logs reach the runtime's {} bytes and are truncated ({events} of {} events kept)",
                    thousands(LOG_BYTES_LIMIT as u64),
                    devices.len()
                ));
            }
            Ok(Tried { bytes, units: info.meta.compute_units_consumed, log_bytes })
        }
        Err(failed) if failed.meta.compute_units_consumed == 0 => Err(format!("{:?}", failed.err)),
        Err(failed) => Err(format!("{:?} after {} CU", failed.err, thousands(failed.meta.compute_units_consumed))),
    }
}

/// The transaction of `ixs`, paid and signed by `payer`, in `encoding`.
fn transaction(
    f: &mut Fixture,
    ixs: &[Instruction],
    payer: &Keypair,
    encoding: Encoding,
    table: &AddressLookupTableAccount,
) -> Result<VersionedTransaction, String> {
    f.env.svm.expire_blockhash();
    let blockhash = f.env.svm.latest_blockhash();
    let message = match encoding {
        Encoding::Legacy => VersionedMessage::Legacy(Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &blockhash)),
        Encoding::LookupTable => VersionedMessage::V0(
            v0::Message::try_compile(&payer.pubkey(), ixs, std::slice::from_ref(table), blockhash)
                .map_err(|e| format!("{e:?}"))?,
        ),
    };
    VersionedTransaction::try_new(message, &[payer]).map_err(|e| format!("{e:?}"))
}

/// Writes an address lookup table holding the batch's accounts other than the signer: the
/// config, source, mint, token program and every device with its overflow vault. It is written
/// directly, as if created and extended by its program in an earlier slot.
fn lookup_table(f: &mut Fixture, devices: &[Pubkey]) -> AddressLookupTableAccount {
    let targets: Vec<RewardTarget> = devices.iter().map(|d| RewardTarget { device: *d, amount: IO }).collect();
    let authority = f.roles.reward_authority.pubkey();
    let all = ix::distribute_rewards(authority, f.reward_source, 1, 0, 0, &targets, &f.mint);
    let addresses: Vec<Pubkey> = all.accounts.iter().filter(|m| !m.is_signer).map(|m| m.pubkey).collect();
    let key = crate::seeded_keypair("lookup-table", 0).pubkey();
    let table = AddressLookupTable {
        meta: LookupTableMeta { authority: Some(authority), ..LookupTableMeta::default() },
        addresses: Cow::Borrowed(&addresses),
    };
    let data = table.serialize_for_tests().expect("lookup table data");
    let lamports = f.env.svm.minimum_balance_for_rent_exemption(data.len());
    let account = solana_account::Account {
        lamports,
        data,
        owner: solana_address_lookup_table_interface::program::ID,
        executable: false,
        rent_epoch: 0,
    };
    f.env.svm.set_account(key, account).expect("set the lookup table");
    AddressLookupTableAccount { key, addresses }
}
