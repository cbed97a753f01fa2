//! Offline signing and multisigs, as the Solana CLI does it: `--sign-only` prints the signers'
//! signatures and the blockhash instead of sending, `--blockhash` builds with a given blockhash,
//! `--signer PUBKEY=SIGNATURE` adds a signature made elsewhere, and `--dump-transaction-message`
//! prints the transaction's message (base58 or base64) for a multisig such as Squads to propose.
//! Every side of an offline signing builds the same message: the blockhash given, and a fixed
//! compute budget (`--with-compute-unit-limit`, default [`crate::chain::OFFLINE_COMPUTE_UNITS`], and
//! `--with-compute-unit-price`, default 0) instead of a simulation and the recent fees.
use super::{read_keypair, CliError, Report};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use base64::Engine;
use clap::ValueEnum;
use serde_json::json;
use solana_clap_v3_utils::input_parsers::signer::{SignerSource, SignerSourceKind};
use solana_clap_v3_utils::keypair::keypair_from_seed_phrase;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_remote_wallet::remote_keypair::generate_remote_keypair;
use solana_remote_wallet::remote_wallet::{maybe_wallet_manager, RemoteWalletManager};
use solana_signer::null_signer::NullSigner;
use solana_signer::{Signer, SignerError};
use solana_transaction::{Signature, Transaction};
use std::path::Path;

/// The error of a `usb://` signer when no hardware wallet is plugged in.
pub const NO_HARDWARE_WALLET: &str = "NoHardwareWallet";

/// The hardware wallets on the USB bus, `None` when there is none. A machine without a USB bus
/// (a container: no /sys/bus/usb) has none; the remote-wallet crate's Trezor scan panics there
/// (libusb cannot start), so it is not asked, and a panic of the scan is an error here too.
fn hardware_wallets() -> Result<Option<std::rc::Rc<RemoteWalletManager>>, String> {
    if cfg!(target_os = "linux") && !Path::new("/sys/bus/usb").exists() {
        return Ok(None);
    }
    std::panic::catch_unwind(maybe_wallet_manager)
        .map_err(|_| "cannot read the USB devices (libusb failed to start)".to_string())?
        .map_err(|e| format!("cannot read the USB devices: {e}"))
}

/// How `--dump-transaction-message` encodes the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageEncoding {
    /// Base58 (what Squads' "import transaction" takes).
    Base58,
    /// Base64.
    Base64,
}

impl MessageEncoding {
    /// `bytes` in this encoding.
    pub fn encode(self, bytes: &[u8]) -> String {
        match self {
            MessageEncoding::Base58 => bs58::encode(bytes).into_string(),
            MessageEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }

    /// The encoding's name.
    pub fn name(self) -> &'static str {
        match self {
            MessageEncoding::Base58 => "base58",
            MessageEncoding::Base64 => "base64",
        }
    }
}

/// `PUBKEY=SIGNATURE` of `--signer`.
pub fn parse_presigned(value: &str) -> Result<(Pubkey, Signature), String> {
    let (key, signature) = value.split_once('=').ok_or_else(|| format!("`{value}` is not PUBKEY=SIGNATURE"))?;
    let key = key.parse::<Pubkey>().map_err(|e| format!("`{key}` is not an address: {e}"))?;
    let signature = signature.parse::<Signature>().map_err(|e| format!("`{signature}` is not a signature: {e}"))?;
    Ok((key, signature))
}

/// A signature made elsewhere (`--signer`): it signs only the message it was made for.
pub struct Presigner {
    /// The signer's address.
    pubkey: Pubkey,
    /// Its signature of the message.
    signature: Signature,
}

impl Signer for Presigner {
    fn try_pubkey(&self) -> Result<Pubkey, SignerError> {
        Ok(self.pubkey)
    }

    fn try_sign_message(&self, message: &[u8]) -> Result<Signature, SignerError> {
        if self.signature.verify(self.pubkey.as_ref(), message) {
            Ok(self.signature)
        } else {
            Err(SignerError::Custom(format!(
                "the --signer signature of {} does not sign this transaction (same command, arguments, --blockhash and compute budget as with --sign-only?)",
                self.pubkey
            )))
        }
    }

    fn is_interactive(&self) -> bool {
        false
    }
}

