// The owner's and the co-staker's stories, clicked through the app in headless Chromium with
// the test wallet, against solana-test-validator; every step's result is read back from the
// chain with the CLI, and the operators' steps (rewards, hardware, hold) go through it too.
// Windows are seconds long (migrations/params.localnet.toml: cover window 15 s, cooldown 30 s,
// longest hold 15 s).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { chainTime, cli, eventually, openApp, screenshot, signRequests, startWorld, testWalletName, waitUntil, type DeviceInfo, type World } from './harness.ts';

const IO = 1_000_000;
let world: World;
let owner: Page;
let costaker: Page;

before(async () => {
  world = await startWorld();
}, { timeout: 900_000 });

after(async () => {
  await world?.stop();
});

/** The seeded device of `wallet` with `gpus` GPUs. */
function device(wallet: 'owner' | 'owner2', gpus: number): DeviceInfo {
  const found = world.devices.find((d) => d.ownerWallet === wallet && d.gpus === gpus);
  assert.ok(found, `no seeded ${gpus}-GPU device of ${wallet}`);
  return found;
}

/** The device's state as the CLI reads it from the chain. */
async function status(d: DeviceInfo): Promise<Record<string, any>> {
  return cli(world, d.ownerWallet, ['status', d.address]);
}

/** Base units of a CLI amount. */
const units = (amount: { base_units: number }) => amount.base_units;

/** Connects the test wallet through the app's wallet menu. */
async function connectWallet(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('menuitem', { name: testWalletName }).click();
  await page.getByRole('button', { name: 'Disconnect' }).waitFor();
}

/** The card of device `d` on the owner's page. */
function card(page: Page, d: DeviceInfo): Locator {
  return page.getByRole('article', { name: `Device ${d.deviceId}` });
}

/** Waits for the success notice containing `text`. */
async function confirmed(page: Page, text: string | RegExp): Promise<void> {
  const notice = page.getByRole('status').filter({ hasText: text });
  await notice.waitFor({ timeout: 60_000 });
}

/** A wallet's token balance in base units, from the chain. */
async function tokens(wallet: 'owner' | 'costaker'): Promise<number> {
  const report = await cli(world, wallet, ['status', '--wallet', world.wallets[wallet].address]);
  return units(report.token_balance);
}

/** The row of the co-staker's position on device `d`. */
function positionRow(page: Page, d: DeviceInfo): Locator {
  return page.getByTestId('position').filter({ hasText: d.deviceId });
}

test('owner: connects, sees the announced changes and both devices short of their minimum, stakes one to its minimum', async () => {
  ({ page: owner } = await openApp(world, 'owner'));
  await owner.getByText('Connect a wallet').waitFor();
  // R31-R34: the changes the admin announced, with their times, before any wallet connects
  const changes = owner.getByTestId('config-changes');
  const oracle = changes.getByTestId('config-change').filter({ hasText: 'Oracle' });
  await oracle.getByText(world.announced.oracle.slice(0, 4), { exact: false }).waitFor();
  await oracle.getByText('waiting for the new key to accept').waitFor();
  const params = changes.getByTestId('config-change').filter({ hasText: 'Parameters' });
  await params.getByText('highest reward share 100% → 90%', { exact: false }).waitFor();
  await params.locator(`.countdown[data-until="${world.announced.paramsEffectiveAt}"]`).waitFor();
  await screenshot(owner, '01-before-connecting');
  await connectWallet(owner);
  const small = device('owner', 1);
  const big = device('owner', 8);
  await card(owner, small).waitFor();
  await card(owner, big).waitFor();
  for (const d of [small, big]) {
    await card(owner, d).getByText('Not earning', { exact: true }).waitFor();
    await card(owner, d).getByTestId('ineligible-reasons').getByText('nothing is staked').waitFor();
  }
  // R7: hired until a time the oracle chose
  await card(owner, big).getByText('Hired', { exact: true }).waitFor();
  await card(owner, big).getByText('hired until', { exact: false }).waitFor();
  await screenshot(owner, '02-owner-devices');

  const smallCard = card(owner, small);
  await smallCard.getByRole('button', { name: 'Stake', exact: true }).click();
  // the field starts at what the device lacks: its minimum
  assert.equal(await smallCard.getByLabel('Amount to stake').inputValue(), String(small.minRequired / IO));
  await screenshot(owner, '03-owner-stake-form');
  const asked = signRequests(owner).length;
  await smallCard.getByRole('button', { name: 'Confirm stake' }).click();
  await confirmed(owner, `Staked ${small.minRequired / IO} IO on device ${small.deviceId}`);
  assert.equal(signRequests(owner).length, asked + 1, 'the wallet signed one transaction');
  await smallCard.getByText('Earning rewards').waitFor();
  const s = await status(small);
  assert.equal(units(s.owner_stake), small.minRequired);
  assert.equal(s.eligible, true);
});

