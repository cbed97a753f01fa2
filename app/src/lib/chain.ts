// Reading the program's accounts: the config, a wallet's devices, offers (open, filled, released),
// tickets, escrows, `device_status` (simulated), and the rewards a device received in the last days.
// A device's positions live in its own account (the position table); offers only locate them.
import {
  type Address,
  type Base64EncodedBytes,
  type Base64EncodedWireTransaction,
  type Instruction,
  type Rpc,
  type SolanaRpcApi,
  address,
  appendTransactionMessageInstructions,
  compileTransaction,
  createNoopSigner,
  createSolanaRpc,
  createTransactionMessage,
  fetchEncodedAccount,
  getAddressEncoder,
  getBase58Decoder,
  getBase64Decoder,
  getBase64Encoder,
  getProgramDerivedAddress,
  getTransactionEncoder,
  getU64Encoder,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  type Signature,
} from '@solana/kit';
import {
  type Config,
  type Device,
  type DeviceStatus,
  type Offer,
  type Ticket,
  DEVICE_DISCRIMINATOR,
  DEVICE_STAKING_PROGRAM_ADDRESS,
  OFFER_DISCRIMINATOR,
  fetchAllMaybeOffer,
  fetchConfig,
  fetchMaybeTicket,
  findConfigPda,
  getDeviceDecoder,
  getDeviceStatusDecoder,
  getDeviceStatusInstruction,
  getOfferDecoder,
} from '../generated';

/** Where the owner's wallet sits in a Device account (after the discriminator and device id). */
export const DEVICE_OWNER_OFFSET = 8 + 32;
/** An Offer's state byte (the program stores `OfferState` as a `u8` in its zero-copy layout). */
export const OfferState = { Open: 0, Filled: 1, Released: 2 } as const;
/** Where the co-staker sits in an Offer account (discriminator, device, seq, payer, amount, created_at). */
export const OFFER_COSTAKER_OFFSET = 8 + 32 + 8 + 32 + 8 + 8;
/** Where the state sits in an Offer account (co-staker, escrow payer, share and bump before it). */
export const OFFER_STATE_OFFSET = OFFER_COSTAKER_OFFSET + 32 + 32 + 2 + 1;

/**
 * Every read is at `confirmed`, the level the app waits for after sending: a page reloaded after
 * a transaction shows it (the RPC's default, `finalized`, lags by about 32 slots).
 */
export const COMMITMENT = 'confirmed' as const;

/** The associated token account program. */
export const ASSOCIATED_TOKEN_PROGRAM = address('ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL');

/** The RPC the app talks to: `?rpc=` in the page's URL, else the build's VITE_RPC_URL, else localnet. */
export function rpcUrl(): string {
  const fromQuery = typeof window !== 'undefined' ? new URLSearchParams(window.location.search).get('rpc') : null;
  return fromQuery ?? import.meta.env.VITE_RPC_URL ?? 'http://127.0.0.1:8899';
}

/** The Wallet Standard chain of an RPC URL (localnet, devnet, testnet or mainnet). */
export function chainOf(url: string): `solana:${string}` {
  if (/127\.0\.0\.1|localhost/.test(url)) return 'solana:localnet';
  if (url.includes('devnet')) return 'solana:devnet';
  if (url.includes('testnet')) return 'solana:testnet';
  return 'solana:mainnet';
}

/** The app's connection. */
export type AppRpc = Rpc<SolanaRpcApi>;

/** Opens the RPC connection. */
export function connect(url = rpcUrl()): AppRpc {
  return createSolanaRpc(url);
}

/** An account with its address. */
export interface Located<T> {
  /** The account's address. */
  address: Address;
  /** Its decoded data. */
  data: T;
}

