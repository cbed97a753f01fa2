import { type DependencyList, useEffect, useState } from 'react';

/** The result of an async load that reruns when `deps` change; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): { data: T | undefined; error: string | null; loading: boolean } {
  const [state, setState] = useState<{ data: T | undefined; error: string | null; loading: boolean }>({ data: undefined, error: null, loading: true });
  useEffect(() => {
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => !cancelled && setState({ data, error: null, loading: false }),
      (e: unknown) => !cancelled && setState((s) => ({ data: s.data, error: e instanceof Error ? e.message : String(e), loading: false })),
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
