//! Many transactions at once: sent from several threads without waiting, then confirmed in bulk.
//!
//! [`send_all`] signs each [`Planned`] transaction with a recent blockhash when its thread takes
//! it, sends it without preflight (so a transaction the program refuses lands on chain and fails
//! there like any other), and once everything is sent polls `getSignatureStatuses` for all of
//! them, sending again the ones the node has not seen until their blockhash expires. Each ends as
//! an [`Outcome`]: confirmed, refused by a named error of the program (or of Anchor), or
//! unexpected (any other failure, a transaction that never landed, one that could not be sent).
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_client::error_name;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_rpc_client::api::config::RpcSendTransactionConfig;
use solana_rpc_client::rpc_client::RpcClient;
use solana_signer::Signer;
use solana_transaction::{InstructionError, Signature, Transaction, TransactionError};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One transaction to send: what it does, its instructions, who pays and signs, what should happen.
pub struct Planned<'k> {
    /// A short name of what it does (`"fill"`, `"early ticket withdrawal"`), to count by.
    pub kind: &'static str,
    /// Its instructions.
    pub instructions: Vec<Instruction>,
    /// The fee payer (signs).
    pub payer: &'k Keypair,
    /// Other signers.
    pub cosigners: Vec<&'k Keypair>,
    /// The outcome it is planned to have.
    pub expect: Expect,
}

impl<'k> Planned<'k> {
    /// A transaction planned to be confirmed.
    pub fn confirm(kind: &'static str, instructions: Vec<Instruction>, payer: &'k Keypair, cosigners: Vec<&'k Keypair>) -> Self {
        Self { kind, instructions, payer, cosigners, expect: Expect::Confirm }
    }

    /// A transaction the program must refuse with the error `name`.
    pub fn refusal(kind: &'static str, instruction: Instruction, payer: &'k Keypair, name: &'static str) -> Self {
        Self { kind, instructions: vec![instruction], payer, cosigners: vec![], expect: Expect::Refusal(name) }
    }
}

