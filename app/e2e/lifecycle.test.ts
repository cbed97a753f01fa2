// The device owner's whole lifecycle in the app, clicked through in headless Chromium against
// solana-test-validator: register a device from a registration file the oracle co-signed with
// the CLI (R3), close it (R8), hand a device to another wallet that accepts it with a wallet that
// only signs and sends (R19), and batch actions over several devices (stake each to its minimum,
// claim every position, withdraw every ripe ticket) in as few transactions as fit. Every result
// is read back from the chain with the CLI. Windows are seconds long (cooldown 30 s).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { chainTime, cli, eventually, openApp, screenshot, signRequests, startWorld, testWalletName, waitUntil, type DeviceInfo, type World } from './harness.ts';

const IO = 1_000_000;
let world: World;
let owner: Page;
const scratch = mkdtempSync(path.join(tmpdir(), 'lifecycle-'));
/** Devices the owner registers with the CLI for the batch story. */
const BATCH_IDS = ['batch-1', 'batch-2', 'batch-3'];

before(async () => {
  world = await startWorld();
}, { timeout: 900_000 });

after(async () => {
  await world?.stop();
});

/** The seeded device of `wallet` with `gpus` GPUs. */
function seeded(wallet: 'owner' | 'owner2', gpus: number): DeviceInfo {
  const found = world.devices.find((d) => d.ownerWallet === wallet && d.gpus === gpus);
  assert.ok(found, `no seeded ${gpus}-GPU device of ${wallet}`);
  return found;
}

/** A device's state as the CLI reads it (by id or address). */
function status(device: string): Promise<Record<string, any>> {
  return cli(world, 'owner', ['status', device]);
}

/** A wallet's token balance in base units, from the chain. */
async function tokens(wallet: 'owner' | 'costaker' | 'owner2'): Promise<number> {
  const report = await cli(world, wallet, ['status', '--wallet', world.wallets[wallet].address]);
  return report.token_balance.base_units as number;
}

/** Connects the test wallet through the app's wallet menu. */
async function connectWallet(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('menuitem', { name: testWalletName }).click();
  await page.getByRole('button', { name: 'Disconnect' }).waitFor();
}

/** The card of the device with id text `id` on the owner's page. */
function card(page: Page, id: string): Locator {
  return page.getByRole('article', { name: `Device ${id}` });
}

/** Waits for the success notice containing `text`. */
async function confirmed(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole('status').filter({ hasText: text }).waitFor({ timeout: 60_000 });
}

/** The oracle co-signs the registration of `id` for `wallet` with the CLI; the file's path. */
async function cosigned(id: string, wallet: 'owner' | 'owner2', gpus: number): Promise<string> {
  const file = path.join(scratch, `${id}.json`);
  await cli(world, 'oracle', ['operator', 'cosign-registration', id, '--owner', world.wallets[wallet].address, '--gpus', String(gpus), '--multiplier-bps', '10000', '--out', file]);
  return file;
}

test('R3: the owner registers a device from a file the oracle co-signed; a file for another wallet is refused unsigned', async () => {
  ({ page: owner } = await openApp(world, 'owner'));
  await connectWallet(owner);
  await card(owner, seeded('owner', 1).deviceId).waitFor();
  const register = owner.getByTestId('register-device');

  // a file for another owner: refused before the wallet is asked
  const foreign = await cosigned('gpu-foreign', 'owner2', 2);
  await register.getByLabel('Co-signed registration file').setInputFiles(foreign);
  await register.getByTestId('registration-problem').getByText(`the registration is for the owner ${world.wallets.owner2.address}`, { exact: false }).waitFor();
  assert.equal(signRequests(owner).length, 0);

  const file = await cosigned('gpu-new', 'owner', 2);
  await register.getByLabel('Co-signed registration file').setInputFiles(file);
  const summary = register.getByTestId('registration-summary');
  await summary.getByText('2 GPUs', { exact: false }).waitFor();
  await summary.getByText('gpu-new').waitFor();
  await register.scrollIntoViewIfNeeded();
  await screenshot(owner, '20-register-from-cosigned-file');
  await summary.getByRole('button', { name: 'Sign and register' }).click();
  await confirmed(owner, 'Registered device gpu-new');
  await card(owner, 'gpu-new').waitFor();
  // the wallet signed the oracle's transaction as it was: one request, the oracle's signature kept
  assert.equal(signRequests(owner).length, 1);
  const s = await status('gpu-new');
  assert.equal(s.owner, world.wallets.owner.address);
  assert.equal(s.gpu_count, 2);
});

