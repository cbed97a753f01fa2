// The browser tests' harness: a seeded local validator, the app's dev server, Chromium with a
// test wallet registered through the Wallet Standard, and the CLI for operator steps and checks.
//
//   const world = await startWorld();                  // validator, then seed beside app server (about 30 s)
//   after(() => world.stop());                          // also on failure; exit handlers as a backstop
//   const { browser, page } = await openApp(world, 'owner');
//   await cli(world, 'rewardAuthority', ['operator', 'distribute-rewards', ...]);
//
// The validator runs beside the one of `make localnet-test`: state folder .localnet-app/, RPC
// 18899, faucet 19900, gossip 18001 (tools/localnet/start.sh). The app's dev server listens on
// 127.0.0.1:5199 with VITE_RPC_URL set to the validator. The world (wallets, devices) is what
// crates/kit/src/app_world.rs (the kit's app-world) seeds; its doc lists every wallet and device.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign as ed25519Sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getAddressDecoder, getBase58Decoder } from '@solana/kit';
import { chromium, type Browser, type Page } from 'playwright-core';

const run = promisify(execFile);

/** The app's folder (app/). */
export const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The repository's root. */
export const repoRoot = path.resolve(appDir, '..');

/** The validator's state folder (ledger, log, PID file, authority, seeded wallets). */
const localnetDir = path.join(repoRoot, '.localnet-app');
/** The validator's ports, away from the defaults of `make localnet` and `make localnet-test`. */
const validatorEnv = {
  LOCALNET_DIR: localnetDir,
  LOCALNET_RPC_PORT: '18899',
  LOCALNET_FAUCET_PORT: '19900',
  LOCALNET_GOSSIP_PORT: '18001',
};
/** The app's dev server port. */
const appPort = 5199;
/** The history API's port, when a world runs the indexer (away from `make app`'s 8787). */
const indexerPort = 18787;
/** The app server's process group id, kept while it runs, for the next run to end it when a
 * killed run could not. */
const serverPidFile = path.join(localnetDir, 'app-server.pid');
/** Chromium as Debian installs it (tools/app/install.sh). */
const chromiumPath = '/usr/bin/chromium';
/** Where `screenshot` writes. */
const screenshotDir = path.join(appDir, 'e2e', 'screenshots');
/** The test wallet's name, as the app lists it. */
export const testWalletName = 'E2E Test Wallet';

/** The wallets app-world seeds (see crates/kit/src/app_world.rs for their roles and funds). */
export type WalletName =
  | 'owner'
  | 'costaker'
  | 'owner2'
  | 'admin'
  | 'oracle'
  | 'nextOracle'
  | 'rewardAuthority'
  | 'slashAuthority'
  | 'treasury'
  | 'authority';

/** A seeded wallet: its address and its keypair file (Solana CLI JSON, absolute path). */
export interface WalletInfo {
  address: string;
  keypair: string;
}

/** A seeded device; amounts in base units of the mint. */
export interface DeviceInfo {
  address: string;
  /** The id as text (padded with zeros to 32 bytes on chain); the CLI takes it. */
  deviceId: string;
  /** The 32-byte id in hex. */
  deviceIdHex: string;
  /** The owner's address. */
  owner: string;
  ownerWallet: WalletName;
  gpus: number;
  multiplierBps: number;
  minRequired: number;
  ownerStake: number;
  /** Hired until then (unix seconds; 0 when not hired). */
  hiredUntil: number;
  openOffer: { address: string; amount: number; rewardShareBps: number } | null;
}

/** A running, seeded validator with the app served against it. */
export interface World {
  rpcUrl: string;
  /** The app's origin, e.g. http://127.0.0.1:5199. */
  appUrl: string;
  programId: string;
  /** The config's address. */
  config: string;
  mint: string;
  decimals: number;
  /** The config's windows (migrations/params.localnet.toml). */
  params: { coverWindowSecs: number; cooldownSecs: number };
  /** The changes the admin announced at seeding (R31-R34): new parameters and a new oracle, pending. */
  announced: { paramsEffectiveAt: number; maxRewardShareBps: number; oracle: string; oracleEffectiveAt: number };
  wallets: Record<WalletName, WalletInfo>;
  devices: DeviceInfo[];
  /** The history API of the indexer following the validator, when the world was started with one. */
  indexerUrl: string | null;
  /** Closes the browsers `openApp` opened, stops the app server and the validator (idempotent). */
  stop(): Promise<void>;
}

