// Wallets through the Wallet Standard: discovery, connect, disconnect, and signing one
// transaction's wire bytes.
import { getWallets } from '@wallet-standard/app';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import { StandardConnect, StandardDisconnect, StandardEvents, type StandardConnectFeature, type StandardDisconnectFeature, type StandardEventsFeature } from '@wallet-standard/features';
import { SolanaSignAndSendTransaction, SolanaSignTransaction, type SolanaSignTransactionFeature } from '@solana/wallet-standard-features';

/** Wallets that can sign Solana transactions, or only sign and send them. */
export function solanaWallets(): Wallet[] {
  return getWallets()
    .get()
    .filter((w) => (SolanaSignTransaction in w.features || SolanaSignAndSendTransaction in w.features) && StandardConnect in w.features);
}

/** Calls `listener` whenever a wallet registers or unregisters; returns the unsubscribe. */
export function onWalletsChanged(listener: () => void): () => void {
  const wallets = getWallets();
  const offRegister = wallets.on('register', listener);
  const offUnregister = wallets.on('unregister', listener);
  return () => {
    offRegister();
    offUnregister();
  };
}

/** Where the last connected wallet's name is kept, to reconnect on the next visit. */
const LAST_WALLET_KEY = 'device-staking:wallet';

/** The wallet connected last time, if any. */
export function lastWalletName(): string | null {
  try {
    return localStorage.getItem(LAST_WALLET_KEY);
  } catch {
    return null;
  }
}

/** Remembers (or forgets, with null) the wallet to reconnect to. */
export function rememberWallet(name: string | null): void {
  try {
    if (name) localStorage.setItem(LAST_WALLET_KEY, name);
    else localStorage.removeItem(LAST_WALLET_KEY);
  } catch {
    // storage unavailable (private mode): reconnecting is a convenience only
  }
}

/**
 * Asks `wallet` for its accounts: the wallet shows its own prompt, or with `silent` answers only
 * if the site is already authorized (reconnecting on a later visit).
 */
export async function connectWallet(wallet: Wallet, silent = false): Promise<WalletAccount> {
  const { accounts } = await (wallet.features[StandardConnect] as StandardConnectFeature[typeof StandardConnect]).connect({ silent });
  const account = accounts.find((a) => a.features.includes(SolanaSignTransaction) || a.features.includes(SolanaSignAndSendTransaction)) ?? accounts[0];
  if (!account) throw new Error(`${wallet.name} shared no account`);
  return account;
}

/** Tells `wallet` the app is done with it, when it supports that. */
export async function disconnectWallet(wallet: Wallet): Promise<void> {
  const feature = wallet.features[StandardDisconnect] as StandardDisconnectFeature[typeof StandardDisconnect] | undefined;
  await feature?.disconnect();
}

/** Calls `listener` when the wallet's accounts change; returns the unsubscribe. */
export function onAccountsChanged(wallet: Wallet, listener: (accounts: readonly WalletAccount[]) => void): () => void {
  const events = wallet.features[StandardEvents] as StandardEventsFeature[typeof StandardEvents] | undefined;
  return events ? events.on('change', ({ accounts }) => accounts && listener(accounts)) : () => {};
}

/** Has the wallet sign a transaction (wire bytes) for `chain`; returns the signed wire bytes. */
export async function signWithWallet(wallet: Wallet, account: WalletAccount, transaction: Uint8Array, chain: `${string}:${string}`): Promise<Uint8Array> {
  const feature = wallet.features[SolanaSignTransaction] as SolanaSignTransactionFeature[typeof SolanaSignTransaction];
  const [signed] = await feature.signTransaction({ account, transaction, chain });
  return signed.signedTransaction;
}
