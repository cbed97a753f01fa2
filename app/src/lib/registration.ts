// A device registration co-signed by the oracle (R3), as `device-staking operator
// cosign-registration` writes it: a JSON file naming the device id, the owner, the oracle and the
// hardware, with the transaction (the wire bytes, base64) the oracle already signed. The app checks
// that the file registers exactly what it says for the connected wallet, and hands the bytes on
// unchanged for the owner's signature: rebuilding the transaction would void the oracle's.
import {
  type Address,
  type Instruction,
  type TransactionSigner,
  address,
  createNoopSigner,
  decompileTransactionMessage,
  getAddressEncoder,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getProgramDerivedAddress,
  getUtf8Encoder,
  getPublicKeyFromAddress,
  getTransactionDecoder,
  verifySignature,
} from '@solana/kit';
import { type Config, DEVICE_STAKING_PROGRAM_ADDRESS, findConfigPda, findDevicePda, getRegisterDeviceInstructionAsync } from '../generated';

/** A device's vault `[seed, device]` (`stake_vault` or `overflow_vault`) at its canonical bump. */
async function findVaultPda(seed: 'stake_vault' | 'overflow_vault', device: Address) {
  return getProgramDerivedAddress({ programAddress: DEVICE_STAKING_PROGRAM_ADDRESS, seeds: [getUtf8Encoder().encode(seed), getAddressEncoder().encode(device)] });
}

/** What a registration names: the two signers, the config's mint and token program, the device and its hardware. */
export interface RegistrationInput {
  /** The owner (pays). */
  owner: TransactionSigner;
  /** The oracle co-signing. */
  oracle: TransactionSigner;
  /** The config's mint. */
  mint: Address;
  /** The config's token program. */
  tokenProgram: Address;
  /** The device's 32-byte id. */
  deviceId: Uint8Array;
  /** GPUs attested. */
  gpuCount: number;
  /** Multiplier attested, in basis points. */
  multiplierBps: number;
}

/**
 * `register_device` (R3) as the CLI builds it: the config, and both vaults at their canonical
 * bumps, which the instruction carries (the program searches none).
 */
export async function registerDeviceInstruction(input: RegistrationInput) {
  const [device] = await findDevicePda({ deviceId: input.deviceId });
  const [stakeVault, stakeBump] = await findVaultPda('stake_vault', device);
  const [overflowVault, overflowBump] = await findVaultPda('overflow_vault', device);
  const [config] = await findConfigPda();
  return getRegisterDeviceInstructionAsync({ ...input, config, stakeVault, overflowVault, vaultBumps: new Uint8Array([stakeBump, overflowBump]) });
}

/** The file's fields, as the CLI writes them. */
export interface CosignedRegistrationFile {
  /** The device id as typed: 64 hex characters, or a text of at most 32 bytes. */
  device_id: string;
  /** The owner (fee payer; signs second). */
  owner: string;
  /** The oracle that signed. */
  oracle: string;
  /** GPUs attested. */
  gpu_count: number;
  /** Multiplier attested, in basis points. */
  multiplier_bps: number;
  /** The partly signed transaction (wire bytes, base64). */
  transaction: string;
}

/** A registration checked against the connected wallet and the program's own instruction. */
export interface CheckedRegistration {
  /** The device id (32 bytes). */
  deviceId: Uint8Array;
  /** The device id as the file gives it. */
  deviceIdText: string;
  /** The device's address. */
  device: Address;
  /** The oracle that signed. */
  oracle: Address;
  /** GPUs attested. */
  gpuCount: number;
  /** Multiplier attested, in basis points. */
  multiplierBps: number;
  /** The transaction, byte for byte as the oracle signed it (the owner's slot empty). */
  wire: Uint8Array;
}

/** A registration file the app refuses to sign, and why. */
export class RegistrationFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationFileError';
  }
}

/** A device id as the CLI reads it: 64 hex characters, or a text of at most 32 bytes padded with zeros. */
export function parseDeviceId(text: string): Uint8Array {
  const id = new Uint8Array(32);
  if (/^[0-9a-fA-F]{64}$/.test(text)) {
    for (let i = 0; i < 32; i++) id[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
    return id;
  }
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > 32) throw new RegistrationFileError(`device id \`${text}\`: give 64 hex characters or a text of at most 32 bytes`);
  id.set(bytes);
  return id;
}