/** One transaction the test wallet was asked to sign. */
export interface SignRequest {
  /** The wire transaction as the app handed it over. */
  transaction: Uint8Array;
  /** The transaction with the wallet's signature, or null when the wallet refused it. */
  signedTransaction: Uint8Array | null;
  /** The wallet's signature in base58 (the transaction's id when the wallet pays the fee). */
  signature: string | null;
  /** Why the wallet refused it. */
  error: string | null;
}

/** A failed CLI command: its message, the program's error name when it refused, its JSON. */
export class CliError extends Error {
  constructor(
    message: string,
    /** The program's (or Anchor's) error name, e.g. `StillLocked`, when the program refused. */
    readonly programError: string | null,
    /** The CLI's JSON error document, when it printed one. */
    readonly output: Record<string, unknown> | null,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Prints a progress line of the harness on stderr. */
function say(message: string): void {
  process.stderr.write(`[e2e] ${message}\n`);
}

/** Seconds since `startedMs`, for progress lines. */
function since(startedMs: number): string {
  return `${((Date.now() - startedMs) / 1000).toFixed(1)} s`;
}

/** Runs a command to completion; on failure throws with its last lines of output. */
async function runStep(what: string, file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const { stdout } = await run(file, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    const output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trimEnd().split('\n').slice(-40).join('\n');
    throw new Error(`${what} failed: ${failed.message.split('\n')[0]}\n${output}`);
  }
}

let indexerPath: Promise<string> | null = null;

/** The device-staking-indexer binary: DEVICE_STAKING_INDEXER when set (tools/app/e2e.sh sets it),
 * else built once per process as `make indexer-test` builds it (debug build, through the
 * indexer's validator test: `cargo build -p device-staking-indexer` resolves other features and
 * would compile its dependencies again). */
function indexerBinary(): Promise<string> {
  const given = process.env.DEVICE_STAKING_INDEXER;
  const build = ['test', '--locked', '-q', '-p', 'device-staking-indexer', '--test', 'validator', '--no-run'];
  indexerPath ??= given
    ? Promise.resolve(given)
    : runStep('building the indexer', 'cargo', build).then(() =>
        path.join(process.env.CARGO_TARGET_DIR ?? path.join(repoRoot, 'target'), 'debug', 'device-staking-indexer'),
      );
  return indexerPath;
}

/** Starts the indexer following `rpcUrl` into a new SQLite file in the world's folder, serving
 * its history API on `indexerPort`; waits until /health answers. */
async function startIndexer(rpcUrl: string): Promise<string> {
  const binary = await indexerBinary();
  const database = path.join(localnetDir, 'history.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(database + suffix, { force: true });
  const log = path.join(localnetDir, 'indexer.log');
  const indexer = spawn(binary, ['--database', `sqlite:${database}`, 'index', '--url', rpcUrl, '--follow', '--poll', '0.5', '--api-port', String(indexerPort)], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.indexer = indexer;
  let output = '';
  indexer.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  });
  indexer.once('exit', () => writeFileSync(log, output));
  const url = `http://127.0.0.1:${indexerPort}`;
  await eventually(
    `the indexer's API at ${url}`,
    async () => {
      if (indexer.exitCode !== null) throw new Error(`the indexer exited (${indexer.exitCode}):\n${output}`);
      return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) })).ok;
    },
    60_000,
  );
  return url;
}

/** Stops the indexer: SIGTERM, SIGKILL after 5 s. */
async function stopIndexer(): Promise<void> {
  const indexer = running.indexer;
  if (!indexer || indexer.exitCode !== null || indexer.signalCode !== null) {
    running.indexer = null;
    return;
  }
  const exited = new Promise<void>((resolve) => indexer.once('exit', () => resolve()));
  indexer.kill('SIGTERM');
  const timer = setTimeout(killIndexerSync, 5_000);
  await exited;
  clearTimeout(timer);
  running.indexer = null;
}

let cliPath: Promise<string> | null = null;

/** The device-staking CLI binary: DEVICE_STAKING_CLI when set (tools/app/e2e.sh sets it), else
 * built once per process by tools/cli.sh (debug build). */