/** The config, or `null` when the program was not initialized on this cluster. */
export async function loadConfig(rpc: AppRpc): Promise<Located<Config> | null> {
  const [configAddress] = await findConfigPda();
  const account = await fetchEncodedAccount(rpc, configAddress, { commitment: COMMITMENT });
  if (!account.exists) return null;
  const config = await fetchConfig(rpc, configAddress, { commitment: COMMITMENT });
  return { address: configAddress, data: config.data };
}

const base58 = getBase58Decoder();
const base64 = getBase64Encoder();

/** A memcmp filter on `bytes` at `offset`. */
function memcmp(offset: number, bytes: ArrayLike<number>) {
  return { memcmp: { offset: BigInt(offset), bytes: base58.decode(Uint8Array.from(bytes)) as never, encoding: 'base58' as const } };
}

/** The program's accounts of one kind (by discriminator) matching `filters`, decoded. */
async function programAccounts<T>(
  rpc: AppRpc,
  discriminator: ArrayLike<number>,
  filters: ReturnType<typeof memcmp>[],
  decode: (bytes: Uint8Array) => T,
): Promise<Located<T>[]> {
  const accounts = await rpc
    .getProgramAccounts(DEVICE_STAKING_PROGRAM_ADDRESS, { encoding: 'base64', commitment: COMMITMENT, filters: [memcmp(0, discriminator), ...filters] })
    .send();
  return accounts.map(({ pubkey, account }) => ({
    address: pubkey,
    data: decode(new Uint8Array(base64.encode(account.data[0] as Base64EncodedBytes))),
  }));
}

const addressBytes = (a: Address) => getAddressEncoder().encode(a);

/** The devices `owner` owns. */
export function devicesOf(rpc: AppRpc, owner: Address): Promise<Located<Device>[]> {
  return programAccounts(rpc, DEVICE_DISCRIMINATOR, [memcmp(DEVICE_OWNER_OFFSET, addressBytes(owner))], (b) => getDeviceDecoder().decode(b));
}

/** Every open offer on the cluster (the marketplace). */
export function openOffers(rpc: AppRpc): Promise<Located<Offer>[]> {
  return programAccounts(rpc, OFFER_DISCRIMINATOR, [memcmp(OFFER_STATE_OFFSET, [OfferState.Open])], (b) => getOfferDecoder().decode(b));
}

/** The offers `costaker` filled that are not withdrawn yet: filled (the position is in the device's table) or released (in escrow). */
export function offersFilledBy(rpc: AppRpc, costaker: Address): Promise<Located<Offer>[]> {
  return programAccounts(rpc, OFFER_DISCRIMINATOR, [memcmp(OFFER_COSTAKER_OFFSET, addressBytes(costaker))], (b) => getOfferDecoder().decode(b));
}

/** The offers of `device` numbered `seqs`, in that order; `null` where there is none. */
export async function offersAt(rpc: AppRpc, device: Address, seqs: bigint[]): Promise<Array<Located<Offer> | null>> {
  if (seqs.length === 0) return [];
  const addresses = await Promise.all(seqs.map((seq) => offerAddress(device, seq)));
  const accounts = await fetchAllMaybeOffer(rpc, addresses, { commitment: COMMITMENT });
  return accounts.map((a) => (a.exists ? { address: a.address, data: a.data } : null));
}

/** The owner's outstanding ticket of `device` (the device records its number), or `null` while not unstaking. */
export async function ticketOf(rpc: AppRpc, device: Located<Device>): Promise<Located<Ticket> | null> {
  if (device.data.unstakedAt === 0n) return null;
  const found = await fetchMaybeTicket(rpc, await ticketAddress(device.address, device.data.ticketSeq), { commitment: COMMITMENT });
  return found.exists ? { address: found.address, data: found.data } : null;
}

/** Several devices by address (absent ones left out). */
export async function devicesAt(rpc: AppRpc, addresses: Address[]): Promise<Map<string, Device>> {
  const unique = [...new Set(addresses)];
  const out = new Map<string, Device>();
  if (unique.length === 0) return out;
  const { value } = await rpc.getMultipleAccounts(unique as Address[], { encoding: 'base64', commitment: COMMITMENT }).send();
  value.forEach((account, i) => {
    if (account) out.set(unique[i], getDeviceDecoder().decode(new Uint8Array(base64.encode(account.data[0] as Base64EncodedBytes))));
  });
  return out;
}

