import { build, parse, QrisError, serialize, validate } from '@quickcart/qris';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyText, validFields, wellFormedTree } from './arbitraries.js';

describe('properties', () => {
  it('build → parse gives back the same fields', () => {
    fc.assert(
      fc.property(validFields, (fields) => {
        const qris = build(fields);
        const parsed = parse(qris);
        expect(parsed.errors).toEqual([]);
        const { crc, payloadFormatIndicator, qris: national, ...rest } = parsed.fields;
        const { qris: expectedNational, ...expectedRest } = fields;
        expect(payloadFormatIndicator).toBe('01');
        expect(crc).toBe(qris.slice(-4));
        expect(national).toEqual({ guid: 'ID.CO.QRIS.WWW', ...expectedNational });
        expect(rest).toEqual(expectedRest);
      }),
      { numRuns: 300 },
    );
  });

  it('serialize → parse gives back the identical tree, for any well-formed tree', () => {
    fc.assert(
      fc.property(wellFormedTree, (tree) => {
        const text = serialize(tree);
        expect(parse(text, { mode: 'lenient' }).tree).toEqual(tree);
        expect(serialize(parse(text, { mode: 'lenient' }).tree)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('any single-character corruption of a valid QRIS is reported invalid, and only QrisError is thrown', () => {
    const corruption = fc
      .tuple(validFields, fc.nat(), anyText(1, 1))
      .map(([fields, position, replacement]) => {
        const chars = [...build(fields)];
        const index = position % chars.length;
        return {
          original: chars[index],
          replacement,
          corrupted: [...chars.slice(0, index), replacement, ...chars.slice(index + 1)].join(''),
        };
      });
    fc.assert(
      fc.property(
        corruption.filter(({ original, replacement }) => original !== replacement),
        ({ corrupted }) => {
          const result = validate(corrupted);
          expect(result.valid).toBe(false);
          expect(() => parse(corrupted)).toThrow(QrisError);
          try {
            parse(corrupted, { mode: 'lenient' });
          } catch (error) {
            expect(error).toBeInstanceOf(QrisError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('validate never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(anyText(0, 120), fc.string()), (input) => {
        const result = validate(input);
        expect(typeof result.valid).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
