import { isTemplateId, tagId } from './tlv.js';
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

/** Sub-tag IDs of the named additional data fields (tag 62). */
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

const invert = (names: Record<string, string>): readonly (string | undefined)[] => {
  const byId: (string | undefined)[] = new Array(100).fill(undefined);
  for (const [name, tag] of Object.entries(names)) byId[tagId(tag)] = name;
  return byId;
};

// Property name of each sub-tag ID, per kind of template; undefined means "goes to extra".
const ACCOUNT_NAMES = invert({ guid: '00', pan: '01', merchantId: '02', criteria: '03' });
const QRIS_NAMES = invert({ guid: '00', nmid: '02', criteria: '03' });
const LANGUAGE_NAMES = invert({ languagePreference: '00', merchantName: '01', merchantCity: '02' });
const GUID_NAMES = invert({ guid: '00' });
const ADDITIONAL_DATA_NAMES = invert(ADDITIONAL_DATA_TAGS);

/** Copies a template's sub-tags onto `target` by name; unnamed ones go to `target.extra`. */
function readTemplate<T extends object>(
  node: TlvNode,
  names: readonly (string | undefined)[],
  target: Record<string, unknown>,
): T {
  let extra: Record<string, string> | undefined;
  for (const child of node.children as TlvNode[]) {
    const name = names[tagId(child.tag)];
    if (name !== undefined) {
      target[name] = child.value;
    } else {
      extra ??= {};
      extra[child.tag] = child.value;
    }
  }
  if (extra) target.extra = extra;
  return target as T;
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
 * The typed view of a decoded tree. Tags it does not know, and templates that did not decode,
 * land in `other`. In a valid QRIS every mandatory property is present.
 */
export function toFields(tree: readonly TlvNode[]): Partial<QrisFields> {
  const fields: Partial<QrisFields> = {};
  const merchantAccounts: MerchantAccount[] = [];
  let unreserved: UnreservedTemplate[] | undefined;
  let other: Record<string, string> | undefined;
  let tipIndicator: string | undefined;
  let tipFixed: string | undefined;
  let tipPercentage: string | undefined;
  for (const node of tree) {
    const id = tagId(node.tag);
    const value = node.value;
    if (isTemplateId(id) && !node.children) {
      other ??= {};
      other[node.tag] = value; // a template that did not decode (lenient mode): kept raw
    } else if (id >= 26 && id <= 50) {
      merchantAccounts.push(readTemplate<MerchantAccount>(node, ACCOUNT_NAMES, { tag: node.tag }));
    } else if (id >= 80) {
      unreserved ??= [];
      unreserved.push(readTemplate<UnreservedTemplate>(node, GUID_NAMES, { tag: node.tag }));
    } else {
      switch (id) {
        case 0:
          fields.payloadFormatIndicator = value;
          break;
        case 1:
          if (value === '11') fields.pointOfInitiation = 'static';
          else if (value === '12') fields.pointOfInitiation = 'dynamic';
          break;
        case 51:
          fields.qris = readTemplate<QrisNationalAccount>(node, QRIS_NAMES, {});
          break;
        case 52:
          fields.merchantCategoryCode = value;
          break;
        case 53:
          fields.currency = value;
          break;
        case 54:
          fields.amount = value;
          break;
        case 55:
          tipIndicator = value;
          break;
        case 56:
          tipFixed = value;
          break;
        case 57:
          tipPercentage = value;
          break;
        case 58:
          fields.countryCode = value;
          break;
        case 59:
          fields.merchantName = value;
          break;
        case 60:
          fields.merchantCity = value;
          break;
        case 61:
          fields.postalCode = value;
          break;
        case 62:
          fields.additionalData = readTemplate<AdditionalData>(node, ADDITIONAL_DATA_NAMES, {});
          break;
        case 63:
          fields.crc = value;
          break;
        case 64:
          fields.language = readTemplate<LanguageTemplate>(node, LANGUAGE_NAMES, {});
          break;
        default:
          other ??= {};
          other[node.tag] = value;
      }
    }
  }
  fields.merchantAccounts = merchantAccounts;
  const tip = tipOf(tipIndicator, tipFixed, tipPercentage);
  if (tip) fields.tip = tip;
  if (unreserved) fields.unreservedTemplates = unreserved;
  if (other) fields.other = other;
  return fields;
}