test('owner: a refusal is explained before the wallet is asked', async () => {
  const big = device('owner', 8);
  const bigCard = card(owner, big);
  await bigCard.getByRole('button', { name: 'Stake', exact: true }).click();
  // 16,000 IO needed; the owner holds 50,000 minus the 200 staked: ask for more than that
  await bigCard.getByLabel('Amount to stake').fill('60000');
  const asked = signRequests(owner).length;
  await bigCard.getByRole('button', { name: 'Confirm stake' }).click();
  const alert = owner.getByRole('alert');
  await alert.getByText('your wallet was not asked to sign').waitFor();
  await alert.getByText('Your wallet does not hold that many tokens').waitFor();
  await screenshot(owner, '04-owner-refused-before-signing');
  assert.equal(signRequests(owner).length, asked, 'the wallet was not asked');
  assert.equal(units((await status(big)).owner_stake), 0, 'nothing moved');
  await bigCard.getByRole('button', { name: 'Stake', exact: true }).click();
});

test('owner: offers co-staking with the amount capped and a reward share', async () => {
  const small = device('owner', 1);
  const smallCard = card(owner, small);
  await smallCard.getByRole('button', { name: 'Offer co-staking' }).click();
  const amount = smallCard.getByLabel('Co-stake requested');
  // capped at 50% of the total stake: at most the owner's own 200
  assert.equal(await amount.inputValue(), '200');
  await amount.fill('250');
  await smallCard.getByText('At most 200 IO').waitFor();
  assert.equal(await smallCard.getByRole('button', { name: 'Create offer' }).isDisabled(), true);
  await amount.fill('100');
  await smallCard.getByRole('slider').fill('7400');
  await smallCard.getByText('Co-staker’s share of block rewards: 74%').waitFor();
  await smallCard.getByTestId('reward-estimate').getByText('you keep 26%', { exact: false }).waitFor();
  await screenshot(owner, '05-owner-offer-form');
  await smallCard.getByRole('button', { name: 'Create offer' }).click();
  await confirmed(owner, 'Offer of 100 IO at 74% is open in the marketplace');
  await smallCard.getByText('Waiting for a co-staker').waitFor();
  const offers = (await cli(world, 'costaker', ['costaker', 'offers'])).offers as Array<{ device: string; amount: { base_units: number }; reward_share_bps: number }>;
  const mine = offers.find((o) => o.device === small.address);
  assert.ok(mine, 'the offer is on chain');
  assert.equal(units(mine.amount), 100 * IO);
  assert.equal(mine.reward_share_bps, 7_400);
});

test('co-staker: the marketplace lists both offers; fills the owner’s', async () => {
  ({ page: costaker } = await openApp(world, 'costaker', '/#costaker'));
  await connectWallet(costaker);
  const rows = costaker.getByTestId('market-offer');
  await eventually('two offers in the marketplace', async () => (await rows.count()) === 2);
  const small = device('owner', 1);
  const row = rows.filter({ hasText: small.deviceId });
  await row.getByText('74%').waitFor();
  await row.getByText('100 IO').waitFor();
  await screenshot(costaker, '06-marketplace');
  await row.getByRole('button', { name: 'Fill', exact: true }).click();
  const confirm = costaker.getByTestId('fill-confirm');
  await confirm.getByText(`Co-stake 100 IO on device ${small.deviceId}?`).waitFor();
  await confirm.getByText('74%').waitFor();
  await screenshot(costaker, '07-fill-confirm');
  const before = await tokens('costaker');
  await confirm.getByRole('button', { name: 'Fill offer' }).click();
  await confirmed(costaker, `You co-stake 100 IO on device ${small.deviceId} at 74%`);
  const position = positionRow(costaker, small);
  await position.getByText('Earning', { exact: true }).waitFor();
  assert.equal(before - (await tokens('costaker')), 100 * IO);
  const s = await status(small);
  assert.equal(units(s.counted_stake), 300 * IO);
});

