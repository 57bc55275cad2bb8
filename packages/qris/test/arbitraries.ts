// fast-check generators of valid QRIS fields and of well-formed TLV trees.
import type { AdditionalData, QrisBuildFields, TlvNode } from '@quickcart/qris';
import fc from 'fast-check';

const printableChar = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const printable = (minLength: number, maxLength: number) =>
  fc.string({ unit: printableChar, minLength, maxLength });
const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
/** Printable ASCII plus Latin, CJK and astral characters: lengths count code points, the CRC UTF-8 bytes. */
const anyChar = fc.oneof(
  { weight: 4, arbitrary: printableChar },
  { weight: 1, arbitrary: fc.constantFrom('é', 'ü', '中', '文', '😀', '€', 'ß') },
);
export const anyText = (minLength: number, maxLength: number) =>
  fc.string({ unit: anyChar, minLength, maxLength });

const twoDigitTag = (min: number, max: number) =>
  fc.integer({ min, max }).map((id) => String(id).padStart(2, '0'));
const sortedUniqueTags = (min: number, max: number, maxLength: number) =>
  fc
    .uniqueArray(fc.integer({ min, max }), { maxLength })
    .map((ids) => ids.sort((a, b) => a - b).map((id) => String(id)));

const guid = fc.oneof(
  fc.constantFrom(
    'ID.CO.SHOPEE.WWW',
    'COM.GO-JEK.WWW',
    'ID.DANA.WWW',
    'ID.CO.BCA.WWW',
    'ID.CO.BRI.WWW',
    'ID.LINKAJA.WWW',
  ),
  fc.stringMatching(/^[A-Z][A-Z0-9]{0,7}(\.[A-Z0-9]{1,7}){1,3}$/),
);
const criteria = fc.constantFrom('UMI', 'UKE', 'UME', 'UBE', 'URE');
const amount = fc.oneof(
  fc.integer({ min: 1, max: 999_999_999 }).map(String),
  fc.tuple(fc.integer({ min: 1, max: 9_999_999 }), digits(2, 2)).map(([whole, cents]) => `${whole}.${cents}`),
);
/** One extra sub-tag of at most 10 characters keeps every template within 99 characters. */
const extra = (minTag: number) =>
  fc.dictionary(twoDigitTag(minTag, 99), printable(1, 10), { minKeys: 1, maxKeys: 1 });

const merchantAccount = (tag: string) =>
  fc.record(
    {
      tag: fc.constant(tag),
      guid,
      pan: digits(16, 19),
      merchantId: printable(1, 15),
      criteria,
      extra: extra(4),
    },
    { requiredKeys: ['tag', 'guid'] },
  );

const additionalData = fc
  .record(
    {
      billNumber: printable(1, 25),
      mobileNumber: fc.oneof(digits(8, 15), fc.constant('***')),
      storeLabel: printable(1, 25),
      referenceLabel: printable(1, 25),
      terminalLabel: printable(1, 25),
      purposeOfTransaction: printable(1, 25),
      consumerDataRequest: fc.constantFrom('A', 'M', 'E', 'AM', 'ME', 'AME', 'EMA'),
    },
    { requiredKeys: [] },
  )
  // At most three sub-tags so the template fits in 99 characters.
  .map((data): AdditionalData => Object.fromEntries(Object.entries(data).slice(0, 3)))
  .filter((data) => Object.keys(data).length > 0);

const tip = fc.oneof(
  fc.constant({ type: 'prompt' as const }),
  amount.map((value) => ({ type: 'fixed' as const, amount: value })),
  fc
    .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
    .filter(([whole, cents]) => whole + cents > 0)
    .map(([whole, cents]) => ({
      type: 'percentage' as const,
      percentage: `${String(whole).padStart(2, '0')}.${String(cents).padStart(2, '0')}`,
    })),
);

const language = fc.record(
  {
    languagePreference: fc.stringMatching(/^[a-z]{2}$/),
    merchantName: anyText(1, 25),
    merchantCity: anyText(1, 15),
  },
  { requiredKeys: ['languagePreference', 'merchantName'] },
);

/** Valid build() input, shaped like the typed view parse() returns (optional parts absent). */
export const validFields: fc.Arbitrary<QrisBuildFields> = fc
  .record({
    dynamic: fc.boolean(),
    accountTags: sortedUniqueTags(26, 45, 3),
    qrisCriteria: fc.option(criteria, { nil: undefined }),
    nmid: digits(10, 13).map((d) => `ID${d}`),
    merchantCategoryCode: digits(4, 4),
    amount,
    tip: fc.option(tip, { nil: undefined }),
    merchantName: printable(1, 25),
    merchantCity: printable(1, 15),
    postalCode: digits(5, 5),
    additionalData: fc.option(additionalData, { nil: undefined }),
    language: fc.option(language, { nil: undefined }),
    unreservedTags: sortedUniqueTags(80, 99, 2),
  })
  .chain((base) =>
    fc
      .tuple(
        fc.tuple(...base.accountTags.map(merchantAccount)),
        fc.tuple(
          ...base.unreservedTags.map((tag) =>
            fc.record({ tag: fc.constant(tag), guid, extra: extra(1) }, { requiredKeys: ['tag', 'guid'] }),
          ),
        ),
      )
      .map(([accounts, unreserved]) => {
        const fields: QrisBuildFields = {
          pointOfInitiation: base.dynamic ? 'dynamic' : 'static',
          merchantAccounts: accounts,
          qris: { nmid: base.nmid, ...(base.qrisCriteria && { criteria: base.qrisCriteria }) },
          merchantCategoryCode: base.merchantCategoryCode,
          currency: '360',
          countryCode: 'ID',
          merchantName: base.merchantName,
          merchantCity: base.merchantCity,
          postalCode: base.postalCode,
        };
        if (base.dynamic) fields.amount = base.amount;
        if (base.tip) fields.tip = base.tip;
        if (base.additionalData) fields.additionalData = base.additionalData;
        if (base.language) fields.language = base.language;
        if (unreserved.length > 0) fields.unreservedTemplates = unreserved;
        return fields;
      }),
  );

const TEMPLATE_TAG = (id: number) => (id >= 26 && id <= 51) || id === 62 || id === 64 || id >= 80;

const primitiveNode = (valueChars: number): fc.Arbitrary<TlvNode> =>
  fc.record({ tag: twoDigitTag(0, 99), value: anyText(0, valueChars) });

/** A well-formed TLV tree (any tags, any values): templates have children, other tags plain values. */
export const wellFormedTree: fc.Arbitrary<TlvNode[]> = fc.array(
  fc.integer({ min: 0, max: 99 }).chain((id): fc.Arbitrary<TlvNode> => {
    const tag = String(id).padStart(2, '0');
    if (!TEMPLATE_TAG(id)) return anyText(0, 40).map((value) => ({ tag, value }));
    // Up to 4 children of at most 20 characters: at most 96 characters in the template.
    return fc.array(primitiveNode(20), { minLength: 1, maxLength: 4 }).map((children) => ({
      tag,
      value: children.map((c) => c.tag + String([...c.value].length).padStart(2, '0') + c.value).join(''),
      children,
    }));
  }),
  { minLength: 1, maxLength: 12 },
);
