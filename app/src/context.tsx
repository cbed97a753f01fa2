// What every page shares: the RPC, the config, the chain's clock, the connected wallet, and
// `run`, which sends a transaction and reports its progress.
import type { Instruction, TransactionSigner } from '@solana/kit';
import { createContext, useContext } from 'react';
import type { Config } from './generated';
import type { AppRpc } from './lib/chain';

/** One action's transaction: a label for people and how to build its instructions. */
export interface Action {
  /** What it does, e.g. "Stake 1,000 IO on device 3f2a…". */
  label: string;
  /** Builds the instructions with the wallet's signer. */
  build: (signer: TransactionSigner) => Promise<Instruction[]>;
  /** Shown once it is confirmed. */
  done: string;
}

/** The app's shared state. */
export interface AppContextValue {
  /** The RPC connection. */
  rpc: AppRpc;
  /** The program's config on this cluster. */
  config: Config;
  /** The chain's clock now (unix seconds), ticking every second. */
  now: number;
  /** The connected wallet's address, if any. */
  wallet: string | null;
  /** Bumps after every confirmed transaction: pages reload on it. */
  refreshKey: number;
  /** Sends `action`; resolves true when it was confirmed. */
  run: (action: Action) => Promise<boolean>;
  /** Whether a transaction is under way (buttons wait). */
  busy: boolean;
}

export const AppContext = createContext<AppContextValue | null>(null);

/** The shared state (inside the app only). */
export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the app');
  return value;
}

/** Token amount formatting with the mint's decimals and the token's symbol. */
export const TOKEN_SYMBOL = import.meta.env.VITE_TOKEN_SYMBOL ?? 'IO';