/// The outcome a transaction is planned to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// It is confirmed without error.
    Confirm,
    /// The program refuses it with this error name.
    Refusal(&'static str),
    /// It races with others for one thing: confirmed if it wins, refused with this name if not.
    ConfirmOrRefusal(&'static str),
}

impl Expect {
    /// Whether `outcome` is what was planned.
    pub fn is_met_by(&self, outcome: &Outcome) -> bool {
        match (self, outcome) {
            (Expect::Confirm | Expect::ConfirmOrRefusal(_), Outcome::Confirmed) => true,
            (Expect::Refusal(want) | Expect::ConfirmOrRefusal(want), Outcome::Refused(got)) => want == got,
            _ => false,
        }
    }
}

/// How a sent transaction ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Confirmed without error.
    Confirmed,
    /// Confirmed as failed with this named custom error of the program or of Anchor.
    Refused(&'static str),
    /// Anything else: another error, never landed, could not be sent.
    Unexpected(String),
}

/// A sent transaction and how it ended.
#[derive(Clone, Debug)]
pub struct Landed {
    /// Its [`Planned::kind`].
    pub kind: &'static str,
    /// Its [`Planned::expect`].
    pub expect: Expect,
    /// How it ended.
    pub outcome: Outcome,
    /// Its signature.
    pub signature: Signature,
}

/// The tuning of [`send_all`].
#[derive(Clone, Copy, Debug)]
pub struct Sending {
    /// Threads that sign and send at once.
    pub threads: usize,
    /// How old a thread's blockhash may get before it fetches a new one.
    pub blockhash_refresh: Duration,
    /// How long a transaction the node has not seen waits before it is sent again.
    pub resend_after: Duration,
    /// The longest wait for every transaction of one call to end.
    pub confirm_timeout: Duration,
    /// How often progress is printed on stderr.
    pub progress_every: Duration,
}

impl Default for Sending {
    fn default() -> Self {
        Self {
            threads: 8,
            blockhash_refresh: Duration::from_secs(2),
            resend_after: Duration::from_secs(3),
            confirm_timeout: Duration::from_secs(180),
            progress_every: Duration::from_secs(1),
        }
    }
}

/// Most signatures one `getSignatureStatuses` call may ask about.
const MAX_SIGNATURES_PER_STATUS_CALL: usize = 256;

/// An RPC client at `confirmed` with a timeout that outlasts a busy node.
fn client(url: &str) -> RpcClient {
    RpcClient::new_with_timeout_and_commitment(url.to_string(), Duration::from_secs(60), CommitmentConfig::confirmed())
}

/// Sends without preflight: a refused transaction is then recorded on chain with its error.
fn no_preflight() -> RpcSendTransactionConfig {
    RpcSendTransactionConfig { skip_preflight: true, max_retries: Some(0), ..RpcSendTransactionConfig::default() }
}

/// A signed transaction and the error of its first send, if the node refused to take it.
struct Signed {
    transaction: Transaction,
    send_error: Option<String>,
}

/// Sends every transaction of `planned` from `sending.threads` threads, then confirms them all;
/// returns how each ended, in `planned`'s order. `label` names the batch in progress lines.
pub fn send_all(url: &str, label: &str, planned: &[Planned], sending: Sending) -> Vec<Landed> {
    let signed: Vec<OnceLock<Signed>> = planned.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    let sent = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let senders: Vec<_> = (0..sending.threads.max(1))
            .map(|_| scope.spawn(|| send_from_one_thread(url, planned, &signed, &next, &sent, sending.blockhash_refresh)))
            .collect();
        let mut last_progress = Instant::now();
        while !senders.iter().all(|s| s.is_finished()) {
            std::thread::sleep(Duration::from_millis(100));
            if last_progress.elapsed() >= sending.progress_every {
                eprintln!("[load] {label}: sent {}/{}", sent.load(Ordering::Relaxed), planned.len());
                last_progress = Instant::now();
            }
        }
        for sender in senders {
            if let Err(panic) = sender.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    let signed: Vec<Signed> = signed.into_iter().map(|s| s.into_inner().expect("every planned transaction was signed")).collect();
    let outcomes = confirm_all(url, label, &signed, sending);
    planned
        .iter()
        .zip(signed)
        .zip(outcomes)
        .map(|((p, s), outcome)| Landed { kind: p.kind, expect: p.expect, outcome, signature: s.transaction.signatures[0] })
        .collect()
}

/// One sender thread: takes the next planned transaction until none is left, signs and sends it.
fn send_from_one_thread(
    url: &str,
    planned: &[Planned],
    signed: &[OnceLock<Signed>],
    next: &AtomicUsize,
    sent: &AtomicUsize,
    refresh: Duration,
) {
    let rpc = client(url);
    let mut blockhash = rpc.get_latest_blockhash().expect("blockhash");
    let mut fetched = Instant::now();
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(plan) = planned.get(index) else { return };
        if fetched.elapsed() >= refresh {
            blockhash = rpc.get_latest_blockhash().expect("blockhash");
            fetched = Instant::now();
        }
        let mut signers = vec![plan.payer];
        signers.extend(plan.cosigners.iter().copied());
        let transaction = Transaction::new_signed_with_payer(&plan.instructions, Some(&plan.payer.pubkey()), &signers, blockhash);
        let send_error = rpc.send_transaction_with_config(&transaction, no_preflight()).err().map(|e| e.to_string());
        let _ = signed[index].set(Signed { transaction, send_error });
        sent.fetch_add(1, Ordering::Relaxed);
    }
}

/// Polls the statuses of every signed transaction until each is confirmed (with or without an
/// error), sending again the ones not seen yet; a transaction whose blockhash expired unseen, or
/// still unconfirmed at the timeout, ends [`Outcome::Unexpected`].
fn confirm_all(url: &str, label: &str, signed: &[Signed], sending: Sending) -> Vec<Outcome> {
    let rpc = client(url);
    let started = Instant::now();
    let mut outcomes: Vec<Option<Outcome>> = vec![None; signed.len()];
    let mut seen = vec![false; signed.len()];
    let mut last_resend = Instant::now();
    let mut last_progress = Instant::now();
    loop {
        let pending: Vec<usize> = (0..signed.len()).filter(|&i| outcomes[i].is_none()).collect();
        for chunk in pending.chunks(MAX_SIGNATURES_PER_STATUS_CALL) {
            let signatures: Vec<Signature> = chunk.iter().map(|&i| signed[i].transaction.signatures[0]).collect();
            let statuses = rpc.get_signature_statuses(&signatures).expect("getSignatureStatuses").value;
            for (&i, status) in chunk.iter().zip(statuses) {
                let Some(status) = status else { continue };
                seen[i] = true;
                if status.satisfies_commitment(CommitmentConfig::confirmed()) {
                    outcomes[i] = Some(classify(status.err));
                }
            }
        }
        let open = outcomes.iter().filter(|o| o.is_none()).count();
        if open == 0 {
            break;
        }
        if last_progress.elapsed() >= sending.progress_every {
            eprintln!("[load] {label}: confirmed or refused {}/{}", signed.len() - open, signed.len());
            last_progress = Instant::now();
        }
        if started.elapsed() >= sending.confirm_timeout {
            for outcome in outcomes.iter_mut().filter(|o| o.is_none()) {
                *outcome = Some(Outcome::Unexpected(format!("not confirmed within {} s", sending.confirm_timeout.as_secs())));
            }
            break;
        }
        if last_resend.elapsed() >= sending.resend_after {
            resend_unseen(&rpc, signed, &seen, &mut outcomes);
            last_resend = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    outcomes.into_iter().map(|o| o.expect("every transaction ended")).collect()
}

/// Sends again every transaction the node has not seen; one whose blockhash has expired can no
/// longer land and ends as [`Outcome::Unexpected`] (after a last look in the status history).
fn resend_unseen(rpc: &RpcClient, signed: &[Signed], seen: &[bool], outcomes: &mut [Option<Outcome>]) {
    let unseen: Vec<usize> = (0..signed.len()).filter(|&i| outcomes[i].is_none() && !seen[i]).collect();
    for i in unseen {
        let s = &signed[i];
        let blockhash = s.transaction.message.recent_blockhash;
        if rpc.is_blockhash_valid(&blockhash, CommitmentConfig::processed()).unwrap_or(true) {
            let _ = rpc.send_transaction_with_config(&s.transaction, no_preflight());
            continue;
        }
        let history =
            rpc.get_signature_statuses_with_history(&s.transaction.signatures).map(|r| r.value.into_iter().next().flatten());
        outcomes[i] = Some(match history {
            Ok(Some(status)) => classify(status.err),
            _ => Outcome::Unexpected(format!(
                "never landed before its blockhash expired{}",
                s.send_error.as_deref().map(|e| format!(" (first send: {e})")).unwrap_or_default()
            )),
        });
    }
}

/// The outcome of a confirmed transaction's error: a named custom error of the program or of
/// Anchor is a refusal; anything else is unexpected.
pub fn classify(error: Option<TransactionError>) -> Outcome {
    match error {
        None => Outcome::Confirmed,
        Some(TransactionError::InstructionError(index, InstructionError::Custom(code))) => match error_name(code) {
            Some((name, _)) => Outcome::Refused(name),
            None => Outcome::Unexpected(format!("instruction {index}: custom error {code} of no known name")),
        },
        Some(other) => Outcome::Unexpected(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use device_staking_client::device_staking::error::StakingError;

    #[test]
    fn named_custom_errors_are_refusals_and_the_rest_unexpected() {
        assert_eq!(classify(None), Outcome::Confirmed);
        let still_locked = TransactionError::InstructionError(0, InstructionError::Custom(StakingError::StillLocked.into()));
        assert_eq!(classify(Some(still_locked)), Outcome::Refused("StillLocked"));
        let token_error = TransactionError::InstructionError(0, InstructionError::Custom(1));
        assert!(matches!(classify(Some(token_error)), Outcome::Unexpected(_)));
        assert!(matches!(classify(Some(TransactionError::AccountInUse)), Outcome::Unexpected(_)));
    }

    #[test]
    fn expectations_accept_only_the_planned_outcomes() {
        let refused = Outcome::Refused("OfferNotOpen");
        assert!(Expect::Confirm.is_met_by(&Outcome::Confirmed));
        assert!(!Expect::Confirm.is_met_by(&refused));
        assert!(Expect::Refusal("OfferNotOpen").is_met_by(&refused));
        assert!(!Expect::Refusal("StillLocked").is_met_by(&refused));
        assert!(!Expect::Refusal("OfferNotOpen").is_met_by(&Outcome::Confirmed));
        assert!(Expect::ConfirmOrRefusal("OfferNotOpen").is_met_by(&Outcome::Confirmed));
        assert!(Expect::ConfirmOrRefusal("OfferNotOpen").is_met_by(&refused));
        assert!(!Expect::ConfirmOrRefusal("OfferNotOpen").is_met_by(&Outcome::Unexpected("x".into())));
    }
}
