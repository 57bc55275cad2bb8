import { formatAmount } from './amount.js';
import { crc16 } from './crc16.js';
import { QrisError } from './errors.js';
import { ADDITIONAL_DATA_TAGS } from './fields.js';
import { QRIS_GUID } from './rules.js';
import { encodeNode } from './tlv.js';
import type { QrisBuildFields, Tip } from './types.js';
import { analyze } from './validate.js';

type Entry = [tag: string, value: string];

/** A template's value from named sub-tags (name → sub-tag ID) and extra sub-tags, in ascending order. */
function template(path: string, values: object, names: Record<string, string>): string {
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (name === 'extra' || name === 'tag' || value === undefined) continue;
    const tag = names[name];
    if (tag === undefined)
      throw new QrisError('INVALID_OPTION', `${path}: unknown field ${JSON.stringify(name)}`);
    entries.push([tag, text(value, `${path}.${name}`)]);
  }
  const extra: unknown = (values as { extra?: unknown }).extra;
  if (extra !== undefined) {
    for (const [tag, value] of Object.entries(extra as Record<string, unknown>))
      entries.push([tag, text(value, `${path}.extra.${tag}`)]);
  }
  return encodeSorted(entries);
}

function encodeSorted(entries: Entry[]): string {
  entries.sort((a, b) => Number(a[0]) - Number(b[0]));
  let out = '';
  for (const [tag, value] of entries) out += encodeNode(tag, value);
  return out;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string')
    throw new QrisError('INVALID_OPTION', `${name} must be a string, got ${typeof value}`);
  return value;
}

const ACCOUNT_TAGS = { guid: '00', pan: '01', merchantId: '02', criteria: '03' };
const QRIS_TAGS = { guid: '00', nmid: '02', criteria: '03' };
const LANGUAGE_TAGS = { languagePreference: '00', merchantName: '01', merchantCity: '02' };
const GUID_TAGS = { guid: '00' };

/** Data objects 55-57 for a tip. */
export function tipEntries(tip: Tip): Entry[] {
  switch (tip.type) {
    case 'prompt':
      return [['55', '01']];
    case 'fixed':
      return [
        ['55', '02'],
        ['56', formatAmount(tip.amount, 'tip.amount')],
      ];
    case 'percentage':
      return [
        ['55', '03'],
        ['57', text(tip.percentage, 'tip.percentage')],
      ];
    default:
      throw new QrisError(
        'INVALID_OPTION',
        `tip.type must be prompt, fixed or percentage, got ${JSON.stringify((tip as Tip).type)}`,
      );
  }
}

/** Appends the CRC data object (6304 + CRC-16 of everything before it, "6304" included). */
export function withCrc(payload: string): string {
  const head = `${payload}6304`;
  return head + crc16(head);
}

/** Throws the first validation error of a string this package produced, if any. */
export function assertValid(qris: string): string {
  const { errors } = analyze(qris);
  if (errors.length > 0) throw QrisError.fromIssues(errors);
  return qris;
}

/**
 * Builds a QRIS string from the typed view: tags in ascending order, lengths and CRC computed.
 * The result is validated; a `QrisError` says what is missing or malformed.
 * @example
 * build({ pointOfInitiation: 'static', merchantAccounts: [], qris: { nmid: 'ID1024322842930' },
 *   merchantCategoryCode: '5812', currency: '360', countryCode: 'ID',
 *   merchantName: 'Warung Sari', merchantCity: 'JAKARTA', postalCode: '10110' })
 */
export function build(fields: QrisBuildFields): string {
  if (typeof fields !== 'object' || fields === null)
    throw new QrisError('INVALID_OPTION', 'build: fields must be an object');
  const initiation =
    fields.pointOfInitiation === 'dynamic' ? '12' : fields.pointOfInitiation === 'static' ? '11' : null;
  if (!initiation)
    throw new QrisError('INVALID_OPTION', 'pointOfInitiation must be "static" or "dynamic"', {
      tag: '01',
      path: '01',
    });
  const entries: Entry[] = [
    ['00', '01'],
    ['01', initiation],
    ['51', template('qris', { guid: QRIS_GUID, ...fields.qris }, QRIS_TAGS)],
    ['52', text(fields.merchantCategoryCode, 'merchantCategoryCode')],
    ['53', text(fields.currency, 'currency')],
    ['58', text(fields.countryCode, 'countryCode')],
    ['59', text(fields.merchantName, 'merchantName')],
    ['60', text(fields.merchantCity, 'merchantCity')],
    ['61', text(fields.postalCode, 'postalCode')],
  ];
  for (const account of fields.merchantAccounts ?? []) {
    entries.push([
      text(account.tag, 'merchantAccounts[].tag'),
      template(`merchantAccounts[${account.tag}]`, account, ACCOUNT_TAGS),
    ]);
  }
  if (fields.amount !== undefined) entries.push(['54', formatAmount(fields.amount)]);
  if (fields.tip) entries.push(...tipEntries(fields.tip));
  if (fields.additionalData)
    entries.push(['62', template('additionalData', fields.additionalData, ADDITIONAL_DATA_TAGS)]);
  if (fields.language) entries.push(['64', template('language', fields.language, LANGUAGE_TAGS)]);
  for (const unreserved of fields.unreservedTemplates ?? []) {
    entries.push([
      text(unreserved.tag, 'unreservedTemplates[].tag'),
      template(`unreservedTemplates[${unreserved.tag}]`, unreserved, GUID_TAGS),
    ]);
  }
  for (const [tag, value] of Object.entries(fields.other ?? {}))
    entries.push([tag, text(value, `other.${tag}`)]);
  return assertValid(withCrc(encodeSorted(entries)));
}
