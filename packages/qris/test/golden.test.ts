// Golden vectors: byte-exact QRIS strings written by test/vectors/generate.py with an
// independent TLV writer and CRC (Python binascii.crc_hqx). Regenerate with
// `python3 packages/qris/test/vectors/generate.py`; never edit vectors.json by hand.
import { readFileSync } from 'node:fs';
import {
  crc16,
  parse,
  QRIS_ERROR_CODES,
  QRIS_WARNING_CODES,
  QrisError,
  serialize,
  validate,
} from '@quickcart/qris';
import { describe, expect, it } from 'vitest';

interface ValidVector {
  name: string;
  description: string;
  input: string;
  /** The typed view (QrisFields) as the generator derived it; compared with toMatchObject. */
  expected: Record<string, unknown>;
  /** Optional QrisFields properties that must not exist at all (not even as undefined). */
  absent: string[];
  warnings: string[];
}

interface InvalidVector {
  name: string;
  description: string;
  input: string;
  expectedCode: string;
  expectedPath?: string;
  /** Character offset of the tag concerned. */
  expectedOffset?: number;
}

interface VectorFile {
  valid: ValidVector[];
  invalid: InvalidVector[];
}

const vectors = JSON.parse(
  readFileSync(new URL('./vectors/vectors.json', import.meta.url), 'utf8'),
) as VectorFile;

/** Exempt from the coverage check: they come from operations, not from validating a string. */
const OPERATION_CODES = new Set(['ALREADY_DYNAMIC', 'INVALID_OPTION']);

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

const sorted = (codes: readonly string[]): string[] => [...codes].sort();

describe('crc16 (CRC-16/CCITT-FALSE over UTF-8)', () => {
  it('matches the standard check value', () => {
    expect(crc16('123456789')).toBe('29B1');
  });

  it('starts from 0xFFFF and hashes UTF-8 bytes, not UTF-16 units', () => {
    expect(crc16('')).toBe('FFFF');
    expect(crc16('A')).toBe('B915');
    expect(crc16('Café')).toBe('8FDF');
    expect(crc16('𠮷野家')).toBe('7A1B');
  });
});

describe('golden vector file', () => {
  it('holds enough vectors', () => {
    expect(vectors.valid.length).toBeGreaterThanOrEqual(15);
    expect(vectors.invalid.length).toBeGreaterThanOrEqual(15);
  });

  it("starts with Pakasir's documented dynamic QRIS", () => {
    const first = vectors.valid[0];
    expect(first?.input).toBe(
      '00020101021226610016ID.CO.SHOPEE.WWW01189360091800216005230208216005230303UME51440014ID.CO.QRIS.WWW' +
        '0215ID10243228429300303UME5204792953033605409100003.005802ID5907Pakasir6012KAB. KEBUMEN61055439262230519' +
        'SP25RZRATEQI2HQ65Q46304A079',
    );
    expect(first?.expected).toMatchObject({
      amount: '100003.00',
      qris: { nmid: 'ID1024322842930' },
      crc: 'A079',
    });
  });

  it('uses only known error and warning codes', () => {
    const errorCodes = Object.keys(QRIS_ERROR_CODES);
    const warningCodes = Object.keys(QRIS_WARNING_CODES);
    for (const v of vectors.invalid) expect(errorCodes, v.name).toContain(v.expectedCode);
    for (const v of vectors.valid) for (const w of v.warnings) expect(warningCodes, v.name).toContain(w);
  });

  it('exercises every validation error code with at least one invalid vector', () => {
    const covered = new Set(vectors.invalid.map((v) => v.expectedCode));
    const missing = Object.keys(QRIS_ERROR_CODES).filter((c) => !OPERATION_CODES.has(c) && !covered.has(c));
    expect(missing).toEqual([]);
  });

  it('exercises every warning code with at least one valid vector', () => {
    const covered = new Set(vectors.valid.flatMap((v) => v.warnings));
    const missing = Object.keys(QRIS_WARNING_CODES).filter((c) => !covered.has(c));
    expect(missing).toEqual([]);
  });
});

describe.each(vectors.valid)('valid vector $name', (v) => {
  it('validates with exactly the expected warnings', () => {
    const result = validate(v.input);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(sorted(result.warnings.map((w) => w.code))).toEqual(sorted(v.warnings));
  });

  it('parses strictly to the expected fields', () => {
    const parsed = parse(v.input, { mode: 'strict' });
    expect(parsed.errors).toEqual([]);
    expect(sorted(parsed.warnings.map((w) => w.code))).toEqual(sorted(v.warnings));
    expect(parsed.fields).toMatchObject(v.expected);
    const keys = Object.keys(parsed.fields);
    for (const key of v.absent) expect(keys, `fields.${key} must be absent`).not.toContain(key);
  });

  it('parses the same way by default and in lenient mode', () => {
    const strict = parse(v.input, { mode: 'strict' });
    expect(parse(v.input).fields).toEqual(strict.fields);
    const lenient = parse(v.input, { mode: 'lenient' });
    expect(lenient.errors).toEqual([]);
    expect(lenient.fields).toEqual(strict.fields);
  });

  it('serializes its tree back byte for byte', () => {
    const { tree } = parse(v.input, { mode: 'strict' });
    expect(serialize(tree)).toBe(v.input);
  });

  it('carries the CRC of its payload', () => {
    const { fields } = parse(v.input, { mode: 'strict' });
    expect(crc16(v.input.slice(0, -4))).toBe(fields.crc);
    expect(fields.crc).toBe(v.input.slice(-4));
  });
});

describe.each(vectors.invalid)('invalid vector $name', (v) => {
  it(`is rejected by validate() with ${v.expectedCode}`, () => {
    const result = validate(v.input);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.code)).toContain(v.expectedCode);
    if (v.expectedPath !== undefined) {
      const where: Record<string, unknown> = { code: v.expectedCode, path: v.expectedPath };
      if (v.expectedOffset !== undefined) where.offset = v.expectedOffset;
      expect(result.errors).toContainEqual(expect.objectContaining(where));
    }
  });

  it('makes strict parse() throw a QrisError reported by validate()', () => {
    const error = thrownBy(() => parse(v.input, { mode: 'strict' }));
    expect(error).toBeInstanceOf(QrisError);
    const codes = validate(v.input).errors.map((e) => e.code);
    expect(codes).toContain((error as QrisError).code);
  });

  it('makes lenient parse() throw only a QrisError, or report the error', () => {
    let result: ReturnType<typeof parse> | undefined;
    const error = thrownBy(() => {
      result = parse(v.input, { mode: 'lenient' });
    });
    if (error !== undefined) {
      expect(error).toBeInstanceOf(QrisError);
    } else {
      expect(result?.errors.map((e) => e.code)).toContain(v.expectedCode);
    }
  });
});

describe('non-string input', () => {
  it.each([undefined, null, 42, {}])('rejects %j with INVALID_INPUT', (input) => {
    const result = validate(input as unknown as string);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.code)).toContain('INVALID_INPUT');
    const error = thrownBy(() => parse(input as unknown as string));
    expect(error).toBeInstanceOf(QrisError);
    expect((error as QrisError).code).toBe('INVALID_INPUT');
  });
});
