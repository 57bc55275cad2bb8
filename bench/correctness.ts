// The correctness column: which vectors does a decoder get wrong?
// Valid vector: wrong if the decoder throws/rejects or misreads 59, 54 or 63.
// Invalid vector: wrong if the decoder accepts it (no throw and, if it checks, "valid").
import type { BenchInputs, KeyValues } from './inputs.js';

export interface WrongVector {
  vector: string;
  kind: 'valid' | 'invalid';
  reason: string;
}

export interface Correctness {
  impl: string;
  checked: number;
  wrong: WrongVector[];
}

export type Decoder = (qr: string) => KeyValues | null;

const KEYS: ReadonlyArray<[keyof KeyValues, string]> = [
  ['merchantName', '59'],
  ['amount', '54'],
  ['crc', '63'],
];

function short(text: string, max = 100): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function describe(err: unknown): string {
  if (err instanceof Error) return short(`${err.name}: ${err.message}`);
  return short(String(err));
}

function show(v: string | undefined): string {
  return v === undefined ? '(none)' : JSON.stringify(v);
}

/** Runs `decode` and turns a throw into { error } so callers can tell rejection apart. */
function attempt(decode: Decoder, input: string): { values: KeyValues | null } | { error: unknown } {
  try {
    return { values: decode(input) };
  } catch (error) {
    return { error };
  }
}

export function checkDecoder(impl: string, decode: Decoder, inputs: BenchInputs): Correctness {
  const wrong: WrongVector[] = [];
  for (const v of inputs.valid) {
    const got = attempt(decode, v.input);
    if ('error' in got) {
      wrong.push({ vector: v.name, kind: 'valid', reason: `threw ${describe(got.error)}` });
    } else if (got.values === null) {
      wrong.push({ vector: v.name, kind: 'valid', reason: 'rejected a valid string' });
    } else {
      const values = got.values;
      const diffs = KEYS.filter(([key]) => values[key] !== v.reference[key]).map(
        ([key, tag]) => `${tag}: got ${show(values[key])}, want ${show(v.reference[key])}`,
      );
      if (diffs.length > 0)
        wrong.push({ vector: v.name, kind: 'valid', reason: short(diffs.join('; '), 200) });
    }
  }
  for (const v of inputs.invalid) {
    const got = attempt(decode, v.input);
    if (!('error' in got) && got.values !== null) {
      wrong.push({ vector: v.name, kind: 'invalid', reason: `accepted (expected ${v.expectedCode})` });
    }
  }
  return { impl, checked: inputs.valid.length + inputs.invalid.length, wrong };
}

/** Table cell: "2/31: name-a, name-b" with the list cut after a few names. */
export function wrongCell(c: Correctness, maxNames = 3): string {
  const names = c.wrong.map((w) => w.vector);
  const head = `${names.length}/${c.checked}`;
  if (names.length === 0) return head;
  const listed = names.slice(0, maxNames).join(', ');
  const more = names.length > maxNames ? `, … +${names.length - maxNames}` : '';
  return `${head}: ${listed}${more}`;
}