test('R8: the owner closes the empty device; it leaves the page and a tombstone keeps its numbers', async () => {
  const device = card(owner, 'gpu-new');
  await device.getByRole('button', { name: 'Close device' }).click();
  const preview = device.getByTestId('close-preview');
  await preview.getByText('registering the same id again revives it', { exact: false }).waitFor();
  await screenshot(owner, '21-close-device-preview');
  await preview.getByRole('button', { name: 'Close device' }).click();
  await confirmed(owner, 'Closed device gpu-new');
  await device.waitFor({ state: 'detached' });
  const s = await status('gpu-new');
  assert.equal(s.closed, true);
});

test('R19: the owner hands a device over, cancels, proposes again; the new wallet (sign-and-send only) accepts', async () => {
  const small = seeded('owner', 1);
  const device = card(owner, small.deviceId);
  await device.getByRole('button', { name: 'Hand over' }).click();
  await device.getByLabel('New owner’s wallet').fill(world.wallets.owner2.address);
  await device.getByRole('button', { name: 'Propose new owner' }).click();
  await confirmed(owner, 'it has 7 days to accept');
  const pending = device.getByTestId('pending-transfer');
  await pending.getByText(world.wallets.owner2.address.slice(0, 4), { exact: false }).waitFor();
  assert.equal((await status(small.address)).pending_owner, world.wallets.owner2.address);
  await screenshot(owner, '22-transfer-pending');

  await pending.getByRole('button', { name: 'Cancel transfer' }).click();
  await confirmed(owner, `Device ${small.deviceId} stays yours`);
  await pending.waitFor({ state: 'detached' });
  assert.ok(!(await status(small.address)).pending_owner, 'no proposal after the cancel');

  await device.getByRole('button', { name: 'Hand over' }).click();
  await device.getByLabel('New owner’s wallet').fill(world.wallets.owner2.address);
  await device.getByRole('button', { name: 'Propose new owner' }).click();
  await confirmed(owner, 'it has 7 days to accept');

  const { page: next } = await openApp(world, 'owner2', '/', { signAndSendOnly: true });
  await connectWallet(next);
  const offered = next.getByTestId('offered-devices');
  await offered.getByText(small.deviceId).waitFor();
  await screenshot(next, '23-device-handed-to-new-wallet');
  await offered.getByRole('button', { name: 'Accept device' }).click();
  await confirmed(next, `Device ${small.deviceId} is yours`);
  await card(next, small.deviceId).waitFor();
  await offered.waitFor({ state: 'detached' });
  assert.equal(signRequests(next).length, 1, 'the sign-and-send wallet signed and sent the accept');
  const s = await status(small.address);
  assert.equal(s.owner, world.wallets.owner2.address);
  await screenshot(next, '24-new-owner-devices');
  await owner.reload();
  await connectWallet(owner).catch(() => undefined);
  await card(owner, seeded('owner', 8).deviceId).waitFor();
  assert.equal(await card(owner, small.deviceId).count(), 0);
});

