// The page frame: cluster and wallet in the header, the owner's and the co-staker's pages, and
// the transaction notices.
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ConfigChanges } from './components/ConfigChanges';
import { type Action, AppContext, type AppContextValue, TOKEN_SYMBOL } from './context';
import type { Config } from './generated';
import { chainOf, chainTime, connect, loadConfig, rpcUrl, tokenBalance } from './lib/chain';
import { formatTokens, shortAddress } from './lib/format';
import { RefusedError, type SendStage, send, walletSigner } from './lib/send';
import { connectWallet, disconnectWallet, lastWalletName, onAccountsChanged, onWalletsChanged, rememberWallet, solanaWallets } from './lib/wallet';
import { OwnerPage } from './pages/OwnerPage';
import { CostakerPage } from './pages/CostakerPage';

/** A transaction's progress or outcome, shown under the header. */
type Notice =
  | { kind: 'progress'; label: string; stage: SendStage }
  | { kind: 'done'; text: string; signature: string }
  | { kind: 'refused'; label: string; name: string; message: string; simulated: boolean }
  | { kind: 'error'; label: string; message: string };

const STAGE_TEXT: Record<SendStage, string> = {
  simulating: 'Checking with the program (simulation)…',
  signing: 'Waiting for your wallet to sign…',
  sending: 'Sending…',
  confirming: 'Waiting for confirmation…',
};

type Tab = 'owner' | 'costaker';

/** How often the pages reload what they show. */
const REFRESH_MS = 20_000;

