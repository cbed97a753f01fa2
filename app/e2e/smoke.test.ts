// The harness itself: the world starts and is seeded as app-world says, the app is served, the
// test wallet reaches a Wallet Standard app, and the wallet's Node-side signer signs correctly.
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  AccountRole,
  address,
  appendTransactionMessageInstruction,
  compileTransaction,
  createTransactionMessage,
  getBase58Decoder,
  getTransactionEncoder,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Blockhash,
} from '@solana/kit';
import { appDir, chainTime, cli, keypairSigner, openApp, screenshot, signerSlot, signRequests, startWorld, testWalletName, waitUntil, type World } from './harness.ts';

let world: World | undefined;

before(async () => {
  world = await startWorld();
}, { timeout: 600_000 });

after(async () => {
  await world?.stop();
});

/** The started world (the `before` hook failed when there is none). */
function theWorld(): World {
  assert.ok(world, 'the world did not start');
  return world;
}

/** Whether the app has its page yet (it is being written alongside these tests). */
const appExists = existsSync(path.join(appDir, 'index.html'));

test('the seeded devices and the open offer are on chain', async () => {
  const w = theWorld();
  assert.equal(w.devices.length, 3);
  // the reads are independent: the CLI runs them at once
  const [statuses, market, owner] = await Promise.all([
    Promise.all(w.devices.map((device) => cli(w, device.ownerWallet, ['status', device.address]))),
    cli(w, 'costaker', ['costaker', 'offers']),
    cli(w, 'owner', ['status']),
  ]);
  for (const [i, device] of w.devices.entries()) {
    const status = statuses[i]!;
    assert.equal(status.device, device.address);
    assert.equal(status.device_id, device.deviceId);
    assert.equal(status.owner, w.wallets[device.ownerWallet].address);
    assert.equal(status.gpu_count, device.gpus);
    assert.equal(status.min_required.base_units, device.minRequired);
    assert.equal(status.owner_stake.base_units, device.ownerStake);
  }
  const unstaked = w.devices.filter((d) => d.ownerWallet === 'owner');
  assert.deepEqual(unstaked.map((d) => [d.gpus, d.ownerStake]), [[1, 0], [8, 0]]);
  const offered = w.devices.find((d) => d.openOffer !== null);
  assert.ok(offered?.openOffer, 'one seeded device has an open offer');
  assert.deepEqual(
    market.offers.map((o: { offer: string; device: string }) => [o.offer, o.device]),
    [[offered.openOffer.address, offered.address]],
  );
  assert.equal(owner.token_balance.base_units, 50_000 * 10 ** w.decimals);
  assert.deepEqual(owner.devices.map((d: { device: string }) => d.device).sort(), unstaked.map((d) => d.address).sort());
  // R7: the big device is hired for about an hour
  const hired = unstaked.find((d) => d.gpus === 8);
  assert.ok(hired && hired.hiredUntil > (await chainTime(w)) + 3_000, 'the 8-GPU device is hired for an hour');
  // R31-R34: the announced changes wait about a day (the world's role change delay)
  assert.equal(w.announced.oracle, w.wallets.nextOracle.address);
  assert.equal(w.announced.maxRewardShareBps, 9_000);
  for (const at of [w.announced.paramsEffectiveAt, w.announced.oracleEffectiveAt]) {
    assert.ok(at > (await chainTime(w)) + 86_000, `announced for a day from now (${at})`);
  }
});

test('the Clock is read and waited for', async () => {
  const w = theWorld();
  const now = await chainTime(w);
  assert.ok(Math.abs(now - Date.now() / 1000) < 120, `the Clock (${now}) should be near the wall clock`);
  await waitUntil(w, now + 2);
  assert.ok((await chainTime(w)) >= now + 2);
});

test('the app page is served with a title', async (t) => {
  const w = theWorld();
  const response = await fetch(w.appUrl);
  if (!appExists) {
    t.skip('app/index.html does not exist yet: only the server was checked');
    return;
  }
  assert.equal(response.status, 200);
  assert.match(await response.text(), /<title>[^<]+<\/title>/);
});