/** The file's JSON, with every field of the right type. */
export function readRegistrationFile(text: string): CosignedRegistrationFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RegistrationFileError('this is not a co-signed registration file (not JSON)');
  }
  const file = parsed as Partial<CosignedRegistrationFile>;
  const strings = ['device_id', 'owner', 'oracle', 'transaction'] as const;
  const numbers = ['gpu_count', 'multiplier_bps'] as const;
  const missing = [...strings.filter((k) => typeof file[k] !== 'string'), ...numbers.filter((k) => typeof file[k] !== 'number')];
  if (missing.length > 0) throw new RegistrationFileError(`this is not a co-signed registration file (missing ${missing.join(', ')})`);
  return file as CosignedRegistrationFile;
}

/** Whether two instructions are the same: program, data, and accounts with their roles. */
function sameInstruction(a: Instruction, b: Instruction): boolean {
  const data = (i: Instruction) => Array.from(i.data ?? []).join(',');
  const accounts = (i: Instruction) => (i.accounts ?? []).map((m) => `${m.address}:${m.role}`).join(',');
  return a.programAddress === b.programAddress && data(a) === data(b) && accounts(a) === accounts(b);
}

/**
 * Checks a co-signed registration for `wallet`: the file names `wallet` as the owner; its
 * transaction is paid by `wallet`, holds exactly the `register_device` the file describes (with
 * the config's mint and token program), and carries the oracle's valid signature. Returns the
 * transaction's bytes unchanged; throws a `RegistrationFileError` saying what is wrong.
 */
export async function checkRegistration(text: string, wallet: Address, config: Pick<Config, 'mint' | 'tokenProgram'>): Promise<CheckedRegistration> {
  const file = readRegistrationFile(text);
  if (file.owner !== wallet) {
    throw new RegistrationFileError(`the registration is for the owner ${file.owner}, but the connected wallet is ${wallet}`);
  }
  let oracle: Address;
  try {
    oracle = address(file.oracle);
  } catch {
    throw new RegistrationFileError(`the oracle \`${file.oracle}\` is not an address`);
  }
  const deviceId = parseDeviceId(file.device_id);
  let wire: Uint8Array;
  let decoded: ReturnType<ReturnType<typeof getTransactionDecoder>['decode']>;
  let message: ReturnType<typeof decompileTransactionMessage>;
  try {
    wire = new Uint8Array(getBase64Encoder().encode(file.transaction));
    decoded = getTransactionDecoder().decode(wire);
    message = decompileTransactionMessage(getCompiledTransactionMessageDecoder().decode(decoded.messageBytes));
  } catch (e) {
    throw new RegistrationFileError(`the file's transaction cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (message.feePayer.address !== wallet) {
    throw new RegistrationFileError(`the transaction is paid by ${message.feePayer.address}, not by the connected wallet`);
  }
  const expected = await registerDeviceInstruction({
    owner: createNoopSigner(wallet),
    oracle: createNoopSigner(oracle),
    mint: config.mint,
    tokenProgram: config.tokenProgram,
    deviceId,
    gpuCount: file.gpu_count,
    multiplierBps: file.multiplier_bps,
  });
  if (message.instructions.length !== 1 || !sameInstruction(message.instructions[0], expected)) {
    throw new RegistrationFileError('the co-signed transaction is not the registration its file describes: refusing to sign it');
  }
  const signature = decoded.signatures[oracle];
  if (!signature) throw new RegistrationFileError(`the oracle ${oracle} has not signed the transaction`);
  if (!(await verifySignature(await getPublicKeyFromAddress(oracle), signature, decoded.messageBytes))) {
    throw new RegistrationFileError(`the oracle's signature does not match the transaction: the file was changed after the oracle signed it`);
  }
  const [device] = await findDevicePda({ deviceId });
  return { deviceId, deviceIdText: file.device_id, device, oracle, gpuCount: file.gpu_count, multiplierBps: file.multiplier_bps, wire };
}