export function App() {
  const url = useMemo(rpcUrl, []);
  const rpc = useMemo(() => connect(url), [url]);
  const chain = chainOf(url);
  const [config, setConfig] = useState<Config | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [clockOffset, setClockOffset] = useState(0);
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  const [wallets, setWallets] = useState<Wallet[]>(solanaWallets);
  const [picking, setPicking] = useState(false);
  const [connected, setConnected] = useState<{ wallet: Wallet; account: WalletAccount } | null>(null);
  const [balance, setBalance] = useState<bigint | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const [tab, setTab] = useState<Tab>(() => (window.location.hash === '#costaker' ? 'costaker' : 'owner'));

  useEffect(() => onWalletsChanged(() => setWallets(solanaWallets())), []);

  // the config and the chain's clock (countdowns follow the chain, not this computer)
  useEffect(() => {
    let cancelled = false;
    Promise.all([loadConfig(rpc), chainTime(rpc)])
      .then(([located, chainNow]) => {
        if (cancelled) return;
        setConfig(located?.data ?? null);
        setClockOffset(chainNow - Date.now() / 1000);
      })
      .catch((e: unknown) => !cancelled && setLoadError(`Cannot reach ${url}: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      cancelled = true;
    };
  }, [rpc, url, refreshKey]);

  useEffect(() => {
    const tick = () => setNow(Math.floor(Date.now() / 1000 + clockOffset));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [clockOffset]);

  // the connected wallet's token balance
  useEffect(() => {
    if (!connected || !config) return setBalance(null);
    tokenBalance(rpc, connected.account.address as never, config.mint, config.tokenProgram).then(setBalance, () => setBalance(null));
  }, [rpc, connected, config, refreshKey]);

  useEffect(() => {
    if (!connected) return;
    return onAccountsChanged(connected.wallet, (accounts) => {
      const account = accounts[0];
      setConnected(account ? { wallet: connected.wallet, account } : null);
    });
  }, [connected]);

  useEffect(() => {
    window.location.hash = tab;
  }, [tab]);

  // rewards, fills and unlocks happen without this page: reload what it shows every 20 s while
  // it is visible and no transaction is under way
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => {
      if (!busy && document.visibilityState === 'visible') setRefreshKey((k) => k + 1);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [busy]);

  // reconnect, silently, to the wallet used last time once it has registered
  useEffect(() => {
    const name = lastWalletName();
    const wallet = name ? wallets.find((w) => w.name === name) : undefined;
    if (!wallet || connected) return;
    connectWallet(wallet, true).then(
      (account) => setConnected((current) => current ?? { wallet, account }),
      () => rememberWallet(null),
    );
    // only when the wallets change: a disconnect must not reconnect
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wallets]);

  const pick = async (wallet: Wallet) => {
    setPicking(false);
    try {
      setConnected({ wallet, account: await connectWallet(wallet) });
      rememberWallet(wallet.name);
    } catch (e) {
      setNotice({ kind: 'error', label: `Connecting ${wallet.name}`, message: e instanceof Error ? e.message : String(e) });
    }
  };

  const disconnect = async () => {
    if (connected) await disconnectWallet(connected.wallet).catch(() => {});
    rememberWallet(null);
    setConnected(null);
  };

  const run = useCallback(
    async (action: Action): Promise<boolean> => {
      if (!connected) {
        setNotice({ kind: 'error', label: action.label, message: 'Connect a wallet first' });
        return false;
      }
      setBusy(true);
      try {
        const instructions = await action.build(walletSigner(connected.account));
        const signature = await send({ rpc, wallet: connected.wallet, account: connected.account, chain }, instructions, (stage) =>
          setNotice({ kind: 'progress', label: action.label, stage }),
        );
        setNotice({ kind: 'done', text: action.done, signature });
        setRefreshKey((k) => k + 1);
        return true;
      } catch (e) {
        if (e instanceof RefusedError) {
          setNotice({ kind: 'refused', label: action.label, name: e.refusal.name, message: e.refusal.message, simulated: e.simulated });
        } else {
          setNotice({ kind: 'error', label: action.label, message: e instanceof Error ? e.message : String(e) });
        }
        return false;
      } finally {
        setBusy(false);
      }
    },
    [connected, rpc, chain],
  );

  const value: AppContextValue | null = config
    ? { rpc, config, now, wallet: connected ? connected.account.address : null, refreshKey, run, busy }
    : null;

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>Device Staking</span>
        </div>
        <nav className="tabs" aria-label="Pages">
          <button className={tab === 'owner' ? 'tab active' : 'tab'} aria-current={tab === 'owner' ? 'page' : undefined} onClick={() => setTab('owner')}>
            My devices
          </button>
          <button className={tab === 'costaker' ? 'tab active' : 'tab'} aria-current={tab === 'costaker' ? 'page' : undefined} onClick={() => setTab('costaker')}>
            Co-staking
          </button>
        </nav>
        <div className="cluster" title={url}>
          <span className="dot" /> {chain.replace('solana:', '')}
        </div>
        <div className="wallet">
          {connected ? (
            <>
              <span className="wallet-balance">
                {balance !== null && config ? `${formatTokens(balance, config.mintDecimals)} ${TOKEN_SYMBOL}` : ''}
              </span>
              <span className="wallet-address" title={connected.account.address}>
                {connected.wallet.icon && <img src={connected.wallet.icon} alt="" width={18} height={18} />}
                {shortAddress(connected.account.address)}
              </span>
              <button className="secondary small" onClick={disconnect}>
                Disconnect
              </button>
            </>
          ) : (
            <div className="wallet-picker">
              <button onClick={() => setPicking((p) => !p)} aria-expanded={picking}>
                Connect wallet
              </button>
              {picking && (
                <div className="menu" role="menu">
                  {wallets.length === 0 && <div className="menu-empty">No Solana wallet found in this browser. Install Phantom, Solflare or Backpack.</div>}
                  {wallets.map((w) => (
                    <button key={w.name} role="menuitem" className="menu-item" onClick={() => pick(w)}>
                      <img src={w.icon} alt="" width={20} height={20} />
                      {w.name}
                    </button>
                  ))}
                </div>
              )}
            </div>
          )}
        </div>
      </header>

      {notice && <NoticeBar notice={notice} onClose={() => setNotice(null)} />}

      <main>
        {loadError && <div className="panel error-panel">{loadError}</div>}
        {!loadError && config === undefined && <div className="panel muted">Loading the program’s config…</div>}
        {config === null && (
          <div className="panel error-panel">
            The device staking program is not initialized on this cluster ({url}). Run the deploy step first (<code>migrations/deploy.sh</code>).
          </div>
        )}
        {value && (
          <AppContext.Provider value={value}>
            {config?.paused ? (
              <div className="panel warn-panel">
                The program is paused: staking, new offers and fills wait; cancelling, unstaking and withdrawals still work.
              </div>
            ) : null}
            <ConfigChanges />
            {!connected && tab === 'owner' && (
              <div className="intro-grid">
                <div className="panel intro">
                  <h2>Device owners</h2>
                  <p>
                    Stake for each of your GPU devices so they earn block rewards, invite a co-staker to put up part of the stake for a share of the rewards, and withdraw what is above the minimum at any time.
                  </p>
                  <p>
                    <strong>Connect a wallet</strong> to see your devices.
                  </p>
                </div>
                <div className="panel intro">
                  <h2>Co-stakers</h2>
                  <p>Put up part of a device’s stake and earn the share of its block rewards the owner offers. Cancel at any time.</p>
                  <button className="secondary" onClick={() => setTab('costaker')}>
                    Browse the marketplace
                  </button>
                </div>
              </div>
            )}
            {!connected && tab === 'costaker' && (
              <div className="panel intro">
                <strong>Connect a wallet</strong> to fill an offer and see your positions.
              </div>
            )}
            {tab === 'owner' ? <OwnerPage /> : <CostakerPage />}
          </AppContext.Provider>
        )}
      </main>
    </div>
  );
}

/** The transaction notice under the header. */
function NoticeBar({ notice, onClose }: { notice: Notice; onClose: () => void }) {
  switch (notice.kind) {
    case 'progress':
      return (
        <div className="notice notice-progress" role="status">
          <span className="spinner" aria-hidden /> <strong>{notice.label}</strong> — {STAGE_TEXT[notice.stage]}
        </div>
      );
    case 'done':
      return (
        <div className="notice notice-done" role="status">
          <span>✓ {notice.text}</span>
          <code className="signature" title={`transaction ${notice.signature}`}>
            {notice.signature.slice(0, 10)}…
          </code>
          <button className="link" onClick={onClose} aria-label="Dismiss">
            ×
          </button>
        </div>
      );
    case 'refused':
      return (
        <div className="notice notice-refused" role="alert">
          <div>
            <strong>{notice.label}</strong>: {notice.simulated ? 'the program would refuse this, so your wallet was not asked to sign.' : 'refused by the program.'}
            <div className="refusal">
              {notice.message} <code>{notice.name}</code>
            </div>
          </div>
          <button className="link" onClick={onClose} aria-label="Dismiss">
            ×
          </button>
        </div>
      );
    case 'error':
      return (
        <div className="notice notice-refused" role="alert">
          <div>
            <strong>{notice.label}</strong>: {notice.message}
          </div>
          <button className="link" onClick={onClose} aria-label="Dismiss">
            ×
          </button>
        </div>
      );
  }
}