/// `--sign-only`, `--blockhash`, `--signer` and `--dump-transaction-message`.
#[derive(Clone, Debug, Default)]
pub struct Offline {
    /// Print the signatures instead of sending.
    pub sign_only: bool,
    /// The blockhash to build with.
    pub blockhash: Option<Hash>,
    /// Signatures made with `--sign-only` elsewhere.
    pub presigned: Vec<(Pubkey, Signature)>,
    /// Print the message in this encoding instead of sending.
    pub dump: Option<MessageEncoding>,
}

impl Offline {
    /// Whether the message must be the same on every side: no simulation, no fee look-up.
    pub fn fixed_message(&self) -> bool {
        self.sign_only || self.blockhash.is_some() || self.dump.is_some()
    }

    /// The signer that `given` names, a signer URI of the Solana CLI: a keypair file, `prompt://`
    /// (a seed phrase, with `?key=` for a derivation path), `stdin://`, or an address whose
    /// signature `--signer` gives, or that does not sign here (`--sign-only`: an absent signer; a
    /// dumped message), or `usb://ledger` (a hardware wallet, `?key=` for a derivation path; the
    /// device confirms each signature).
    pub fn signer(&self, given: &str) -> Result<Box<dyn Signer>, String> {
        let source = SignerSource::parse(given)
            .map_err(|e| format!("`{given}` is not a signer (a keypair file, prompt://, stdin:// or an address): {e}"))?;
        match source.kind {
            SignerSourceKind::Pubkey(pubkey) => {
                if let Some((_, signature)) = self.presigned.iter().find(|(key, _)| *key == pubkey) {
                    return Ok(Box::new(Presigner { pubkey, signature: *signature }));
                }
                if self.sign_only || self.dump.is_some() {
                    return Ok(Box::new(NullSigner::new(&pubkey)));
                }
                Err(format!("no signature of {pubkey}: give its keypair file, or --signer {pubkey}=SIGNATURE from --sign-only"))
            }
            SignerSourceKind::Filepath(path) => Ok(Box::new(read_keypair(Path::new(&path))?)),
            SignerSourceKind::Prompt => keypair_from_seed_phrase("keypair", false, false, source.derivation_path, source.legacy)
                .map(|keypair| Box::new(keypair) as Box<dyn Signer>)
                .map_err(|e| format!("cannot derive a keypair from the seed phrase: {e}")),
            SignerSourceKind::Stdin => solana_keypair::read_keypair(&mut std::io::stdin())
                .map(|keypair| Box::new(keypair) as Box<dyn Signer>)
                .map_err(|e| format!("cannot read a keypair from standard input: {e}")),
            SignerSourceKind::Base58Keypair(text) => Keypair::try_from_base58_string(&text)
                .map(|keypair| Box::new(keypair) as Box<dyn Signer>)
                .map_err(|e| format!("not a base58 keypair: {e}")),
            SignerSourceKind::Usb(locator) => {
                let manager = hardware_wallets()
                    .map_err(|e| format!("{NO_HARDWARE_WALLET}: `{given}`: {e}"))?
                    .ok_or_else(|| format!("{NO_HARDWARE_WALLET}: `{given}`: no hardware wallet found (plug it in, unlock it and open its Solana app)"))?;
                let keypair =
                    generate_remote_keypair(locator, source.derivation_path.unwrap_or_default(), &manager, false, "keypair")
                        .map_err(|e| format!("`{given}`: the hardware wallet did not give its key: {e}"))?;
                Ok(Box::new(keypair))
            }
        }
    }