test('batch: stake each device to its minimum, claim every position, withdraw every ripe ticket, each in one transaction', async () => {
  const oracle = world.wallets.oracle.keypair;
  // the CLI's setup steps on separate devices run at once
  await Promise.all(BATCH_IDS.map((id) => cli(world, 'owner', ['owner', 'register', id, '--gpus', '1', '--multiplier-bps', '10000', '--oracle-keypair', oracle])));
  await owner.reload();
  await connectWallet(owner).catch(() => undefined);
  for (const id of BATCH_IDS) await card(owner, id).waitFor();
  const batch = owner.getByTestId('owner-batch');
  // the three new devices (200 each) and the seeded 8-GPU device (16,000)
  const stakeAll = batch.getByRole('button', { name: 'Stake each to its minimum (4)' });
  await stakeAll.waitFor();
  await screenshot(owner, '25-owner-batch-actions');
  const before = signRequests(owner).length;
  const balance = await tokens('owner');
  await stakeAll.click();
  await confirmed(owner, 'Staked 16,600 IO: 4 devices in 1 transaction');
  assert.equal(signRequests(owner).length - before, 1, 'one transaction for four devices');
  assert.equal(balance - (await tokens('owner')), 16_600 * IO);
  for (const s of await Promise.all(BATCH_IDS.map(status))) assert.equal(s.eligible, true, `${s.device_id} meets its minimum`);
  // R8: a device with stake cannot be closed
  await eventually('Close device disabled on a staked device', () => card(owner, BATCH_IDS[0]).getByRole('button', { name: 'Close device' }).isDisabled());

  // the co-staker fills offers on two of them (two filled positions at most), a block pays them
  await Promise.all(BATCH_IDS.slice(0, 2).map((id) => cli(world, 'owner', ['owner', 'offer', 'create', id, '100', '--share', '50'])));
  // one after the other: both fills write the co-staker's profile
  for (const id of BATCH_IDS.slice(0, 2)) await cli(world, 'costaker', ['costaker', 'fill', id, '--amount', '100', '--share', '50']);
  const start = await chainTime(world);
  await waitUntil(world, start + 2);
  const csv = path.join(scratch, 'rewards.csv');
  const addresses = await Promise.all(BATCH_IDS.slice(0, 2).map(async (id) => (await status(id)).device as string));
  writeFileSync(csv, addresses.map((a) => `${a},100`).join('\n') + '\n');
  await cli(world, 'rewardAuthority', ['operator', 'distribute-rewards', '--csv', csv, '--block-id', '1', '--block-start', String(start + 1)]);

  const { page: costaker } = await openApp(world, 'costaker', '/#costaker');
  await connectWallet(costaker);
  const claimAll = costaker.getByTestId('claim-everything').getByRole('button', { name: /Claim every position \(2/ });
  await claimAll.waitFor();
  await screenshot(costaker, '26-costaker-claim-every-position');
  const costakerBefore = await tokens('costaker');
  await claimAll.click();
  await confirmed(costaker, 'Claimed 100 IO: 2 positions in 1 transaction');
  assert.equal(signRequests(costaker).length, 1);
  assert.equal((await tokens('costaker')) - costakerBefore, 100 * IO);

  // every new device unstaked; once the cooldown has passed, every ticket in one transaction
  await Promise.all(BATCH_IDS.map((id) => cli(world, 'owner', ['owner', 'unstake', id])));
  const unstakedAt = await chainTime(world);
  await waitUntil(world, unstakedAt + world.params.cooldownSecs + 1);
  await owner.reload();
  await connectWallet(owner).catch(() => undefined);
  const withdrawAll = owner.getByTestId('owner-batch').getByRole('button', { name: 'Withdraw every ripe ticket (3)' });
  await withdrawAll.waitFor();
  const ticketsBefore = signRequests(owner).length;
  const ownerBefore = await tokens('owner');
  await withdrawAll.click();
  await confirmed(owner, 'Withdrew 600 IO of unstaked stake: 3 devices in 1 transaction');
  assert.equal(signRequests(owner).length - ticketsBefore, 1);
  assert.equal((await tokens('owner')) - ownerBefore, 600 * IO);
  for (const s of await Promise.all(BATCH_IDS.map(status))) assert.equal(s.unstaking ?? false, false, `${s.device_id}'s ticket is withdrawn`);
  await eventually('the batch outcome', () => owner.getByTestId('batch-outcome').isVisible());
  await screenshot(owner, '27-owner-batch-tickets-withdrawn');
});
