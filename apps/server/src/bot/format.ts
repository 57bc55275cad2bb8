import { WIB_OFFSET_MS } from '../store/stats.js';

/** A whole number with Indonesian thousands separators. @example thousands(2500000) // '2.500.000' */
export function thousands(value: number): string {
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.trunc(Math.abs(value)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** Money as the bot shows it. @example rupiah(50000) // 'Rp 50.000' */
export function rupiah(amount: number): string {
  return `Rp ${thousands(amount)}`;
}

/** The time of day in WIB (UTC+7), HH:MM. @example wibTime(new Date('2025-01-01T07:05:00Z')) // '14:05' */
export function wibTime(date: Date): string {
  const local = new Date(date.getTime() + WIB_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** The date in WIB, DD/MM/YYYY. */
export function wibDate(date: Date): string {
  const local = new Date(date.getTime() + WIB_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`;
}

/** `text` cut to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