function cliBinary(): Promise<string> {
  const given = process.env.DEVICE_STAKING_CLI;
  cliPath ??= given
    ? Promise.resolve(given)
    : runStep('building the CLI (tools/cli.sh)', path.join(repoRoot, 'tools/cli.sh'), []).then((out) => out.trim());
  return cliPath;
}

/** Waits until `check` returns a value other than undefined/false, polling every `everyMs`; throws
 * naming `what` after `timeoutMs`. Returns that value. Errors thrown by `check` count as "not
 * yet" and the last one is reported on timeout. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const reason = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** What must be stopped when the process ends before `world.stop()` ran. */
const running = {
  validator: false,
  server: null as ChildProcess | null,
  indexer: null as ChildProcess | null,
  browsers: new Set<Browser>(),
};

/** Stops the validator of .localnet-app synchronously (tools/localnet/stop.sh; a no-op when none). */
function stopValidatorSync(): void {
  spawnSync(path.join(repoRoot, 'tools/localnet/stop.sh'), [], { env: { ...process.env, ...validatorEnv }, stdio: 'ignore' });
  running.validator = false;
}

/** Kills the indexer at once. */
function killIndexerSync(): void {
  const indexer = running.indexer;
  if (indexer?.pid !== undefined && indexer.exitCode === null && indexer.signalCode === null) {
    try {
      process.kill(indexer.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.indexer = null;
}

/** Kills the app server's process group at once. */
function killServerSync(): void {
  const server = running.server;
  if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null) {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.server = null;
  rmSync(serverPidFile, { force: true });
}

/** Ends the app server a killed run left behind (by the process group in its PID file, when that
 * group is still a Vite server). */
function killLeftoverServer(): void {
  if (!existsSync(serverPidFile)) return;
  const pid = Number(readFileSync(serverPidFile, 'utf8').trim());
  let command = '';
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // not running any more
  }
  if (pid > 0 && command.includes('vite')) {
    say(`stopping the app server a killed run left (pid ${pid})`);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(serverPidFile, { force: true });
}

/** The last resort when the process exits without `world.stop()`: synchronous cleanup only
 * (Playwright kills the browsers it launched on its own exit handler). */
function cleanUpOnExit(): void {
  killIndexerSync();
  killServerSync();
  if (running.validator) stopValidatorSync();
}

let exitHandlersInstalled = false;

/** Installs the exit and signal handlers that stop the validator and the server. */
function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  process.on('exit', cleanUpOnExit);
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}

/** Whether anything answers HTTP at `url` within a second. */
async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
    () => true,
    () => false,
  );
}

/** Starts the app's dev server at `appUrl` against `rpcUrl` and waits until it serves its
 * client script. */
