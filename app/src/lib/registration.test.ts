import {
  type Address,
  address,
  appendTransactionMessageInstructions,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64Decoder,
  getTransactionEncoder,
  partiallySignTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  type Blockhash,
  type KeyPairSigner,
} from '@solana/kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Config, findDevicePda } from '../generated';
import { checkRegistration, parseDeviceId, registerDeviceInstruction } from './registration';

// R3: a registration the oracle co-signed, checked before the owner signs it: the file names the
// connected wallet, the transaction is exactly the registration the file describes, and the
// oracle's signature is valid; the bytes are handed on unchanged.
const OWNER = address('G7quQ8GBtANoLHwYp9zrvfrma1Sj7eXaNuqrJXc2cgF6');
const OTHER = address('9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin');
const MINT = address('3agfdfoF5Rzdg4Eustk5noeXe9dPReY1K96BdVzj3r2k');
const TOKEN_PROGRAM = address('TokenkegQfeZyiNwAJbNbGC5JGx3ZxyTnCvUJ6kVPZd');
const config = { mint: MINT, tokenProgram: TOKEN_PROGRAM } as Config;
let oracle: KeyPairSigner;

beforeAll(async () => {
  oracle = await generateKeyPairSigner();
});

/** The file `operator cosign-registration` writes: a legacy transaction paid by `owner`, signed by the oracle. */
async function cosignedFile(owner: Address, gpus: number, fileOverrides: Record<string, unknown> = {}): Promise<string> {
  const ix = await registerDeviceInstruction({
    owner: createNoopSigner(owner),
    oracle,
    mint: MINT,
    tokenProgram: TOKEN_PROGRAM,
    deviceId: parseDeviceId('gpu-7'),
    gpuCount: gpus,
    multiplierBps: 10_000,
  });
  const message = pipe(
    createTransactionMessage({ version: 'legacy' }),
    (m) => setTransactionMessageFeePayerSigner(createNoopSigner(owner), m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: 'EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k' as Blockhash, lastValidBlockHeight: 100n }, m),
    (m) => appendTransactionMessageInstructions([ix], m),
  );
  const signed = await partiallySignTransaction([oracle.keyPair], compileTransaction(message));
  const wire = getBase64Decoder().decode(getTransactionEncoder().encode(signed));
  return JSON.stringify({ device_id: 'gpu-7', owner: OWNER, oracle: oracle.address, gpu_count: 8, multiplier_bps: 10_000, transaction: wire, ...fileOverrides });
}

describe('a co-signed registration file', () => {
  it('is accepted for its owner, with its bytes unchanged and the device it registers', async () => {
    const text = await cosignedFile(OWNER, 8);
    const checked = await checkRegistration(text, OWNER, config);
    expect(getBase64Decoder().decode(checked.wire)).toBe(JSON.parse(text).transaction);
    expect(checked.device).toBe((await findDevicePda({ deviceId: parseDeviceId('gpu-7') }))[0]);
    expect([checked.oracle, checked.gpuCount, checked.multiplierBps]).toEqual([oracle.address, 8, 10_000]);
  });

  it('is refused for another wallet', async () => {
    await expect(checkRegistration(await cosignedFile(OWNER, 8), OTHER, config)).rejects.toThrow(`the registration is for the owner ${OWNER}`);
  });

  it('is refused when its transaction is paid by another wallet than the file names', async () => {
    await expect(checkRegistration(await cosignedFile(OTHER, 8), OWNER, config)).rejects.toThrow('not by the connected wallet');
  });

  it('is refused when the transaction registers other hardware than the file says', async () => {
    await expect(checkRegistration(await cosignedFile(OWNER, 16), OWNER, config)).rejects.toThrow('not the registration its file describes');
  });

  it('is refused when the bytes were changed after the oracle signed', async () => {
    const file = JSON.parse(await cosignedFile(OWNER, 8));
    const bytes = Uint8Array.from(atob(file.transaction), (c) => c.charCodeAt(0));
    bytes[bytes.length - 3] ^= 1; // the multiplier's last byte (the vaults' two bumps follow it)
    file.transaction = getBase64Decoder().decode(bytes);
    await expect(checkRegistration(JSON.stringify(file), OWNER, config)).rejects.toThrow('not the registration its file describes');
    file.multiplier_bps = 10_000 + 2 ** 24; // the file made to agree with the changed bytes: the oracle's signature no longer does
    await expect(checkRegistration(JSON.stringify(file), OWNER, config)).rejects.toThrow('signature does not match');
  });

  it('is refused when it is not a registration file', async () => {
    await expect(checkRegistration('{"owner": 1}', OWNER, config)).rejects.toThrow('not a co-signed registration file');
    await expect(checkRegistration('nonsense', OWNER, config)).rejects.toThrow('not JSON');
  });
});
