// Small pieces the pages share: amounts, countdowns, badges, stat boxes, the amount field.
import { type ReactNode, useId, useState } from 'react';
import { TOKEN_SYMBOL, useApp } from '../context';
import { formatDuration, formatTokens, formatUtc, parseTokens } from '../lib/format';

/** A token amount with the symbol. */
export function Tokens({ amount }: { amount: bigint }) {
  const { config } = useApp();
  return (
    <span className="tokens">
      {formatTokens(amount, config.mintDecimals)} <span className="symbol">{TOKEN_SYMBOL}</span>
    </span>
  );
}

/** "in 6 d 4 h (2026-12-09 14:03 UTC)", or `ripe` once the time has come. */
export function Countdown({ until, ripe = 'now' }: { until: number; ripe?: ReactNode }) {
  const { now } = useApp();
  const left = until - now;
  return (
    <span className="countdown" title={formatUtc(until)} data-until={until}>
      {left > 0 ? (
        <>
          in <strong>{formatDuration(left)}</strong> <span className="muted">({formatUtc(until)})</span>
        </>
      ) : (
        ripe
      )}
    </span>
  );
}

/** A coloured label. */
export function Badge({ tone, children }: { tone: 'good' | 'bad' | 'warn' | 'info' | 'muted'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A labelled figure. */
export function Stat({ label, children, hint }: { label: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{children}</div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  );
}

/** A token amount field with a label, the unit, an optional "max" button and a hint. */
export function AmountField(props: { label: string; value: string; onChange: (v: string) => void; max?: bigint; hint?: ReactNode; invalid?: string | null }) {
  const { config } = useApp();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="amount-input">
        <input id={id} inputMode="decimal" autoComplete="off" value={props.value} onChange={(e) => props.onChange(e.target.value)} placeholder="0" aria-invalid={!!props.invalid} />
        <span className="unit">{TOKEN_SYMBOL}</span>
        {props.max !== undefined && (
          <button type="button" className="link" onClick={() => props.onChange(plainTokens(props.max!, config.mintDecimals))}>
            max
          </button>
        )}
      </div>
      {props.invalid ? <div className="field-error">{props.invalid}</div> : props.hint && <div className="field-hint">{props.hint}</div>}
    </div>
  );
}

/** A token amount as typed in a field: no separators, every decimal kept. */
export function plainTokens(amount: bigint, decimals: number): string {
  return formatTokens(amount, decimals, decimals).replace(/,/g, '');
}

/** A token amount and the symbol, as text: "1,500 IO". */
export function useTokenText(): (amount: bigint) => string {
  const { config } = useApp();
  return (amount) => `${formatTokens(amount, config.mintDecimals)} ${TOKEN_SYMBOL}`;
}

/** An amount field's state: the text, the parsed amount (null when invalid) and why not. */
export function useAmountField(initial: bigint | null) {
  const { config } = useApp();
  const [text, setText] = useState(initial !== null && initial > 0n ? plainTokens(initial, config.mintDecimals) : '');
  const amount = parseTokens(text, config.mintDecimals);
  const invalid = text === '' ? null : amount === null ? 'Not an amount' : amount === 0n ? 'More than zero' : null;
  return { text, setText, amount: invalid ? null : amount, invalid };
}

/** A page section: its heading, a loading mark, and the load error if any. */
export function Section({ id, title, loading, error, what, children }: { id: string; title: string; loading: boolean; error: string | null; what: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <div className="section-head">
        <h1 id={id}>{title}</h1>
        {loading && <span className="muted">Loading…</span>}
      </div>
      {error && (
        <div className="panel error-panel">
          Could not load {what}: {error}
        </div>
      )}
      {children}
    </section>
  );
}
