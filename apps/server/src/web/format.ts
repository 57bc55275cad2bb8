/**
 * Money and time as the checkout page shows them, without depending on the ICU data of the Node
 * build: integer rupiah with the language's thousands separator, and times in WIB (Asia/Jakarta,
 * UTC+7 all year: Indonesia has no daylight saving time).
 */
import type { Lang } from './messages.js';

/** WIB is UTC+7 without daylight saving time. */
const WIB_OFFSET_MS = 7 * 3_600_000;

const MONTHS: Readonly<Record<Lang, readonly string[]>> = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

/**
 * Integer rupiah: "Rp 50.000" in Indonesian, "Rp 50,000" in English.
 * @example formatRupiah(1250000, 'id') // 'Rp 1.250.000'
 */
export function formatRupiah(amount: number, lang: Lang): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(amount)));
  return `${sign}Rp ${digits.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'id' ? '.' : ',')}`;
}

/**
 * A moment in WIB: "15 Jan 2026, 17.30 WIB" (id) or "15 Jan 2026, 17:30 WIB" (en).
 * @example formatWib(new Date('2026-01-15T10:30:00Z'), 'id') // '15 Jan 2026, 17.30 WIB'
 */
export function formatWib(date: Date, lang: Lang): string {
  const wib = new Date(date.getTime() + WIB_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(wib.getUTCHours())}${lang === 'id' ? '.' : ':'}${pad(wib.getUTCMinutes())}`;
  return `${wib.getUTCDate()} ${MONTHS[lang][wib.getUTCMonth()]} ${wib.getUTCFullYear()}, ${clock} WIB`;
}

/**
 * Time left as the countdown shows it: "01:59:32", or "04:05" under an hour; "00:00" when past.
 * The page's script formats the same way (assets/checkout.js).
 */
export function formatCountdown(msLeft: number): string {
  const total = Math.max(0, Math.floor(msLeft / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const hours = Math.floor(total / 3600);
  const rest = `${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
  return hours > 0 ? `${pad(hours)}:${rest}` : rest;
}
