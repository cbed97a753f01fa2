//! The program's events (R50) read back from a transaction's logs: Anchor writes each one as
//! `Program data: <base64 of discriminator + borsh>`. The commands report what the program says
//! it did (a reward entry paid or skipped and why, a slash's split) instead of guessing it from
//! balances.
use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;

/// Every event of type `T` in `logs`, in order.
pub fn decode<T: AnchorDeserialize + Discriminator>(logs: &[String]) -> Vec<T> {
    logs.iter()
        .filter_map(|line| line.strip_prefix("Program data: "))
        .filter_map(|data| base64::engine::general_purpose::STANDARD.decode(data.trim()).ok())
        .filter_map(|bytes| bytes.strip_prefix(T::DISCRIMINATOR).and_then(|body| T::deserialize(&mut &body[..]).ok()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;
    use anchor_lang::AnchorSerialize;
    use device_staking_client::device_staking::events::{RewardPaid, RewardSkipped};

    #[test]
    fn events_are_read_by_their_discriminator() {
        let skipped = RewardSkipped { device: Pubkey::new_unique(), block_id: 7, amount: 5, reason: 3 };
        let mut bytes = RewardSkipped::DISCRIMINATOR.to_vec();
        skipped.serialize(&mut bytes).unwrap();
        let logs = vec![
            "Program log: Instruction: DistributeRewards".to_string(),
            format!("Program data: {}", base64::engine::general_purpose::STANDARD.encode(&bytes)),
            "Program data: not base64!".to_string(),
        ];
        let found = decode::<RewardSkipped>(&logs);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].device, found[0].block_id, found[0].reason), (skipped.device, 7, 3));
        assert!(decode::<RewardPaid>(&logs).is_empty());
    }
}
