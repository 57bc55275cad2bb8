// Flattens our typed build input into the ordered tag list that generic EMV builders take,
// so every peer builds exactly the payload that `build(fields)` builds.
import type { QrisBuildFields } from '@quickcart/qris';

export type SubTags = Array<[id: string, value: string]>;

/** One top-level data object: a primitive value, or a template given as its sub-tags. */
export type TopLevelTag = { id: string; value: string } | { id: string; sub: SubTags };

const ADDITIONAL_DATA_IDS = [
  ['billNumber', '01'],
  ['mobileNumber', '02'],
  ['storeLabel', '03'],
  ['loyaltyNumber', '04'],
  ['referenceLabel', '05'],
  ['customerLabel', '06'],
  ['terminalLabel', '07'],
  ['purposeOfTransaction', '08'],
  ['consumerDataRequest', '09'],
] as const;

function pushExtra(sub: SubTags, extra: Record<string, string> | undefined): SubTags {
  if (extra) for (const id of Object.keys(extra).sort()) sub.push([id, extra[id] ?? '']);
  return sub;
}

function optional(sub: SubTags, id: string, value: string | undefined): void {
  if (value !== undefined) sub.push([id, value]);
}

/** EMVCo order: 00, 01, 02-25, 26-51, 52-61, 62, 64, 65-79, 80-99 (the CRC is the builder's job). */
export function toTagList(f: QrisBuildFields): TopLevelTag[] {
  const tags: TopLevelTag[] = [
    { id: '00', value: '01' },
    { id: '01', value: f.pointOfInitiation === 'dynamic' ? '12' : '11' },
  ];
  const other = Object.keys(f.other ?? {}).sort();
  const otherTag = (id: string) => ({ id, value: f.other?.[id] ?? '' });
  for (const id of other) if (id < '26') tags.push(otherTag(id));
  for (const acc of f.merchantAccounts) {
    const sub: SubTags = [['00', acc.guid]];
    optional(sub, '01', acc.pan);
    optional(sub, '02', acc.merchantId);
    optional(sub, '03', acc.criteria);
    tags.push({ id: acc.tag, sub: pushExtra(sub, acc.extra) });
  }
  const qris: SubTags = [
    ['00', f.qris.guid ?? 'ID.CO.QRIS.WWW'],
    ['02', f.qris.nmid],
  ];
  optional(qris, '03', f.qris.criteria);
  tags.push({ id: '51', sub: pushExtra(qris, f.qris.extra) });
  tags.push({ id: '52', value: f.merchantCategoryCode }, { id: '53', value: f.currency });
  if (f.amount !== undefined) tags.push({ id: '54', value: f.amount });
  if (f.tip?.type === 'prompt') tags.push({ id: '55', value: '01' });
  if (f.tip?.type === 'fixed') tags.push({ id: '55', value: '02' }, { id: '56', value: f.tip.amount });
  if (f.tip?.type === 'percentage')
    tags.push({ id: '55', value: '03' }, { id: '57', value: f.tip.percentage });
  tags.push(
    { id: '58', value: f.countryCode },
    { id: '59', value: f.merchantName },
    { id: '60', value: f.merchantCity },
    { id: '61', value: f.postalCode },
  );
  if (f.additionalData) {
    const sub: SubTags = [];
    for (const [key, id] of ADDITIONAL_DATA_IDS) optional(sub, id, f.additionalData[key]);
    tags.push({ id: '62', sub: pushExtra(sub, f.additionalData.extra) });
  }
  if (f.language) {
    const sub: SubTags = [
      ['00', f.language.languagePreference],
      ['01', f.language.merchantName],
    ];
    optional(sub, '02', f.language.merchantCity);
    tags.push({ id: '64', sub: pushExtra(sub, f.language.extra) });
  }
  for (const id of other) if (id > '64') tags.push(otherTag(id));
  for (const t of f.unreservedTemplates ?? []) {
    tags.push({ id: t.tag, sub: pushExtra([['00', t.guid]], t.extra) });
  }
  return tags;
}
