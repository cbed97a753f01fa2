//! Instruction builders. Each one fills Anchor's generated account struct
//! (`device_staking::accounts::*`) and argument struct (`device_staking::instruction::*`) and hands
//! them to [`build`]; derived accounts (PDAs, programs) are filled in here so callers pass only
//! what they choose.
use crate::pda;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use device_staking::instructions::initialize::InitializeArgs;
use device_staking::{accounts, instruction, ID};

/// An instruction of this program from any Anchor account struct and instruction-data struct.
/// Also the way to build a deliberately wrong instruction (e.g. a substituted account) in tests.
pub fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

/// `initialize` (R30): creates the config. `authority` must be the program's upgrade authority
/// and signs and pays; `token_program` is the mint's owner (SPL Token or Token-2022).
pub fn initialize(authority: Pubkey, mint: Pubkey, token_program: Pubkey, args: InitializeArgs) -> Instruction {
    build(
        accounts::Initialize {
            authority,
            config: pda::config().0,
            mint,
            token_program,
            program: ID,
            program_data: pda::program_data(&ID).0,
            system_program: system_program::ID,
        },
        instruction::Initialize { args },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::Discriminator;

    #[test]
    fn initialize_lists_the_accounts_in_order_and_prefixes_the_discriminator() {
        let (authority, mint, token) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
        let args = InitializeArgs {
            admin: Pubkey::new_unique(),
            oracle: Pubkey::new_unique(),
            reward_authority: Pubkey::new_unique(),
            slash_authority: Pubkey::new_unique(),
            treasury: Pubkey::new_unique(),
            params: None,
        };
        let ix = initialize(authority, mint, token, args.clone());
        assert_eq!(ix.program_id, ID);
        let keys: Vec<_> = ix.accounts.iter().map(|m| (m.pubkey, m.is_signer, m.is_writable)).collect();
        assert_eq!(
            keys,
            [
                (authority, true, true),
                (pda::config().0, false, true),
                (mint, false, false),
                (token, false, false),
                (ID, false, false),
                (pda::program_data(&ID).0, false, false),
                (system_program::ID, false, false),
            ]
        );
        let disc = instruction::Initialize::DISCRIMINATOR;
        assert!(ix.data.starts_with(disc));
        // discriminator, five keys, and the `None` tag of `params`
        assert_eq!(ix.data.len(), disc.len() + 5 * 32 + 1);
        assert_eq!(&ix.data[disc.len()..disc.len() + 32], args.admin.as_ref());
        assert_eq!(ix.data.last(), Some(&0));
    }
}
