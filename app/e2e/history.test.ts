// History and earnings in the app, from the indexer's history API (docs/api.md) following the
// validator: the owner's earnings chart per day (7 and 30 days), the device's events with links
// to an explorer, its CSV download; the co-staker's realized earnings, claims and slashes per
// position, a position's chart and the wallet's CSV. The chain's steps go through the CLI.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { chainTime, cli, eventually, openApp, screenshot, startWorld, testWalletName, waitUntil, type DeviceInfo, type World } from './harness.ts';

let world: World;
let small: DeviceInfo;

before(async () => {
  world = await startWorld({ indexer: true });
  const found = world.devices.find((d) => d.ownerWallet === 'owner' && d.gpus === 1);
  assert.ok(found, 'the seeded 1-GPU device of the owner');
  small = found;
}, { timeout: 900_000 });

after(async () => {
  await world?.stop();
});

/** Connects the test wallet through the app's wallet menu. */
async function connectWallet(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('menuitem', { name: testWalletName }).click();
  await page.getByRole('button', { name: 'Disconnect' }).waitFor();
}

/** GETs a path of the history API as JSON. */
async function api(pathname: string): Promise<any> {
  const response = await fetch(`${world.indexerUrl}${pathname}`);
  assert.equal(response.status, 200, `${pathname}: ${response.status}`);
  return response.json();
}

/** A download's text, from a click on `link`. */
async function downloaded(page: Page, link: ReturnType<Page['getByTestId']>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = path.join(tmpdir(), `history-${process.pid}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return readFileSync(file, 'utf8');
}

test('a device earns two blocks with a co-staker, who claims; the indexer stores them', async () => {
  await cli(world, 'owner', ['owner', 'stake', small.address, '200']);
  await cli(world, 'owner', ['owner', 'offer', 'create', small.address, '100', '--share', '74']);
  await cli(world, 'costaker', ['costaker', 'fill', small.address, '--amount', '100', '--share', '74']);
  const csv = path.join(tmpdir(), `history-rewards-${process.pid}.csv`);
  writeFileSync(csv, `${small.address},100\n`);
  for (const block of [1, 2]) {
    const start = await chainTime(world);
    await waitUntil(world, start + 2);
    await cli(world, 'rewardAuthority', ['operator', 'distribute-rewards', '--csv', csv, '--block-id', String(block), '--block-start', String(start + 1)]);
  }
  await cli(world, 'costaker', ['costaker', 'claim', small.address]);
  await eventually('the indexer to store both blocks and the claim', async () => {
    const earnings = await api(`/devices/${small.address}/earnings?by=day&days=7`);
    const positions = await api(`/wallets/${world.wallets.costaker.address}/positions`);
    return earnings.totals.blocks === 2 && positions.positions[0]?.rewardsClaimed === String(148 * 1_000_000);
  }, 60_000, 500);
});

test('owner: the device’s chart for 7 and 30 days, its events with explorer links, and its CSV', async () => {
  const { page } = await openApp(world, 'owner');
  await connectWallet(page);
  const card = page.getByRole('article', { name: `Device ${small.deviceId}` });
  await card.getByRole('button', { name: 'History' }).click();
  const history = card.getByTestId('device-history');
  // R21: 26% of 2 x 100 to the owner, 74% to the position
  await history.getByText('Last 7 days: owner 52 IO, co-stakers 148 IO over 2 blocks').waitFor();
  const chart = history.getByTestId('earnings-chart');
  assert.equal(await chart.locator('g').count(), 7, 'a bar slot per day');
  assert.ok((await chart.locator('rect[fill="#2563eb"]').count()) >= 1, 'the owner’s part is drawn');
  assert.ok((await chart.locator('rect[fill="#059669"]').count()) >= 1, 'the position’s part is drawn');
  await chart.getByText('position #0').waitFor();
  const table = history.getByTestId('history-table');
  await table.getByRole('cell', { name: 'RewardPaid' }).first().waitFor();
  await table.getByRole('cell', { name: 'OfferFilled' }).waitFor();
  const link = await table.getByRole('link').first().getAttribute('href');
  assert.match(link ?? '', /^https:\/\/explorer\.solana\.com\/tx\/\w+\?cluster=custom&customUrl=http%3A%2F%2F127\.0\.0\.1%3A18899$/);
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, '30-device-history-7-days');

  await history.getByRole('button', { name: '30 days' }).click();
  await history.getByText('Last 30 days: owner 52 IO').waitFor();
  assert.equal(await chart.locator('g').count(), 30);

  const text = await downloaded(page, history.getByTestId('device-csv'));
  const lines = text.trim().split('\n');
  assert.ok(lines[0].startsWith('time_utc,block_time,slot,signature'), lines[0]);
  assert.equal(lines.filter((l) => l.includes(',RewardPaid,')).length, 2);
});

test('co-staker: realized earnings, claims and slashes per position, a position’s chart, and the wallet’s CSV', async () => {
  const { page } = await openApp(world, 'costaker', '/#costaker');
  await connectWallet(page);
  const realized = page.getByTestId('positions-history');
  const row = realized.getByTestId('position-history').first();
  await row.getByRole('cell', { name: '148 IO' }).first().waitFor();
  const cells = await row.getByRole('cell').allInnerTexts();
  // device, position, filled, state, earned, claimed, slashed, withdrawn
  assert.deepEqual([cells[1], cells[3], cells[4], cells[5], cells[6]], ['#0', 'filled', '148 IO', '148 IO', '0 IO']);
  await row.getByRole('button', { name: 'Chart' }).click();
  const chart = realized.getByTestId('earnings-chart');
  await chart.getByText('position #0').waitFor();
  assert.equal(await chart.locator('rect[fill="#2563eb"]').count(), 0, 'only the position’s part');
  await realized.scrollIntoViewIfNeeded();
  await screenshot(page, '31-costaker-realized-earnings');
  const text = await downloaded(page, realized.getByTestId('wallet-csv'));
  assert.ok(text.includes(',RewardsClaimed,'), 'the claim is in the wallet’s CSV');
});
