// Bench inputs: the golden vectors when they exist, else one real-world seed string.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A real static-with-amount QRIS (Shopee acquirer), used when no vectors exist yet. */
export const SEED_QRIS =
  '00020101021226610016ID.CO.SHOPEE.WWW01189360091800216005230208216005230303UME51440014ID.CO.QRIS.WWW0215ID10243228429300303UME5204792953033605409100003.005802ID5907Pakasir6012KAB. KEBUMEN61055439262230519SP25RZRATEQI2HQ65Q46304A079';

export const VECTORS_PATH = fileURLToPath(
  new URL('../packages/qris/test/vectors/vectors.json', import.meta.url),
);

/** The three values every decoder must get right for the correctness column. */
export interface KeyValues {
  merchantName: string | undefined;
  amount: string | undefined;
  crc: string | undefined;
}

export interface ValidVector {
  name: string;
  input: string;
  reference: KeyValues;
}

export interface InvalidVector {
  name: string;
  input: string;
  expectedCode: string;
}

export interface BenchInputs {
  source: string;
  valid: ValidVector[];
  invalid: InvalidVector[];
  /** Entries of vectors.json that were neither valid nor invalid vectors (reported, not used). */
  skipped: string[];
}

/**
 * Top-level TLV scan, only used to fill in reference values that `expected` leaves out.
 * EMVCo lengths count characters, so it walks code points, not UTF-16 units.
 */
export function scanTopLevel(input: string): Map<string, string> {
  const chars = Array.from(input);
  const tags = new Map<string, string>();
  let i = 0;
  while (i + 4 <= chars.length) {
    const len = Number(chars.slice(i + 2, i + 4).join(''));
    if (!Number.isInteger(len)) break;
    tags.set(chars.slice(i, i + 2).join(''), chars.slice(i + 4, i + 4 + len).join(''));
    i += 4 + len;
  }
  return tags;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Reference values of a valid vector: from `expected` (the QrisFields view, possibly partial)
 * where it has them, else read from the input itself, which for a valid vector is well-formed.
 */
function referenceOf(input: string, expected: Record<string, unknown>): KeyValues {
  const top = scanTopLevel(input);
  return {
    merchantName: str(expected.merchantName) ?? top.get('59'),
    amount: str(expected.amount) ?? top.get('54'),
    crc: str(expected.crc) ?? top.get('63'),
  };
}

export function loadInputs(): BenchInputs {
  if (!existsSync(VECTORS_PATH)) {
    return {
      source: `seed string (no ${VECTORS_PATH} yet)`,
      valid: [{ name: 'seed', input: SEED_QRIS, reference: referenceOf(SEED_QRIS, {}) }],
      invalid: [],
      skipped: [],
    };
  }
  const raw: unknown = JSON.parse(readFileSync(VECTORS_PATH, 'utf8'));
  // Either a flat array of vectors or { valid: [...], invalid: [...] }; each entry says what it is.
  const entries: unknown[] = Array.isArray(raw)
    ? raw
    : Object.values((raw ?? {}) as Record<string, unknown>).flatMap((v) => (Array.isArray(v) ? v : []));
  const inputs: BenchInputs = { source: VECTORS_PATH, valid: [], invalid: [], skipped: [] };
  entries.forEach((entry, index) => {
    const v = (entry ?? {}) as Record<string, unknown>;
    const name = str(v.name) ?? `#${index}`;
    const input = v.input;
    if (typeof input !== 'string') inputs.skipped.push(`${name}: input is not a string`);
    else if (typeof v.expectedCode === 'string') {
      inputs.invalid.push({ name, input, expectedCode: v.expectedCode });
    } else if (v.expected !== null && typeof v.expected === 'object') {
      inputs.valid.push({
        name,
        input,
        reference: referenceOf(input, v.expected as Record<string, unknown>),
      });
    } else inputs.skipped.push(`${name}: neither expected nor expectedCode`);
  });
  if (inputs.valid.length === 0) {
    inputs.valid.push({ name: 'seed', input: SEED_QRIS, reference: referenceOf(SEED_QRIS, {}) });
    inputs.source += ' (no valid vectors; seed string added)';
  }
  return inputs;
}
