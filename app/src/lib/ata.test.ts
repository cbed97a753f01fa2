import {
  type Instruction,
  AccountRole,
  address,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  decompileTransactionMessage,
  getCompiledTransactionMessageDecoder,
  appendTransactionMessageInstructions,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  type Blockhash,
} from '@solana/kit';
import { describe, expect, it } from 'vitest';
import { DEVICE_STAKING_PROGRAM_ADDRESS, type Config } from '../generated';
import { createAssociatedTokenIdempotentIx, recipientAccountGiven } from './ata';
import { withSignerAccount } from './actions';
import { ASSOCIATED_TOKEN_PROGRAM, type AppRpc, associatedTokenAddress } from './chain';

// R16: a withdraw or claim to the signer's own missing associated token account carries the
// account's creation (CreateIdempotent, paid by the signer) as its own instruction, first.
const WALLET = address('G7quQ8GBtANoLHwYp9zrvfrma1Sj7eXaNuqrJXc2cgF6');
const MINT = address('3agfdfoF5Rzdg4Eustk5noeXe9dPReY1K96BdVzj3r2k');
const TOKEN_PROGRAM = address('TokenkegQfeZyiNwAJbNbGC5JGx3ZxyTnCvUJ6kVPZd');
const config = { mint: MINT, tokenProgram: TOKEN_PROGRAM } as Config;
const signer = createNoopSigner(WALLET);

/** An RPC that answers getAccountInfo with an account or none. */
function rpcWith(exists: boolean): AppRpc {
  const value = exists ? { lamports: 2_039_280n, data: ['', 'base64'], owner: TOKEN_PROGRAM, executable: false, space: 165n } : null;
  return { getAccountInfo: () => ({ send: async () => ({ value }) }) } as unknown as AppRpc;
}

/** A stand-in for a withdraw of the program. */
const withdraw: Instruction = { programAddress: DEVICE_STAKING_PROGRAM_ADDRESS, accounts: [{ address: WALLET, role: AccountRole.WRITABLE_SIGNER }], data: Uint8Array.of(9) };

/** The instructions of a v0 transaction paid by WALLET, as a wallet would read them back. */
function compiled(instructions: Instruction[]): Instruction[] {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(signer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: '11111111111111111111111111111111' as Blockhash, lastValidBlockHeight: 0n }, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const bytes = compileTransaction(message).messageBytes;
  return [...decompileTransactionMessage(getCompiledTransactionMessageDecoder().decode(bytes)).instructions] as Instruction[];
}

describe('the recipient’s associated token account', () => {
  it('is created by CreateIdempotent paid by the signer, for the wallet, mint and token program', async () => {
    const ata = await associatedTokenAddress(WALLET, MINT, TOKEN_PROGRAM);
    const ix = createAssociatedTokenIdempotentIx(signer, ata, WALLET, MINT, TOKEN_PROGRAM);
    expect(ix.programAddress).toBe(ASSOCIATED_TOKEN_PROGRAM);
    expect(Array.from(ix.data ?? [])).toEqual([1]);
    expect(ix.accounts?.map((m) => [m.address, m.role])).toEqual([
      [WALLET, AccountRole.WRITABLE_SIGNER],
      [ata, AccountRole.WRITABLE],
      [WALLET, AccountRole.READONLY],
      [MINT, AccountRole.READONLY],
      ['11111111111111111111111111111111', AccountRole.READONLY],
      [TOKEN_PROGRAM, AccountRole.READONLY],
    ]);
  });

  it('is not created when it exists', async () => {
    const found = await recipientAccountGiven(signer, WALLET, config, true);
    expect(found.create).toEqual([]);
    expect(found.address).toBe(await associatedTokenAddress(WALLET, MINT, TOKEN_PROGRAM));
  });

  it('goes ahead of the withdraw in the same transaction when it is missing, and only then', async () => {
    const missing = compiled(await withSignerAccount(rpcWith(false), signer, config, [withdraw]));
    expect(missing.map((i) => i.programAddress)).toEqual([ASSOCIATED_TOKEN_PROGRAM, DEVICE_STAKING_PROGRAM_ADDRESS]);
    expect(missing[0].accounts?.[1].address).toBe(await associatedTokenAddress(WALLET, MINT, TOKEN_PROGRAM));
    const present = compiled(await withSignerAccount(rpcWith(true), signer, config, [withdraw]));
    expect(present.map((i) => i.programAddress)).toEqual([DEVICE_STAKING_PROGRAM_ADDRESS]);
  });
});
