// Timestamps as Pakasir writes them (seed 001).

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * RFC 3339 in UTC with nanoseconds, as Pakasir's `expired_at`: "2025-09-19T01:18:49.678622564Z".
 * The clock has milliseconds; `subMillisecond` (0-999999) fills the last six digits.
 */
export function rfc3339Nanos(epochMs: number, subMillisecond: number): string {
  const iso = new Date(epochMs).toISOString(); // 2025-09-19T01:18:49.678Z
  return `${iso.slice(0, -1)}${String(subMillisecond).padStart(6, '0')}Z`;
}

/** Western Indonesian Time with milliseconds, as Pakasir's `completed_at`: "2025-09-10T08:07:02.819+07:00". */
export function wibTimestamp(epochMs: number): string {
  return `${new Date(epochMs + WIB_OFFSET_MS).toISOString().slice(0, -1)}+07:00`;
}