async function startAppServer(rpcUrl: string, appUrl: string, indexerUrl: string | null): Promise<void> {
  const vite = path.join(appDir, 'node_modules/.bin/vite');
  const server = spawn(vite, ['--host', '127.0.0.1', '--port', String(appPort), '--strictPort', '--clearScreen', 'false'], {
    cwd: appDir,
    env: { ...process.env, VITE_RPC_URL: rpcUrl, BROWSER: 'none', ...(indexerUrl ? { VITE_INDEXER_URL: indexerUrl } : {}) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.server = server;
  if (server.pid !== undefined) writeFileSync(serverPidFile, `${server.pid}\n`);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  const spawned = new Promise<void>((resolve, reject) => {
    server.once('spawn', resolve);
    server.once('error', (e) => reject(new Error(`cannot start ${vite} (run tools/app/install.sh): ${e.message}`)));
  });
  await spawned;
  const exited = new Promise<never>((_, reject) =>
    server.once('exit', (code, signal) => reject(new Error(`the app server exited (${code ?? signal}):\n${output}`))),
  );
  // Only a Vite dev server serves its client script. Polling ends when the server exits too:
  // `exited` has rejected by then and decides the race.
  const ready = eventually(
    `the app server at ${appUrl}`,
    async () =>
      server.exitCode !== null ||
      server.signalCode !== null ||
      (await fetch(`${appUrl}/@vite/client`, { signal: AbortSignal.timeout(2_000) })).ok,
    60_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
  await Promise.race([ready, exited]);
}

/** Stops the app server: SIGTERM to its process group, SIGKILL after 5 s. */
async function stopAppServer(): Promise<void> {
  const server = running.server;
  if (!server || server.pid === undefined || server.exitCode !== null || server.signalCode !== null) {
    running.server = null;
    rmSync(serverPidFile, { force: true });
    return;
  }
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const timer = setTimeout(killServerSync, 5_000);
  await exited;
  clearTimeout(timer);
  running.server = null;
  rmSync(serverPidFile, { force: true });
}

/** Starts a fresh validator (state .localnet-app/, RPC 18899), seeds it with the kit's app-world, and
 * serves the app against it on 127.0.0.1:5199; with `indexer`, also the indexer following the
 * validator with its history API on 127.0.0.1:18787 (the app is told where). Everything started
 * is stopped again if a step fails, by `world.stop()`, or by the exit handlers when the process
 * ends first. */
export async function startWorld(options: { indexer?: boolean } = {}): Promise<World> {
  installExitHandlers();
  const started = Date.now();
  try {
    killLeftoverServer();
    const appUrl = `http://127.0.0.1:${appPort}`;
    if (await answers(appUrl)) throw new Error(`something already listens on ${appUrl}: stop it first (a dev server of an earlier run?)`);
    const cli = await cliBinary();
    const tools = { ...validatorEnv, DEVICE_STAKING_CLI: cli };
    stopValidatorSync(); // one left over by a killed run
    running.validator = true;
    await runStep('tools/localnet/start.sh --background', path.join(repoRoot, 'tools/localnet/start.sh'), ['--background'], tools);
    say(`validator up in ${since(started)}`);
    const rpcUrl = `http://127.0.0.1:${validatorEnv.LOCALNET_RPC_PORT}`;
    const out = path.join(localnetDir, 'world.json');
    const state = path.join(localnetDir, 'world');
    const seedArgs = ['run', '--locked', '-q', '-p', 'device-staking-kit', '--bin', 'app-world', '--'];
    rmSync(out, { force: true });
    // The seeding, and the indexer (it follows the chain from its first transaction, seeding's
    // included) with the app server, start together: neither side needs the other.
    const seeding = runStep('seeding with app-world', 'cargo', [...seedArgs, '--url', rpcUrl, '--out', out, '--state', state], tools).then(() => {
      const seeded = JSON.parse(readFileSync(out, 'utf8')) as Omit<World, 'appUrl' | 'indexerUrl' | 'stop'>;
      say(`seeded in ${since(started)}`);
      return seeded;
    });
    const serving = (async () => {
      const indexerUrl = options.indexer ? await startIndexer(rpcUrl) : null;
      if (indexerUrl) say(`indexer up in ${since(started)}: ${indexerUrl}`);
      await startAppServer(rpcUrl, appUrl, indexerUrl);
      return indexerUrl;
    })();
    // both settle before a failure is thrown, so that the cleanup below finds every process started
    const [seededResult, servingResult] = await Promise.allSettled([seeding, serving]);
    if (seededResult.status === 'rejected') throw seededResult.reason;
    if (servingResult.status === 'rejected') throw servingResult.reason;
    const seeded = seededResult.value;
    const indexerUrl = servingResult.value;
    say(`world ready in ${since(started)}: app ${appUrl}, validator ${rpcUrl}`);
    let stopped = false;
    return {
      ...seeded,
      appUrl,
      indexerUrl,
      async stop() {
        if (stopped) return;
        stopped = true;
        await closeBrowsers();
        await stopAppServer();
        await stopIndexer();
        stopValidatorSync();
      },
    };
  } catch (error) {
    await closeBrowsers();
    await stopAppServer();
    await stopIndexer();
    stopValidatorSync();
    throw error;
  }
}

/** Closes every browser `openApp` launched that is still open. */
async function closeBrowsers(): Promise<void> {
  const browsers = [...running.browsers];
  running.browsers.clear();
  await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
}

/** A keypair file's Ed25519 signer: its address, public key and a signing function. */
interface Signer {
  address: string;
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Reads a Solana CLI keypair file (64 bytes: seed, then public key) and checks that its
 * public key is the seed's and, when given, that its address is `expectedAddress`. */
export function keypairSigner(file: string, expectedAddress?: string): Signer {
  const bytes = Uint8Array.from(JSON.parse(readFileSync(file, 'utf8')) as number[]);
  if (bytes.length !== 64) throw new Error(`${file} is not a keypair file (a JSON array of 64 bytes)`);
  const privateKey: KeyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, bytes.subarray(0, 32)]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = bytes.slice(32);
  const derived = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
  if (!derived.equals(publicKey)) throw new Error(`${file}: its public key does not match its secret key`);
  const address = getAddressDecoder().decode(publicKey);
  if (expectedAddress !== undefined && address !== expectedAddress) {
    throw new Error(`${file} holds ${address}, not ${expectedAddress}`);
  }
  return { address, publicKey, sign: (message) => new Uint8Array(ed25519Sign(null, message, privateKey)) };
}

/** Reads a compact-u16 (shortvec) at `offset`: its value and the offset after it. */
function readCompactU16(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 3; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined) throw new Error('truncated transaction: a length runs past its end');
    value |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) return [value, offset + i + 1];
  }
  throw new Error('malformed transaction: a length of more than 3 bytes');
}

/** Where a wire transaction's message starts and which signature slot is `publicKey`'s. */
export function signerSlot(wire: Uint8Array, publicKey: Uint8Array): { messageOffset: number; slot: number; slotOffset: number } {
  const [signatures, firstSignature] = readCompactU16(wire, 0);
  const messageOffset = firstSignature + 64 * signatures;
  let at = messageOffset;
  const prefix = wire[at];
  if (prefix === undefined) throw new Error('truncated transaction: no message');
  if (prefix & 0x80) {
    if ((prefix & 0x7f) !== 0) throw new Error(`unsupported transaction version ${prefix & 0x7f}`);
    at += 1;
  }
  const required = wire[at];
  if (required !== signatures) {
    throw new Error(`the transaction has ${signatures} signature slots but its message requires ${required}`);
  }
  const [, firstKey] = readCompactU16(wire, at + 3);
  for (let slot = 0; slot < required; slot++) {
    const key = wire.subarray(firstKey + 32 * slot, firstKey + 32 * (slot + 1));
    if (key.length === 32 && key.every((b, i) => b === publicKey[i])) {
      return { messageOffset, slot, slotOffset: firstSignature + 64 * slot };
    }
  }
  const signers = Array.from({ length: required }, (_, i) =>
    getAddressDecoder().decode(wire.subarray(firstKey + 32 * i, firstKey + 32 * (i + 1))),
  );
  throw new Error(`the wallet is not a required signer of this transaction (signers: ${signers.join(', ') || 'none'})`);
}

/** `wire` with `signer`'s signature of its message in the signer's slot. */
export function signWireTransaction(wire: Uint8Array, signer: Signer): { signed: Uint8Array; signature: Uint8Array } {
  const { messageOffset, slotOffset } = signerSlot(wire, signer.publicKey);
  const signature = signer.sign(wire.subarray(messageOffset));
  const signed = Uint8Array.from(wire);
  signed.set(signature, slotOffset);
  return { signed, signature };
}

/** Every signing request per page (see `signRequests`). */
const requestsByPage = new WeakMap<Page, SignRequest[]>();

/** The transactions the test wallet of `page` was asked to sign so far, oldest first. */
export function signRequests(page: Page): readonly SignRequest[] {
  return [...(requestsByPage.get(page) ?? [])];
}

/** The test wallet's icon: a data URL of a small SVG. */
const walletIcon = `data:image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">' +
    '<rect width="32" height="32" rx="6" fill="#1f6feb"/>' +
    '<text x="16" y="21" font-family="sans-serif" font-size="11" font-weight="bold" fill="#fff" text-anchor="middle">E2E</text>' +
    '</svg>',
).toString('base64')}`;

/** The page script (run before the app's) that registers the test wallet through the Wallet
 * Standard: it dispatches `wallet-standard:register-wallet` and answers every
 * `wallet-standard:app-ready`. The wallet starts disconnected (no accounts) and connects without
 * asking; it signs through the Node function `__e2eSign`. The script also defines esbuild's
 * `__name` helper, which tsx puts into functions a test hands to `page.evaluate`. */
function walletScript(address: string, publicKey: Uint8Array, label: string, signAndSendOnly = false): string {
  const config = JSON.stringify({ name: testWalletName, icon: walletIcon, address, publicKey: Array.from(publicKey), label, signAndSendOnly });
  return `(() => {
  globalThis.__name ??= (target, value) => Object.defineProperty(target, 'name', { value, configurable: true });
  const config = ${config};
  const chains = Object.freeze(['solana:localnet']);
  const account = Object.freeze({
    address: config.address,
    publicKey: new Uint8Array(config.publicKey),
    chains,
    features: Object.freeze([config.signAndSendOnly ? 'solana:signAndSendTransaction' : 'solana:signTransaction']),
    label: config.label,
  });
  let accounts = [];
  const listeners = new Map();
  const emit = (event, properties) => (listeners.get(event) ?? new Set()).forEach((listener) => listener(properties));
  const wallet = {
    version: '1.0.0',
    name: config.name,
    icon: config.icon,
    chains,
    get accounts() { return accounts.slice(); },
    features: {
      'standard:connect': {
        version: '1.0.0',
        connect: async () => {
          if (accounts.length === 0) {
            accounts = [account];
            emit('change', { accounts: wallet.accounts });
          }
          return { accounts: wallet.accounts };
        },
      },
      'standard:disconnect': {
        version: '1.0.0',
        disconnect: async () => {
          if (accounts.length > 0) {
            accounts = [];
            emit('change', { accounts: wallet.accounts });
          }
        },
      },
      'standard:events': {
        version: '1.0.0',
        on: (event, listener) => {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event).add(listener);
          return () => listeners.get(event).delete(listener);
        },
      },
      ...(config.signAndSendOnly
        ? {
            'solana:signAndSendTransaction': {
              version: '1.0.0',
              supportedTransactionVersions: Object.freeze(['legacy', 0]),
              signAndSendTransaction: async (...inputs) => {
                const outputs = [];
                for (const input of inputs) {
                  if (input.account?.address !== config.address) {
                    throw new Error(config.name + ' holds ' + config.address + ' only, not ' + input.account?.address);
                  }
                  const signature = await window.__e2eSignAndSend(Array.from(input.transaction));
                  outputs.push({ signature: new Uint8Array(signature) });
                }
                return outputs;
              },
            },
          }
        : {
            'solana:signTransaction': {
              version: '1.0.0',
              supportedTransactionVersions: Object.freeze(['legacy', 0]),
              signTransaction: async (...inputs) => {
                const outputs = [];
                for (const input of inputs) {
                  if (input.account?.address !== config.address) {
                    throw new Error(config.name + ' holds ' + config.address + ' only, not ' + input.account?.address);
                  }
                  const signed = await window.__e2eSign(Array.from(input.transaction));
                  outputs.push({ signedTransaction: new Uint8Array(signed) });
                }
                return outputs;
              },
            },
          }),
    },
  };
  const register = ({ register }) => register(wallet);
  window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: register }));
  window.addEventListener('wallet-standard:app-ready', (event) => register(event.detail));
})();`;
}

/** How the test wallet signs: `signTransaction` (the app sends), or `signAndSendOnly` (a wallet
 * with only `solana:signAndSendTransaction`: it signs and sends to the world's validator itself). */
export interface WalletOptions {
  signAndSendOnly?: boolean;
}

/** Opens the app at `urlPath` in a new headless Chromium (fresh profile, 1280x900) whose test
 * wallet holds `walletName`'s keypair. Page errors and console errors are echoed on stderr. The
 * browser is closed by `world.stop()` if the test does not close it. */
export async function openApp(world: World, walletName: WalletName, urlPath = '/', options: WalletOptions = {}): Promise<{ browser: Browser; page: Page }> {
  const wallet = world.wallets[walletName];
  if (!wallet) throw new Error(`no wallet "${walletName}" in the world (have: ${Object.keys(world.wallets).join(', ')})`);
  const signer = keypairSigner(wallet.keypair, wallet.address);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  running.browsers.add(browser);
  browser.once('disconnected', () => running.browsers.delete(browser));
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requests: SignRequest[] = [];
    requestsByPage.set(page, requests);
    await page.exposeFunction('__e2eSign', (transaction: number[]) => {
      const wire = Uint8Array.from(transaction);
      try {
        const { signed, signature } = signWireTransaction(wire, signer);
        requests.push({ transaction: wire, signedTransaction: signed, signature: getBase58Decoder().decode(signature), error: null });
        return Array.from(signed);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        requests.push({ transaction: wire, signedTransaction: null, signature: null, error: message });
        throw new Error(`${testWalletName} (${walletName}) refused to sign: ${message}`);
      }
    });
    await page.exposeFunction('__e2eSignAndSend', async (transaction: number[]) => {
      const wire = Uint8Array.from(transaction);
      let signed: Uint8Array;
      let signature: Uint8Array;
      try {
        ({ signed, signature } = signWireTransaction(wire, signer));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        requests.push({ transaction: wire, signedTransaction: null, signature: null, error: message });
        throw new Error(`${testWalletName} (${walletName}) refused to sign: ${message}`);
      }
      requests.push({ transaction: wire, signedTransaction: signed, signature: getBase58Decoder().decode(signature), error: null });
      await rpc<string>(world, 'sendTransaction', [Buffer.from(signed).toString('base64'), { encoding: 'base64', skipPreflight: true }]);
      return Array.from(signature);
    });
    await page.addInitScript({ content: walletScript(signer.address, signer.publicKey, walletName, options.signAndSendOnly) });
    page.on('pageerror', (error) => say(`page error (${walletName}): ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') say(`console error (${walletName}): ${message.text()}`);
    });
    await page.goto(new URL(urlPath, world.appUrl).href);
    return { browser, page };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}

/** Saves a full-page screenshot as app/e2e/screenshots/<name>.png and returns its path. The page
 * is scrolled to its top first: a full-page shot of a scrolled page draws the sticky header
 * where the scroll left it. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Runs the device-staking CLI against the world's validator, signed by `signer`'s keypair
 * (`--output json --commitment confirmed`), and returns its JSON document. A failure throws a
 * `CliError` with the program's error name when the program refused. */
export async function cli(world: World, signer: WalletName, args: string[]): Promise<Record<string, any>> {
  const binary = await cliBinary();
  const wallet = world.wallets[signer];
  if (!wallet) throw new Error(`no wallet "${signer}" in the world`);
  const argv = ['--url', world.rpcUrl, '-k', wallet.keypair, '--commitment', 'confirmed', '--output', 'json', ...args];
  const shown = `device-staking ${args.join(' ')} (as ${signer})`;
  let stdout: string;
  try {
    stdout = (await run(binary, argv, { maxBuffer: 16 * 1024 * 1024, timeout: 120_000 })).stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    let output: Record<string, any> | null = null;
    try {
      output = JSON.parse(failed.stdout ?? '') as Record<string, any>;
    } catch {
      // no JSON: a usage error, printed on stderr
    }
    const programError = (output?.program_error?.name as string | undefined) ?? null;
    const message = (output?.error as string | undefined) ?? (failed.stderr || failed.message).trim();
    throw new CliError(`${shown} failed: ${message}`, programError, output);
  }
  try {
    return JSON.parse(stdout) as Record<string, any>;
  } catch {
    throw new Error(`${shown} printed no JSON document:\n${stdout}`);
  }
}

/** Sends one JSON-RPC request to the world's validator and returns its result. */
async function rpc<T>(world: World, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(world.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error || body.result === undefined) throw new Error(`${method}: ${body.error?.message ?? `HTTP ${response.status}`}`);
  return body.result;
}

/** The Clock sysvar's unix time at `confirmed`: what the program compares deadlines with. */
export async function chainTime(world: World): Promise<number> {
  const clock = await rpc<{ value: { data: [string, string] } | null }>(world, 'getAccountInfo', [
    'SysvarC1ock11111111111111111111111111111111',
    { encoding: 'base64', commitment: 'confirmed' },
  ]);
  if (!clock.value) throw new Error('the Clock sysvar is missing');
  // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp (8 bytes each)
  return Number(Buffer.from(clock.value.data[0], 'base64').readBigInt64LE(32));
}

/** Waits until the validator's Clock reaches `unixSeconds` (a transaction sent after this sees
 * at least that time); throws after `timeoutMs`. */
export async function waitUntil(world: World, unixSeconds: number, timeoutMs = 300_000): Promise<void> {
  const now = await chainTime(world);
  if (now >= unixSeconds) return;
  say(`waiting ${unixSeconds - now} s of the Clock`);
  await eventually(`the Clock to reach ${unixSeconds}`, async () => (await chainTime(world)) >= unixSeconds, timeoutMs, 400);
}