/** The PDA of a seed list under the program, with its bump (the program takes the bump of the
 * accounts it creates from the instruction and proves it with one `create_program_address`). */
function pdaWithBump(seeds: Array<string | Uint8Array>): Promise<readonly [Address, number]> {
  return getProgramDerivedAddress({ programAddress: DEVICE_STAKING_PROGRAM_ADDRESS, seeds });
}

/** The PDA of a seed list under the program. */
async function pda(seeds: Array<string | Uint8Array>): Promise<Address> {
  const [found] = await pdaWithBump(seeds);
  return found;
}

/** The ticket PDA `["ticket", device, seq]` and its bump. */
export function ticketPda(device: Address, seq: bigint): Promise<readonly [Address, number]> {
  return pdaWithBump(['ticket', addressBytes(device) as unknown as Uint8Array, getU64Encoder().encode(seq) as unknown as Uint8Array]);
}

/** The ticket PDA `["ticket", device, seq]`. */
export async function ticketAddress(device: Address, seq: bigint): Promise<Address> {
  return (await ticketPda(device, seq))[0];
}

/** The offer PDA `["offer", device, seq]` and its bump. */
export function offerPda(device: Address, seq: bigint): Promise<readonly [Address, number]> {
  return pdaWithBump(['offer', addressBytes(device) as unknown as Uint8Array, getU64Encoder().encode(seq) as unknown as Uint8Array]);
}

/** The offer PDA `["offer", device, seq]`. */
export async function offerAddress(device: Address, seq: bigint): Promise<Address> {
  return (await offerPda(device, seq))[0];
}

/** The escrow token account of a released offer `["escrow", offer]` (R16) and its bump. */
export function escrowPda(offer: Address): Promise<readonly [Address, number]> {
  return pdaWithBump(['escrow', addressBytes(offer) as unknown as Uint8Array]);
}

/** The escrow token account of a released offer `["escrow", offer]` (R16). */
export async function escrowAddress(offer: Address): Promise<Address> {
  return (await escrowPda(offer))[0];
}

/** A co-staker's profile PDA `["costaker", wallet]` (R11, R18). */
export function profileAddress(wallet: Address): Promise<Address> {
  return pda(['costaker', addressBytes(wallet) as unknown as Uint8Array]);
}

/** The associated token account of `wallet` for `mint` under `tokenProgram`. */
export async function associatedTokenAddress(wallet: Address, mint: Address, tokenProgram: Address): Promise<Address> {
  const [found] = await getProgramDerivedAddress({
    programAddress: ASSOCIATED_TOKEN_PROGRAM,
    seeds: [addressBytes(wallet), addressBytes(tokenProgram), addressBytes(mint)] as unknown as Uint8Array[],
  });
  return found;
}

/** A wallet's balance of the staking token (0 when it has no token account). */
export async function tokenBalance(rpc: AppRpc, wallet: Address, mint: Address, tokenProgram: Address): Promise<bigint> {
  const ata = await associatedTokenAddress(wallet, mint, tokenProgram);
  try {
    const { value } = await rpc.getTokenAccountBalance(ata, { commitment: COMMITMENT }).send();
    return BigInt(value.amount);
  } catch {
    return 0n;
  }
}

/** The amount a token account holds, or `null` when it does not exist. */
export async function tokenAccountAmount(rpc: AppRpc, account: Address): Promise<bigint | null> {
  try {
    const { value } = await rpc.getTokenAccountBalance(account, { commitment: COMMITMENT }).send();
    return BigInt(value.amount);
  } catch {
    return null;
  }
}