test('rewards: a block is paid, the co-staker claims 74%, the owner withdraws the overflow', async () => {
  const small = device('owner', 1);
  const start = await chainTime(world);
  await waitUntil(world, start + 2);
  const csv = path.join(tmpdir(), `rewards-${process.pid}.csv`);
  writeFileSync(csv, `${small.address},100\n`);
  await cli(world, 'rewardAuthority', ['operator', 'distribute-rewards', '--csv', csv, '--block-id', '1', '--block-start', String(start + 1)]);
  await costaker.reload();
  const position = positionRow(costaker, small);
  await position.getByText('74 IO').waitFor();
  await screenshot(costaker, '08-positions-with-rewards');
  const before = await tokens('costaker');
  await position.getByRole('button', { name: 'Claim' }).click();
  await confirmed(costaker, 'Claimed 74 IO');
  assert.equal((await tokens('costaker')) - before, 74 * IO);

  await owner.reload();
  const smallCard = card(owner, small);
  await smallCard.getByRole('button', { name: 'Withdraw overflow' }).click();
  // R12: the owner's 26 of rewards, plus the stake above the minimum now that the co-staker's
  // 100 counts (200 + 100 - 200), within the 50% co-stake cap: all of it is offered
  assert.equal(await smallCard.getByLabel('Amount to withdraw').inputValue(), '126');
  await smallCard.getByLabel('Amount to withdraw').fill('26');
  await screenshot(owner, '09-owner-withdraw-overflow');
  const ownerBefore = await tokens('owner');
  await smallCard.getByRole('button', { name: 'Confirm withdrawal' }).click();
  await confirmed(owner, 'Withdrew 26 IO to your wallet');
  assert.equal((await tokens('owner')) - ownerBefore, 26 * IO);
  assert.equal(units((await status(small)).owner_rewards), 0);
});

test('oracle raises the minimum: after the grace the co-staker’s position is filled but not earning, until the owner covers', async () => {
  const small = device('owner', 1);
  const before = await chainTime(world);
  await cli(world, 'oracle', ['operator', 'update-hardware', small.address, '--gpus', '2', '--multiplier-bps', '10000']);
  // R2: the device met its old minimum, so it is judged against it for one cover window
  await owner.reload();
  const smallCard = card(owner, small);
  await smallCard.getByText('new minimum', { exact: false }).waitFor();
  await smallCard.getByText('Earning rewards').waitFor();
  await waitUntil(world, before + world.params.coverWindowSecs + 2);

  // R5: counted 300 < 400: the position is filled, so it still counts, but it earns nothing
  await costaker.reload();
  const position = positionRow(costaker, small);
  await position.getByText('Not earning', { exact: true }).waitFor();
  await position.getByTestId('position-ineligible').getByText('counted stake is 100 IO short of the minimum', { exact: false }).waitFor();
  assert.equal(await position.getByText('Earning', { exact: true }).count(), 0, 'no "Earning" for a position that does not earn');
  await screenshot(costaker, '10-position-not-earning');
  assert.equal((await status(small)).eligible, false);

  await owner.reload();
  await smallCard.getByTestId('ineligible-reasons').getByText('counted stake is 100 IO short of the minimum').waitFor();
  await smallCard.getByRole('button', { name: 'Stake', exact: true }).click();
  // the field starts at what the device lacks
  assert.equal(await smallCard.getByLabel('Amount to stake').inputValue(), '100');
  await smallCard.getByRole('button', { name: 'Confirm stake' }).click();
  await confirmed(owner, `Staked 100 IO on device ${small.deviceId}`);
  await smallCard.getByText('Earning rewards').waitFor();
  await costaker.reload();
  await positionRow(costaker, small).getByText('Earning', { exact: true }).waitFor();
  assert.equal((await status(small)).eligible, true);
});

test('slash authority holds the device: both pages say until when, with what a slash could take; the co-staker’s exit is not held', async () => {
  const small = device('owner', 1);
  const until = (await chainTime(world)) + 12;
  await cli(world, 'slashAuthority', ['operator', 'hold', small.address, '--until', String(until)]);
  await owner.reload();
  const smallCard = card(owner, small);
  await smallCard.getByText('On hold', { exact: true }).waitFor();
  await smallCard.getByTestId('hold').getByText('Co-stakers’ exits are never held', { exact: false }).waitFor();
  // R40: at most 50% of the owner's 300 in any 30 days
  await smallCard.getByTestId('owner-slash-allowance').getByText('150 IO').waitFor();
  await screenshot(owner, '11-owner-device-on-hold');

  await costaker.reload();
  const position = positionRow(costaker, small);
  await position.getByTestId('position-hold').getByText('your exit is not held', { exact: false }).waitFor();
  // R40: at most 50% of the position's 100
  assert.equal((await position.locator('td').nth(5).innerText()).trim(), '50 IO');
  await screenshot(costaker, '12-position-on-held-device');
  await waitUntil(world, until);
});

