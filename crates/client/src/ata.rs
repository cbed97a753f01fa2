//! A recipient's associated token account before a payment to it: when it is missing, the
//! Associated Token program's `CreateIdempotent` instruction (paid by the signer) goes ahead of
//! the withdraw or claim, in its own instruction of the same transaction. The program's own path
//! that creates a staker's account inside a permissionless withdraw (R16) then rarely runs (it
//! costs the withdraw several thousand compute units more).
use crate::ix::{associated_token, Mint};
use crate::token::create_associated_account;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;

/// Where a payment to a wallet goes, and what creates that account first when it is missing.
#[derive(Clone, Debug, PartialEq)]
pub struct RecipientAccount {
    /// The wallet's associated token account of the mint.
    pub address: Pubkey,
    /// `CreateIdempotent` of that account paid by the signer, when it does not exist yet.
    pub create: Option<Instruction>,
}

impl RecipientAccount {
    /// The instructions to send ahead of the payment (none when the account exists).
    pub fn instructions(&self) -> Vec<Instruction> {
        self.create.iter().cloned().collect()
    }
}

/// `wallet`'s associated token account of `mint`, with its creation paid by `payer` when
/// `exists` says the account is missing (`exists` is asked about the account's address; an
/// account holding no lamports counts as missing).
pub fn recipient_account(payer: &Pubkey, wallet: &Pubkey, mint: &Mint, exists: impl FnOnce(&Pubkey) -> bool) -> RecipientAccount {
    let address = associated_token(wallet, mint);
    let create = (!exists(&address)).then(|| create_associated_account(payer, wallet, &mint.mint, &mint.token_program));
    RecipientAccount { address, create }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_spl::associated_token::ID as ASSOCIATED_TOKEN_PROGRAM;

    /// R16: a missing account gets `CreateIdempotent` (instruction 1) paid by the signer, for
    /// the wallet named; an existing one gets nothing.
    #[test]
    fn a_missing_account_is_created_idempotently_by_the_signer() {
        let (payer, wallet) = (Pubkey::new_unique(), Pubkey::new_unique());
        let mint = Mint { mint: Pubkey::new_unique(), token_program: anchor_spl::token::ID };
        let missing = recipient_account(&payer, &wallet, &mint, |_| false);
        assert_eq!(missing.address, associated_token(&wallet, &mint));
        let create = missing.create.expect("an instruction for a missing account");
        assert_eq!(create.program_id, ASSOCIATED_TOKEN_PROGRAM);
        assert_eq!(create.data, vec![1], "CreateIdempotent");
        assert_eq!((create.accounts[0].pubkey, create.accounts[0].is_signer), (payer, true));
        assert_eq!(
            (create.accounts[1].pubkey, create.accounts[2].pubkey, create.accounts[3].pubkey),
            (missing.address, wallet, mint.mint)
        );
        let present = recipient_account(&payer, &wallet, &mint, |address| *address == associated_token(&wallet, &mint));
        assert_eq!((present.instructions().len(), present.create), (0, None));
    }
}
