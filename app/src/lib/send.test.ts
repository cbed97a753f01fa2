import { describe, expect, it } from 'vitest';
import { type Blockhash, getBase64Encoder, getCompiledTransactionMessageDecoder, getTransactionDecoder } from '@solana/kit';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import { SolanaSignAndSendTransaction, SolanaSignTransaction } from '@solana/wallet-standard-features';
import { KEYS } from './fixtures';
import { COMPUTE_BUDGET_PROGRAM, compileWire } from './landing';
import { type Sender, prebuilt, send } from './send';
import type { AppRpc } from './chain';

/** A blockhash for the transactions of these tests. */
const BLOCKHASH = { blockhash: 'EkSnNWid2cvwEVnVx9aBqawnmiCNiDgp3gUdkDPTKN1N' as Blockhash, lastValidBlockHeight: 150n };

/** An instruction of some program writing the co-staker's address. */
const OWN = { programAddress: KEYS.other, accounts: [{ address: KEYS.costaker, role: 1 }], data: new Uint8Array([7]) } as const;

/** The program addresses of the instructions in the wire bytes `wire`. */
function programs(wire: Uint8Array): string[] {
  const message = getCompiledTransactionMessageDecoder().decode(getTransactionDecoder().decode(wire).messageBytes);
  if (!('instructions' in message)) throw new Error('not a legacy or v0 message');
  return message.instructions.map((i) => message.staticAccounts[i.programAddressIndex]);
}

/** `wire` with its first signature (the fee payer's) filled in, as a wallet signs it. */
function signFirst(wire: Uint8Array): Uint8Array {
  const signed = new Uint8Array(wire);
  signed.fill(9, 1, 65);
  return signed;
}

/** A fake RPC whose simulation consumes 20,000 units and whose transactions land at once; records what was sent. */
function fakeRpc() {
  const sent: Uint8Array[] = [];
  const rpc = {
    getLatestBlockhash: () => ({ send: async () => ({ value: BLOCKHASH }) }),
    getRecentPrioritizationFees: () => ({ send: async () => [{ prioritizationFee: 50n, slot: 1n }] }),
    simulateTransaction: () => ({ send: async () => ({ value: { err: null, logs: [], unitsConsumed: 20_000n } }) }),
    sendTransaction: (encoded: string) => {
      sent.push(new Uint8Array(getBase64Encoder().encode(encoded)));
      return { send: async () => 'sig' };
    },
    getSignatureStatuses: () => ({ send: async () => ({ value: [{ err: null, confirmationStatus: 'confirmed' }] }) }),
    isBlockhashValid: () => ({ send: async () => ({ value: true }) }),
  } as unknown as AppRpc;
  return { rpc, sent };
}

/** A wallet that signs (`signs`) or only signs and sends; records the bytes it was given. */
function fakeWallet(signs: boolean) {
  const given: Uint8Array[] = [];
  const features = signs
    ? {
        [SolanaSignTransaction]: {
          signTransaction: async ({ transaction }: { transaction: Uint8Array }) => {
            given.push(transaction);
            return [{ signedTransaction: signFirst(transaction) }];
          },
        },
      }
    : {
        [SolanaSignAndSendTransaction]: {
          signAndSendTransaction: async ({ transaction }: { transaction: Uint8Array }) => {
            given.push(transaction);
            return [{ signature: new Uint8Array(64).fill(9) }];
          },
        },
      };
  return { wallet: { features } as unknown as Wallet, given };
}

/** The sender of a fake wallet over a fake RPC. */
function sender(rpc: AppRpc, wallet: Wallet): Sender {
  return { rpc, wallet, account: { address: KEYS.oracle } as unknown as WalletAccount, chain: 'solana:localnet' };
}

describe('send', () => {
  it('gives the wallet the transaction with its compute budget first, and sends what it signed', async () => {
    const { rpc, sent } = fakeRpc();
    const { wallet, given } = fakeWallet(true);
    await send(sender(rpc, wallet), [OWN]);
    expect(programs(given[0])).toEqual([COMPUTE_BUDGET_PROGRAM, COMPUTE_BUDGET_PROGRAM, KEYS.other]);
    expect(sent).toEqual([signFirst(given[0])]);
  });

  it('adds the compute budget before a sign-and-send wallet is asked, and lets it send', async () => {
    const { rpc, sent } = fakeRpc();
    const { wallet, given } = fakeWallet(false);
    await send(sender(rpc, wallet), [OWN]);
    expect(programs(given[0])).toEqual([COMPUTE_BUDGET_PROGRAM, COMPUTE_BUDGET_PROGRAM, KEYS.other]);
    expect(sent).toEqual([]);
  });

  it('sends a co-signed prebuilt transaction unchanged (no compute budget)', async () => {
    const { rpc, sent } = fakeRpc();
    const { wallet, given } = fakeWallet(true);
    const wire = compileWire(KEYS.oracle, BLOCKHASH, [OWN]);
    await send(sender(rpc, wallet), prebuilt(wire, BLOCKHASH.lastValidBlockHeight));
    expect(given).toEqual([wire]);
    expect(programs(sent[0])).toEqual([KEYS.other]);
    expect(sent).toEqual([signFirst(wire)]);
  });
});