test('the test wallet is offered to a Wallet Standard app', async (t) => {
  const w = theWorld();
  const { browser, page } = await openApp(w, 'owner');
  try {
    // What @wallet-standard/app's getWallets() does when an app starts after the wallet:
    // listen for register-wallet, then announce app-ready; the wallet registers in answer.
    const seen = await page.evaluate(() => {
      const wallets: { name: string; version: string; icon: string; chains: readonly string[]; features: Record<string, unknown>; accounts: readonly unknown[] }[] = [];
      const api = { register: (...registered: typeof wallets) => (wallets.push(...registered), () => undefined) };
      window.addEventListener('wallet-standard:register-wallet', (event) => (event as CustomEvent).detail(api));
      window.dispatchEvent(new CustomEvent('wallet-standard:app-ready', { detail: api }));
      return wallets.map((wallet) => ({
        name: wallet.name,
        version: wallet.version,
        icon: wallet.icon.slice(0, 26),
        chains: [...wallet.chains],
        features: Object.keys(wallet.features).sort(),
        accounts: wallet.accounts.length,
      }));
    });
    const ours = seen.filter((wallet) => wallet.name === testWalletName);
    assert.equal(ours.length, 1, `registered: ${JSON.stringify(seen)}`);
    assert.deepEqual(ours[0], {
      name: testWalletName,
      version: '1.0.0',
      icon: 'data:image/svg+xml;base64,',
      chains: ['solana:localnet'],
      features: ['solana:signTransaction', 'standard:connect', 'standard:disconnect', 'standard:events'],
      accounts: 0,
    });

    if (!appExists) {
      t.diagnostic('app/index.html does not exist yet: the Connect UI was not checked');
      return;
    }
    const connect = page.getByRole('button', { name: 'Connect wallet' });
    const hasConnect = await connect.waitFor({ timeout: 20_000 }).then(() => true, () => false);
    if (!hasConnect) {
      await screenshot(page, 'smoke-no-connect-button');
      t.diagnostic('the app has no "Connect wallet" button yet: the Connect UI was not checked');
      return;
    }
    await connect.click();
    const listed = page.getByRole('menuitem', { name: testWalletName }).or(page.getByRole('button', { name: testWalletName }));
    const shown = await listed.waitFor({ timeout: 10_000 }).then(() => true, () => false);
    await screenshot(page, 'smoke-connect-menu');
    assert.ok(shown, `the wallet menu should list "${testWalletName}" (see e2e/screenshots/smoke-connect-menu.png)`);
  } finally {
    await browser.close();
  }
});

test('the wallet signs in Node with its keypair, in its own slot, and refuses others', async () => {
  const w = theWorld();
  const { browser, page } = await openApp(w, 'costaker');
  try {
    const costaker = address(w.wallets.costaker.address);
    const owner2 = address(w.wallets.owner2.address);
    const blockhash = getBase58Decoder().decode(new Uint8Array(32).fill(7)) as Blockhash;
    /** A wire transaction of `version` paid by `payer`, with `other` as a second signer. */
    const wire = (version: 0 | 'legacy', payer: typeof costaker, other: typeof costaker) =>
      getTransactionEncoder().encode(
        compileTransaction(
          pipe(
            createTransactionMessage({ version }),
            (m) => setTransactionMessageFeePayer(payer, m),
            (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash, lastValidBlockHeight: 1n }, m),
            (m) =>
              appendTransactionMessageInstruction(
                {
                  programAddress: address('11111111111111111111111111111111'),
                  accounts: [{ address: other, role: AccountRole.WRITABLE_SIGNER }],
                  data: new Uint8Array([2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]),
                },
                m,
              ),
          ),
        ),
      ) as Uint8Array;
    const cases = [wire(0, owner2, costaker), wire('legacy', costaker, owner2)];
    const refused = wire(0, owner2, owner2);

    /** Asks the page's wallet to sign `transactions`, as an app does; the signed bytes or the error. */
    const signInPage = (transactions: Uint8Array[]) =>
      page.evaluate(async ({ walletName, transactions }) => {
        let wallet: any;
        const api = { register: (w: any) => ((wallet = w.name === walletName ? w : wallet), () => undefined) };
        window.dispatchEvent(new CustomEvent('wallet-standard:app-ready', { detail: api }));
        const { accounts } = await wallet.features['standard:connect'].connect();
        try {
          const outputs = await wallet.features['solana:signTransaction'].signTransaction(
            ...transactions.map((t) => ({ account: accounts[0], chain: 'solana:localnet', transaction: new Uint8Array(t) })),
          );
          return { signed: outputs.map((o: { signedTransaction: Uint8Array }) => Array.from(o.signedTransaction)), error: null };
        } catch (error) {
          return { signed: [], error: String(error) };
        }
      }, { walletName: testWalletName, transactions: transactions.map((t) => Array.from(t)) });

    const { signed, error } = await signInPage(cases);
    assert.equal(error, null);
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(keypairSigner(w.wallets.costaker.keypair).publicKey).toString('base64url') },
      format: 'jwk',
    });
    const ownKey = keypairSigner(w.wallets.costaker.keypair).publicKey;
    for (const [i, original] of cases.entries()) {
      const result: Uint8Array = Uint8Array.from(signed[i] ?? []);
      const { messageOffset, slot, slotOffset } = signerSlot(original, ownKey);
      assert.equal(slot, i === 0 ? 1 : 0, 'the signature goes into the wallet account slot');
      const signature = result.subarray(slotOffset, slotOffset + 64);
      assert.ok(verify(null, original.subarray(messageOffset), publicKey, signature), `signature ${i} verifies`);
      const untouched: Uint8Array = Uint8Array.from(result);
      untouched.fill(0, slotOffset, slotOffset + 64);
      assert.deepEqual(untouched, original, 'nothing but the slot changed');
    }

    const refusal = await signInPage([refused]);
    assert.match(refusal.error ?? '', /not a required signer/);

    const requests = signRequests(page);
    assert.equal(requests.length, 3, 'three transactions were put to the wallet');
    assert.deepEqual(requests.map((r) => r.error === null), [true, true, false]);
    assert.deepEqual(requests[0]?.transaction, cases[0]);
  } finally {
    await browser.close();
  }
});
