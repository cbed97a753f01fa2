import { describe, expect, it } from 'vitest';
import { formatBps, formatDuration, formatTokens, formatUtc, parseTokens, shortDeviceId } from './format';

describe('token amounts', () => {
  it('formats base units with the mint decimals and separators', () => {
    expect(formatTokens(16_000_000_000n, 6)).toBe('16,000');
    expect(formatTokens(1_234_567_891n, 6)).toBe('1,234.56');
    expect(formatTokens(500_000n, 6)).toBe('0.5');
    expect(formatTokens(0n, 6)).toBe('0');
    expect(formatTokens(7n, 0)).toBe('7');
  });
  it('never shows a non-zero dust amount as zero', () => {
    expect(formatTokens(1n, 6)).toBe('<0.01');
    expect(formatTokens(1_000_001n, 6)).toBe('1');
  });
  it('parses what people type and refuses the rest', () => {
    expect(parseTokens('1,500', 6)).toBe(1_500_000_000n);
    expect(parseTokens('12.5', 6)).toBe(12_500_000n);
    expect(parseTokens('.25', 6)).toBe(250_000n);
    expect(parseTokens('0.0000001', 6)).toBeNull();
    expect(parseTokens('-3', 6)).toBeNull();
    expect(parseTokens('abc', 6)).toBeNull();
    expect(parseTokens('', 6)).toBeNull();
    expect(parseTokens('.', 6)).toBeNull();
  });
  it('round-trips', () => {
    for (const amount of [0n, 1n, 999_999n, 123_456_789_012n]) {
      expect(parseTokens(formatTokens(amount, 6, 6).replace(/,/g, ''), 6)).toBe(amount);
    }
  });
});

describe('percentages, durations, dates', () => {
  it('shows basis points as percent', () => {
    expect(formatBps(7_400)).toBe('74%');
    expect(formatBps(1_250)).toBe('12.5%');
    expect(formatBps(1)).toBe('0.01%');
  });
  it('shows the two largest units of a duration', () => {
    expect(formatDuration(6 * 86_400 + 4 * 3_600 + 59)).toBe('6 d 4 h');
    expect(formatDuration(14 * 86_400)).toBe('14 d');
    expect(formatDuration(3 * 3_600 + 12 * 60)).toBe('3 h 12 min');
    expect(formatDuration(75)).toBe('1 min 15 s');
    expect(formatDuration(-5)).toBe('0 s');
  });
  it('prints UTC', () => {
    expect(formatUtc(0)).toBe('1970-01-01 00:00 UTC');
  });
  it('shows device ids as the CLI does: text when printable, else hex', () => {
    expect(shortDeviceId(new Uint8Array(32).fill(0xab))).toBe('abababab…abab');
    const text = new Uint8Array(32);
    text.set(new TextEncoder().encode('owner-8gpu'));
    expect(shortDeviceId(text)).toBe('owner-8gpu');
    expect(shortDeviceId(new TextEncoder().encode('a-very-long-device-name-0123456789'.slice(0, 32)))).toBe('a-very-long-…234567');
  });
});
