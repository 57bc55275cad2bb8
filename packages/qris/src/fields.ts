import { isTemplateTag } from './tlv.js';
import type {
  AdditionalData,
  LanguageTemplate,
  MerchantAccount,
  QrisFields,
  QrisNationalAccount,
  Tip,
  TlvNode,
  UnreservedTemplate,
} from './types.js';

/** Names of the additional data sub-tags 01-09 (tag 62). */
export const ADDITIONAL_DATA_TAGS = {
  billNumber: '01',
  mobileNumber: '02',
  storeLabel: '03',
  loyaltyNumber: '04',
  referenceLabel: '05',
  customerLabel: '06',
  terminalLabel: '07',
  purposeOfTransaction: '08',
  consumerDataRequest: '09',
} as const satisfies Record<keyof Omit<AdditionalData, 'extra'>, string>;

const ADDITIONAL_DATA_NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(ADDITIONAL_DATA_TAGS).map(([name, tag]) => [tag, name]),
);

/** Sub-tags of a template as a map, with the ones named in `known` taken out into named properties. */
function splitChildren(node: TlvNode, known: Record<string, string>) {
  const named: Record<string, string> = {};
  const extra: Record<string, string> = {};
  let hasExtra = false;
  for (const child of node.children ?? []) {
    const name = known[child.tag];
    if (name !== undefined) named[name] = child.value;
    else {
      extra[child.tag] = child.value;
      hasExtra = true;
    }
  }
  return { named, extra: hasExtra ? extra : undefined };
}

const ACCOUNT_NAMES: Record<string, string> = {
  '00': 'guid',
  '01': 'pan',
  '02': 'merchantId',
  '03': 'criteria',
};
const QRIS_NAMES: Record<string, string> = { '00': 'guid', '02': 'nmid', '03': 'criteria' };
const LANGUAGE_NAMES: Record<string, string> = {
  '00': 'languagePreference',
  '01': 'merchantName',
  '02': 'merchantCity',
};
const GUID_NAMES: Record<string, string> = { '00': 'guid' };

function withExtra<T extends object>(
  named: Record<string, string>,
  extra: Record<string, string> | undefined,
): T {
  return (extra ? { ...named, extra } : named) as T;
}

function tipOf(
  indicator: string | undefined,
  fixed: string | undefined,
  percentage: string | undefined,
): Tip | undefined {
  if (indicator === '01') return { type: 'prompt' };
  if (indicator === '02' && fixed !== undefined) return { type: 'fixed', amount: fixed };
  if (indicator === '03' && percentage !== undefined) return { type: 'percentage', percentage };
  return undefined;
}

/**
 * The typed view of a decoded tree. Tags it does not know land in `other`; templates that did not
 * decode keep only what can be read. In a valid QRIS every mandatory property is present.
 */
export function toFields(tree: readonly TlvNode[]): Partial<QrisFields> {
  const fields: Partial<QrisFields> = {};
  const merchantAccounts: MerchantAccount[] = [];
  const unreserved: UnreservedTemplate[] = [];
  const other: Record<string, string> = {};
  let hasOther = false;
  let tipIndicator: string | undefined;
  let tipFixed: string | undefined;
  let tipPercentage: string | undefined;
  for (const node of tree) {
    const id = Number(node.tag);
    const value = node.value;
    if (id >= 26 && id <= 50 && node.children) {
      const { named, extra } = splitChildren(node, ACCOUNT_NAMES);
      merchantAccounts.push(withExtra<MerchantAccount>({ tag: node.tag, ...named }, extra));
      continue;
    }
    if (id >= 80 && node.children) {
      const { named, extra } = splitChildren(node, GUID_NAMES);
      unreserved.push(withExtra<UnreservedTemplate>({ tag: node.tag, ...named }, extra));
      continue;
    }
    if (!node.children && isTemplateTag(node.tag)) {
      other[node.tag] = value; // a template that did not decode (lenient mode): kept raw
      hasOther = true;
      continue;
    }
    switch (node.tag) {
      case '00':
        fields.payloadFormatIndicator = value;
        break;
      case '01':
        if (value === '11') fields.pointOfInitiation = 'static';
        else if (value === '12') fields.pointOfInitiation = 'dynamic';
        break;
      case '51': {
        const { named, extra } = splitChildren(node, QRIS_NAMES);
        fields.qris = withExtra<QrisNationalAccount>(named, extra);
        break;
      }
      case '52':
        fields.merchantCategoryCode = value;
        break;
      case '53':
        fields.currency = value;
        break;
      case '54':
        fields.amount = value;
        break;
      case '55':
        tipIndicator = value;
        break;
      case '56':
        tipFixed = value;
        break;
      case '57':
        tipPercentage = value;
        break;
      case '58':
        fields.countryCode = value;
        break;
      case '59':
        fields.merchantName = value;
        break;
      case '60':
        fields.merchantCity = value;
        break;
      case '61':
        fields.postalCode = value;
        break;
      case '62': {
        const { named, extra } = splitChildren(node, ADDITIONAL_DATA_NAMES);
        fields.additionalData = withExtra<AdditionalData>(named, extra);
        break;
      }
      case '63':
        fields.crc = value;
        break;
      case '64': {
        const { named, extra } = splitChildren(node, LANGUAGE_NAMES);
        fields.language = withExtra<LanguageTemplate>(named, extra);
        break;
      }
      default:
        other[node.tag] = value;
        hasOther = true;
    }
  }
  fields.merchantAccounts = merchantAccounts;
  const tip = tipOf(tipIndicator, tipFixed, tipPercentage);
  if (tip) fields.tip = tip;
  if (unreserved.length > 0) fields.unreservedTemplates = unreserved;
  if (hasOther) fields.other = other;
  return fields;
}
