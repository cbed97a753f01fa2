// A recipient's associated token account before a payment to it: when it is missing, the
// Associated Token program's `CreateIdempotent` (paid by the signer) goes ahead of the withdraw or
// claim, as its own instruction of the same transaction. The program's own path that creates a
// staker's account inside a permissionless withdraw (R16) then rarely runs.
import { type AccountSignerMeta, type Address, type Instruction, type TransactionSigner, AccountRole, address } from '@solana/kit';
import type { Config } from '../generated';
import { type AppRpc, ASSOCIATED_TOKEN_PROGRAM, COMMITMENT, associatedTokenAddress } from './chain';

/** The system program. */
const SYSTEM_PROGRAM = address('11111111111111111111111111111111');
/** The Associated Token program's `CreateIdempotent` instruction tag. */
const CREATE_IDEMPOTENT = 1;

/**
 * `CreateIdempotent` of `wallet`'s associated token account `account` of `mint` (under
 * `tokenProgram`), paid by `payer`; a no-op when the account exists by then.
 */
export function createAssociatedTokenIdempotentIx(payer: TransactionSigner, account: Address, wallet: Address, mint: Address, tokenProgram: Address): Instruction {
  const paying: AccountSignerMeta = { address: payer.address, role: AccountRole.WRITABLE_SIGNER, signer: payer };
  return {
    programAddress: ASSOCIATED_TOKEN_PROGRAM,
    accounts: [
      paying,
      { address: account, role: AccountRole.WRITABLE },
      { address: wallet, role: AccountRole.READONLY },
      { address: mint, role: AccountRole.READONLY },
      { address: SYSTEM_PROGRAM, role: AccountRole.READONLY },
      { address: tokenProgram, role: AccountRole.READONLY },
    ],
    data: Uint8Array.of(CREATE_IDEMPOTENT),
  };
}

/** Where a payment to a wallet goes, and what creates that account first when it is missing. */
export interface RecipientAccount {
  /** The wallet's associated token account of the staking mint. */
  address: Address;
  /** `CreateIdempotent` of it paid by the signer when it does not exist yet (else empty). */
  create: Instruction[];
}

/** Whether an account exists (holds lamports) at `account`. */
export async function accountExists(rpc: AppRpc, account: Address): Promise<boolean> {
  const { value } = await rpc.getAccountInfo(account, { encoding: 'base64', commitment: COMMITMENT }).send();
  return value !== null && value.lamports > 0n;
}

/** `wallet`'s associated token account of the staking mint, with its creation paid by `payer` when `exists` is false. */
export async function recipientAccountGiven(payer: TransactionSigner, wallet: Address, config: Pick<Config, 'mint' | 'tokenProgram'>, exists: boolean): Promise<RecipientAccount> {
  const account = await associatedTokenAddress(wallet, config.mint, config.tokenProgram);
  return { address: account, create: exists ? [] : [createAssociatedTokenIdempotentIx(payer, account, wallet, config.mint, config.tokenProgram)] };
}

/** `wallet`'s associated token account of the staking mint, looked up on the chain: created first (paid by `payer`) when missing. */
export async function recipientAccount(rpc: AppRpc, payer: TransactionSigner, wallet: Address, config: Pick<Config, 'mint' | 'tokenProgram'>): Promise<RecipientAccount> {
  const account = await associatedTokenAddress(wallet, config.mint, config.tokenProgram);
  return recipientAccountGiven(payer, wallet, config, await accountExists(rpc, account));
}