    /// With `--dump-transaction-message` or `--sign-only`: the report that replaces sending
    /// `instructions` (paid by `payer`, signed by `signers`, with `blockhash`); else `None`.
    pub fn report(
        &self,
        instructions: &[Instruction],
        payer: &dyn Signer,
        signers: &[&dyn Signer],
        blockhash: Hash,
    ) -> Result<Option<Report>, CliError> {
        let mut transaction = Transaction::new_with_payer(instructions, Some(&payer.pubkey()));
        transaction.message.recent_blockhash = blockhash;
        let message = transaction.message_data();
        if let Some(encoding) = self.dump {
            let encoded = encoding.encode(&message);
            let text = format!("transaction message ({}, blockhash {blockhash}):\n{encoded}\n", encoding.name());
            let json = vec![
                ("message", json!(&encoded)),
                ("encoding", json!(encoding.name())),
                ("blockhash", json!(blockhash.to_string())),
            ];
            return Ok(Some(Report { text, json }));
        }
        if !self.sign_only {
            return Ok(None);
        }
        let mut all: Vec<&dyn Signer> = vec![payer];
        for signer in signers {
            if all.iter().all(|s| s.pubkey() != signer.pubkey()) {
                all.push(*signer);
            }
        }
        transaction.try_partial_sign(&all, blockhash).map_err(|e| format!("cannot sign: {e}"))?;
        let required = transaction.message.header.num_required_signatures as usize;
        let keys = &transaction.message.account_keys[..required];
        let signed: Vec<String> = keys
            .iter()
            .zip(&transaction.signatures)
            .filter(|(_, signature)| **signature != Signature::default())
            .map(|(key, signature)| format!("{key}={signature}"))
            .collect();
        let absent: Vec<String> = keys
            .iter()
            .zip(&transaction.signatures)
            .filter(|(_, signature)| **signature == Signature::default())
            .map(|(key, _)| key.to_string())
            .collect();
        let mut text = format!("\nBlockhash: {blockhash}\nSigners (Pubkey=Signature):\n");
        signed.iter().for_each(|s| text.push_str(&format!("  {s}\n")));
        if !absent.is_empty() {
            text.push_str("Absent Signers (Pubkey):\n");
            absent.iter().for_each(|s| text.push_str(&format!("  {s}\n")));
        }
        let json = vec![
            ("blockhash", json!(blockhash.to_string())),
            ("signers", json!(signed)),
            ("absent", json!(absent)),
            ("message", json!(MessageEncoding::Base64.encode(&message))),
        ];
        Ok(Some(Report { text, json }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presigned_signatures_parse_and_sign_only_their_message() {
        let keypair = Keypair::new();
        let message = b"the message";
        let signature = keypair.sign_message(message);
        let (key, parsed) = parse_presigned(&format!("{}={signature}", keypair.pubkey())).unwrap();
        assert_eq!((key, parsed), (keypair.pubkey(), signature));
        assert!(parse_presigned("nonsense").is_err());
        assert!(parse_presigned(&format!("{}=xyz", keypair.pubkey())).is_err());
        let presigner = Presigner { pubkey: key, signature };
        assert_eq!(presigner.try_sign_message(message).unwrap(), signature);
        assert!(presigner.try_sign_message(b"another message").is_err());
    }

    #[test]
    fn an_address_signs_only_with_its_signature_or_offline() {
        let key = Pubkey::new_unique();
        let path = key.to_string();
        let sending = Offline::default();
        let error = sending.signer(&path).err().unwrap();
        assert!(error.contains("--signer"), "{error}");
        let signing = Offline { sign_only: true, ..Offline::default() };
        assert_eq!(signing.signer(&path).unwrap().pubkey(), key);
        let presigned = Offline { presigned: vec![(key, Signature::default())], ..Offline::default() };
        assert_eq!(presigned.signer(&path).unwrap().pubkey(), key);
    }

    /// Signer URIs as the Solana CLI reads them: a keypair file; a usb:// wallet is looked for on
    /// the USB bus (this machine has none: named NoHardwareWallet); a bad locator is refused.
    #[test]
    fn signer_uris_follow_the_solana_cli() {
        let keypair = Keypair::new();
        let file = std::env::temp_dir().join(format!("offline-signer-{}.json", std::process::id()));
        solana_signer::EncodableKey::write_to_file(&keypair, &file).unwrap();
        let offline = Offline::default();
        assert_eq!(offline.signer(&file.to_string_lossy()).unwrap().pubkey(), keypair.pubkey());
        assert_eq!(offline.signer(&format!("file:{}", file.display())).unwrap().pubkey(), keypair.pubkey());
        std::fs::remove_file(&file).unwrap();
        for uri in ["usb://ledger", "usb://ledger?key=0/0"] {
            let usb = offline.signer(uri).err().unwrap();
            assert!(usb.starts_with(NO_HARDWARE_WALLET) && usb.contains(uri), "{usb}");
        }
        let unknown = offline.signer("usb://nowallet").err().unwrap();
        assert!(unknown.contains("is not a signer"), "{unknown}");
    }
}