test('co-staker: fills the second offer and cancels it; the wait is counted down', async () => {
  const other = device('owner2', 4);
  await costaker.reload();
  const row = costaker.getByTestId('market-offer').filter({ hasText: other.deviceId });
  await row.getByRole('button', { name: 'Fill', exact: true }).click();
  await costaker.getByTestId('fill-confirm').getByRole('button', { name: 'Fill offer' }).click();
  await confirmed(costaker, `on device ${other.deviceId}`);
  const position = positionRow(costaker, other);
  await position.getByRole('button', { name: 'Cancel' }).click();
  await confirmed(costaker, 'Cancelled');
  await position.getByText('Cancelled: wait period').waitFor();
  await position.locator('.countdown').first().waitFor();
  await screenshot(costaker, '13-position-cancelled');
  const s = await cli(world, 'costaker', ['status', other.address]);
  assert.equal(s.eligible, true, 'the cancelled stake still counts during the wait');
});

test('owner: unstakes after reading what happens to the co-staker; withdraws after the cooldown and releases the co-staker’s position to its escrow', async () => {
  const small = device('owner', 1);
  const other = device('owner2', 4);
  await owner.reload();
  const smallCard = card(owner, small);
  await smallCard.getByRole('button', { name: 'Unstake', exact: true }).click();
  const preview = smallCard.getByTestId('unstake-preview');
  await preview.getByText('stops counting now').waitFor();
  await preview.getByText(world.wallets.costaker.address.slice(0, 4)).waitFor();
  await preview.getByText('is unstaked with you', { exact: false }).waitFor();
  await screenshot(owner, '14-owner-unstake-preview');
  await preview.getByRole('button', { name: 'Unstake everything' }).click();
  await confirmed(owner, 'Unstaked: your ticket unlocks');
  const ticket = smallCard.getByTestId('ticket');
  await ticket.getByText('unlocks').waitFor();
  assert.equal(await ticket.getByRole('button', { name: 'Withdraw stake' }).isDisabled(), true, 'not before the cooldown');
  await screenshot(owner, '15-owner-ticket-countdown');
  const unlockAt = Number(await ticket.locator('.countdown').getAttribute('data-until'));

  await costaker.reload();
  await positionRow(costaker, small).getByText('Unstaked with the owner').waitFor();
  await screenshot(costaker, '16-position-unstaked-with-owner');

  await waitUntil(world, unlockAt);
  await owner.reload();
  await card(owner, small).getByTestId('ticket').getByText('ready to withdraw').waitFor();
  const ownerBefore = await tokens('owner');
  await card(owner, small).getByRole('button', { name: 'Withdraw stake' }).click();
  await confirmed(owner, 'Withdrew 300 IO to your wallet');
  assert.equal((await tokens('owner')) - ownerBefore, 300 * IO);

  // R16: anyone may release a ripe position: its tokens go to an escrow only the co-staker can empty
  const row = card(owner, small).getByTestId('offer-0');
  await row.getByText('Ripe: the co-staker can withdraw').waitFor();
  await row.getByRole('button', { name: 'Release' }).click();
  await confirmed(owner, 'Released 100 IO into the co-staker’s escrow; the slot is free');
  await row.waitFor({ state: 'detached' });
  await screenshot(owner, '17-owner-after-release');
  const after = await status(small);
  assert.equal(units(after.owner_stake), 0);
  assert.equal(units(after.counted_stake), 0);
  assert.deepEqual(after.positions ?? [], [], 'the slot is free');

  // the co-staker's other position, cancelled above, is ripe by now (cover window + cooldown)
  await waitUntil(world, (await chainTime(world)) + 1);
  await costaker.reload();
  const released = positionRow(costaker, small);
  await released.getByText('Released to escrow').waitFor();
  await positionRow(costaker, other).getByText('Ready to withdraw').waitFor();
  await screenshot(costaker, '18-costaker-escrow-and-ripe');
});

test('co-staker: withdraws the released escrow and the ripe position', async () => {
  const small = device('owner', 1);
  const other = device('owner2', 4);
  const before = await tokens('costaker');
  await positionRow(costaker, small).getByRole('button', { name: 'Withdraw' }).click();
  await confirmed(costaker, 'Withdrew 100 IO to your wallet');
  assert.equal((await tokens('costaker')) - before, 100 * IO);
  await positionRow(costaker, small).waitFor({ state: 'detached' });

  const middle = await tokens('costaker');
  await positionRow(costaker, other).getByRole('button', { name: 'Withdraw' }).click();
  await confirmed(costaker, 'Withdrew 800 IO to your wallet');
  assert.equal((await tokens('costaker')) - middle, 800 * IO);
  await positionRow(costaker, other).waitFor({ state: 'detached' });
  await costaker.getByText('You hold no co-stake positions').waitFor();
  await screenshot(costaker, '19-costaker-after-withdrawals');
});
