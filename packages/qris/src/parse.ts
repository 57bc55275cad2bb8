import { QrisError } from './errors.js';
import { toFields } from './fields.js';
import type { ParsedQris, ParseOptions, QrisFields } from './types.js';
import { analyze } from './validate.js';

export { serialize } from './tlv.js';

/**
 * Decodes a QRIS string into a lossless TLV tree and a typed view.
 * Strict mode (the default) throws a `QrisError` for the first validation error; lenient mode
 * only needs a readable top-level structure and returns the problems in `errors`.
 * @example
 * const { fields } = parse(qris);
 * fields.amount;     // "100003.00"
 * fields.qris.nmid;  // "ID1024322842930"
 */
export function parse(input: string, options?: { mode?: 'strict' }): ParsedQris<QrisFields>;
export function parse(input: string, options: { mode: 'lenient' }): ParsedQris<Partial<QrisFields>>;
export function parse(input: string, options?: ParseOptions): ParsedQris<Partial<QrisFields>>;
export function parse(input: string, options: ParseOptions = {}): ParsedQris<Partial<QrisFields>> {
  const mode = options.mode ?? 'strict';
  if (mode !== 'strict' && mode !== 'lenient') {
    throw new QrisError(
      'INVALID_OPTION',
      `parse: mode must be "strict" or "lenient", got ${JSON.stringify(mode)}`,
    );
  }
  const { tree, errors, warnings } = analyze(input);
  if (!tree || (mode === 'strict' && errors.length > 0)) throw QrisError.fromIssues(errors);
  return { tree, fields: toFields(tree), errors, warnings };
}
