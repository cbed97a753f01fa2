// The owner's tools above the device cards: register a device from a registration file the oracle
// co-signed (R3), accept a device another owner hands over (R19), and batch actions over every
// device (stake each to its minimum, withdraw every ripe ticket, withdraw every device's rewards),
// packed into as few transactions as fit, each simulated before the wallet is asked.
import type { Address } from '@solana/kit';
import { useState } from 'react';
import { useApp } from '../context';
import { acceptDeviceIx, ownerRewardItems, stakeToMinimumItems, withdrawTicketItems } from '../lib/actions';
import { formatBps, formatUtc, shortAddress, shortDeviceId } from '../lib/format';
import { devicesOfferedTo } from '../lib/lifecycle';
import type { DeviceBundle } from '../lib/load';
import { type CheckedRegistration, checkRegistration } from '../lib/registration';
import { prebuilt } from '../lib/send';
import { useLoad } from '../lib/useLoad';
import { type BatchPlan, useBatch } from './Batch';
import { Tokens, useTokenText } from './bits';
import './owner.css';

/** Slots a block lives for after its blockhash (how long a co-signed file can be sent at most). */
const BLOCKHASH_LIFETIME = 150n;

/** A registration file: pick it, read what it registers, sign and send it unchanged. */
export function RegisterFromFile() {
  const { rpc, config, wallet, run, busy } = useApp();
  const [checked, setChecked] = useState<CheckedRegistration | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [input, setInput] = useState(0);
  if (!wallet) return null;
  const read = async (file: File | undefined) => {
    setChecked(null);
    setProblem(null);
    if (!file) return;
    try {
      setChecked(await checkRegistration(await file.text(), wallet as Address, config));
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };
  const register = async (r: CheckedRegistration) => {
    const name = shortDeviceId(r.deviceId);
    const sent = await run({
      label: `Register device ${name}`,
      // the transaction as the oracle signed it: never rebuilt, only the owner's signature is added
      build: async () => prebuilt(r.wire, (await rpc.getBlockHeight({ commitment: 'confirmed' }).send()) + BLOCKHASH_LIFETIME),
      done: `Registered device ${name}; stake its minimum to make it earn`,
    });
    if (sent) {
      setChecked(null);
      setInput((k) => k + 1);
    }
  };
  return (
    <div className="panel owner-tool" data-testid="register-device">
      <h3>Register a device</h3>
      <p className="muted">
        The network’s oracle attests the device’s hardware and signs its registration first (<code>device-staking operator cosign-registration</code>). Open the file it gave you: you sign
        second and pay the rent of the device and its two vaults.
      </p>
      <div className="field">
        <label htmlFor="registration-file">Co-signed registration file</label>
        <input key={input} id="registration-file" type="file" accept=".json,application/json" onChange={(e) => read(e.target.files?.[0])} />
      </div>
      {problem && (
        <p className="why" role="alert" data-testid="registration-problem">
          {problem}
        </p>
      )}
      {checked && (
        <div className="form confirm" data-testid="registration-summary">
          <p>
            Device <code>{checked.deviceIdText}</code> at <code title={checked.device}>{shortAddress(checked.device)}</code>: {checked.gpuCount} GPU{checked.gpuCount === 1 ? '' : 's'}, earning
            multiplier {checked.multiplierBps / 10_000}× ({formatBps(checked.multiplierBps)}), attested by the oracle <code title={checked.oracle}>{shortAddress(checked.oracle)}</code>.
          </p>
          <button disabled={busy} onClick={() => register(checked)}>
            Sign and register
          </button>
        </div>
      )}
    </div>
  );
}

/** Devices another owner proposed to hand to this wallet (R19), with Accept. */
export function OfferedDevices() {
  const { rpc, wallet, refreshKey, now, run, busy } = useApp();
  const { data } = useLoad(() => (wallet ? devicesOfferedTo(rpc, wallet as Address, now) : Promise.resolve([])), [wallet, refreshKey]);
  if (!data || data.length === 0) return null;
  return (
    <div className="panel owner-tool" data-testid="offered-devices">
      <h3>Devices handed to you</h3>
      {data.map((d) => {
        const name = shortDeviceId(d.data.deviceId);
        return (
          <div className="row" key={d.address} data-testid={`offered-${d.address}`}>
            <div>
              Device <code>{name}</code> ({d.data.gpuCount} GPU{d.data.gpuCount === 1 ? '' : 's'}, owner’s stake <Tokens amount={d.data.ownerStake} />) from <code title={d.data.owner}>{shortAddress(d.data.owner)}</code>; accept
              before {formatUtc(Number(d.data.transferExpiresAt))}. Its stake, unclaimed rewards and rents become yours; its co-stakers’ positions stay as they are.
            </div>
            <button
              disabled={busy}
              onClick={() => run({ label: `Accept device ${name}`, build: async (signer) => [await acceptDeviceIx(signer, d.address)], done: `Device ${name} is yours` })}
            >
              Accept device
            </button>
          </div>
        );
      })}
    </div>
  );
}

/** Batch actions over every device of the wallet. */
export function OwnerBatch({ bundles }: { bundles: DeviceBundle[] }) {
  const { config, now, busy } = useApp();
  const tokenText = useTokenText();
  const { start, outcome } = useBatch();
  const live = bundles.filter((b) => b.device.data.terminatedAt === 0n && b.device.data.unstakedAt === 0n);
  const short = live.flatMap((b) => {
    const target = b.status.minRequired > b.status.minInForce ? b.status.minRequired : b.status.minInForce;
    const shortBy = target - b.status.countedStake;
    return shortBy > 0n ? [{ device: b.device, label: shortDeviceId(b.device.data.deviceId), shortBy }] : [];
  });
  const ripe = bundles.flatMap((b) => {
    const t = b.status.ticket.__option === 'Some' ? b.status.ticket.value : null;
    return b.ticket && t && !t.held && now >= Number(t.unlockAt) ? [{ device: b.device, ticket: b.ticket, label: shortDeviceId(b.device.data.deviceId), amount: t.amount }] : [];
  });
  const rewards = bundles.flatMap((b) => (b.status.ownerRewards > 0n ? [{ device: b.device, rewards: b.status.ownerRewards, label: shortDeviceId(b.device.data.deviceId) }] : []));
  const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
  const plans: BatchPlan[] = [
    {
      title: `Stake each to its minimum (${short.length})`,
      label: 'Stake each device to its minimum',
      done: `Staked ${tokenText(sum(short.map((s) => s.shortBy)))}`,
      count: short.length,
      pays: false,
      items: (signer) => stakeToMinimumItems(signer, config, short),
    },
    {
      title: `Withdraw every ripe ticket (${ripe.length})`,
      label: 'Withdraw every ripe ticket',
      done: `Withdrew ${tokenText(sum(ripe.map((r) => r.amount)))} of unstaked stake`,
      count: ripe.length,
      pays: true,
      items: (signer) => withdrawTicketItems(signer, config, ripe),
    },
    {
      title: `Withdraw every device’s rewards (${rewards.length})`,
      label: 'Withdraw every device’s rewards',
      done: `Withdrew ${tokenText(sum(rewards.map((r) => r.rewards)))} of rewards`,
      count: rewards.length,
      pays: true,
      items: (signer) => ownerRewardItems(signer, config, rewards),
    },
  ];
  return (
    <div className="panel owner-tool" data-testid="owner-batch">
      <h3>All devices at once</h3>
      <p className="muted">As few transactions as fit (each checked with the program first); your wallet signs each one.</p>
      <div className="actions">
        {plans.map((plan) => (
          <button key={plan.label} className="secondary" disabled={busy || plan.count === 0} onClick={() => start(plan)}>
            {plan.title}
          </button>
        ))}
      </div>
      {short.length > 0 && (
        <p className="muted small-text">
          Short of their minimum: {short.map((s) => `${s.label} by ${tokenText(s.shortBy)}`).join(', ')}.
        </p>
      )}
      {outcome && <p data-testid="batch-outcome">{outcome}</p>}
    </div>
  );
}