/** The cluster's clock (unix seconds), from the Clock sysvar. */
export async function chainTime(rpc: AppRpc): Promise<number> {
  const clock = await fetchEncodedAccount(rpc, address('SysvarC1ock11111111111111111111111111111111'), { commitment: COMMITMENT });
  if (!clock.exists) throw new Error('the cluster has no Clock sysvar');
  // slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp: u64/i64 each
  return Number(new DataView(clock.data.buffer, clock.data.byteOffset).getBigInt64(32, true));
}

/**
 * An unsigned v0 transaction of `instructions` paid by `feePayer`, on the latest blockhash: its
 * wire bytes (empty signature slots) and the block height after which it expires.
 */
export async function unsignedTransaction(rpc: AppRpc, feePayer: Address, instructions: Instruction[]): Promise<{ wire: Uint8Array; lastValidBlockHeight: bigint }> {
  const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: COMMITMENT }).send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(createNoopSigner(feePayer), m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  return { wire: new Uint8Array(getTransactionEncoder().encode(compileTransaction(message))), lastValidBlockHeight: blockhash.lastValidBlockHeight };
}

/** Simulates wire bytes (unsigned is fine: signatures are not verified) at `confirmed`. */
export async function simulateWire(rpc: AppRpc, wire: Uint8Array, replaceRecentBlockhash = false) {
  const encoded = getBase64Decoder().decode(wire) as Base64EncodedWireTransaction;
  const { value } = await rpc.simulateTransaction(encoded, { encoding: 'base64', sigVerify: false, replaceRecentBlockhash, commitment: COMMITMENT }).send();
  return value;
}

/**
 * Simulates `instructions` with `feePayer` (it must exist; nothing is signed or sent) and
 * returns the simulation's result.
 */
export async function simulate(rpc: AppRpc, feePayer: Address, instructions: Instruction[]) {
  const { wire } = await unsignedTransaction(rpc, feePayer, instructions);
  return simulateWire(rpc, wire, true);
}

/**
 * `device_status` (R54) simulated: the program's own view of eligibility and why not, overflow,
 * the position table with its states and unlocks, hired and hold status, and slash allowances.
 */
export async function deviceStatus(rpc: AppRpc, feePayer: Address, device: Address): Promise<DeviceStatus> {
  const [config] = await findConfigPda();
  const result = await simulate(rpc, feePayer, [getDeviceStatusInstruction({ config, device })]);
  if (result.err || !result.returnData) {
    throw new Error(`device_status failed: ${JSON.stringify(result.err, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  }
  return getDeviceStatusDecoder().decode(new Uint8Array(base64.encode(result.returnData.data[0] as Base64EncodedBytes)));
}

/** Amounts the token account `vault` received, with their times, over its recent transactions. */
export async function receipts(rpc: AppRpc, vault: Address, since: number, limit = 100): Promise<Array<{ at: number; amount: bigint }>> {
  const signatures = await rpc.getSignaturesForAddress(vault, { limit, commitment: COMMITMENT }).send();
  const recent = signatures.filter((s) => s.err === null && s.blockTime !== null && Number(s.blockTime) >= since);
  const out: Array<{ at: number; amount: bigint }> = [];
  for (const s of recent) {
    const tx = await rpc
      .getTransaction(s.signature as Signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: COMMITMENT })
      .send();
    if (!tx?.meta) continue;
    const keys = [...tx.transaction.message.accountKeys, ...(tx.meta.loadedAddresses?.writable ?? []), ...(tx.meta.loadedAddresses?.readonly ?? [])];
    const index = keys.indexOf(vault);
    const amountAt = (list: typeof tx.meta.preTokenBalances) => BigInt(list?.find((b) => b.accountIndex === index)?.uiTokenAmount.amount ?? '0');
    const delta = amountAt(tx.meta.postTokenBalances) - amountAt(tx.meta.preTokenBalances);
    if (delta > 0n) out.push({ at: Number(s.blockTime), amount: delta });
  }
  return out;
}
