// Amounts, percentages, times and durations as people read them.

/** `amount` base units of a mint with `decimals` as a decimal string with thousands separators. */
export function formatTokens(amount: bigint, decimals: number, maxFraction = 2): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  let fraction = (abs % scale).toString().padStart(decimals, '0').slice(0, maxFraction).replace(/0+$/, '');
  if (whole === 0n && fraction === '' && abs !== 0n && maxFraction > 0) {
    // a dust amount below the shown precision: show that it is not zero
    fraction = '0'.repeat(maxFraction - 1) + '1';
    return `${negative ? '-' : ''}<0.${fraction}`;
  }
  const wholeText = whole.toLocaleString('en-US');
  return `${negative ? '-' : ''}${wholeText}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Parses a token amount typed by a person ("1,500", "12.5") into base units; `null` when it is
 * not a number, negative, or has more decimals than the mint.
 */
export function parseTokens(text: string, decimals: number): bigint | null {
  const cleaned = text.trim().replace(/[,_\s]/g, '');
  const match = /^(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return null;
  const [, whole, fraction = ''] = match;
  if (fraction.length > decimals) return null;
  return BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

/** Basis points as a percentage: 7400 -> "74%", 1250 -> "12.5%". */
export function formatBps(bps: number): string {
  const percent = bps / 100;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(2).replace(/0+$/, '')}%`;
}

/** A duration in seconds as "6 d 4 h", "3 h 12 min", "45 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return `${minutes} min ${s % 60} s`;
  return `${s} s`;
}

/** A unix time as a UTC date and time: "2026-12-09 14:03 UTC". */
export function formatUtc(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An address shortened for tables: "Cwc5…ka6e". */
export function shortAddress(address: string): string {
  return address.length > 10 ? `${address.slice(0, 4)}…${address.slice(-4)}` : address;
}

/**
 * A device id (32 bytes) as the CLI prints it: the text when it is printable ASCII padded with
 * zeros, else hex; shortened past 20 characters.
 */
export function shortDeviceId(id: ArrayLike<number>): string {
  const bytes = Array.from(id);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const text = bytes.slice(0, end);
  if (text.length > 0 && text.every((b) => b >= 0x20 && b < 0x7f)) {
    const s = String.fromCharCode(...text);
    return s.length > 20 ? `${s.slice(0, 12)}…${s.slice(-6)}` : s;
  }
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}…${hex.slice(-4)}`;
}
