// Human names of EMVCo/QRIS data objects, for the CLI's tables.

const TOP_LEVEL: Record<string, string> = {
  '00': 'Payload format indicator',
  '01': 'Point of initiation method',
  '51': 'QRIS national merchant account',
  '52': 'Merchant category code',
  '53': 'Transaction currency',
  '54': 'Transaction amount',
  '55': 'Tip or convenience indicator',
  '56': 'Convenience fee, fixed',
  '57': 'Convenience fee, percentage',
  '58': 'Country code',
  '59': 'Merchant name',
  '60': 'Merchant city',
  '61': 'Postal code',
  '62': 'Additional data',
  '63': 'CRC',
  '64': 'Merchant info, alternate language',
};

const MERCHANT_ACCOUNT: Record<string, string> = {
  '00': 'GUID',
  '01': 'Merchant PAN',
  '02': 'Merchant ID',
  '03': 'Merchant criteria',
};

const SUB_TAGS: Record<string, Record<string, string>> = {
  '51': { '00': 'GUID', '02': 'NMID', '03': 'Merchant criteria' },
  '62': {
    '01': 'Bill number',
    '02': 'Mobile number',
    '03': 'Store label',
    '04': 'Loyalty number',
    '05': 'Reference label',
    '06': 'Customer label',
    '07': 'Terminal label',
    '08': 'Purpose of transaction',
    '09': 'Consumer data request',
  },
  '64': { '00': 'Language preference', '01': 'Merchant name', '02': 'Merchant city' },
};

/** The name of a top-level tag. */
export function tagName(tag: string): string {
  const id = Number(tag);
  if (TOP_LEVEL[tag]) return TOP_LEVEL[tag];
  if (id >= 2 && id <= 25) return 'Merchant account (primitive)';
  if (id >= 26 && id <= 50) return 'Merchant account';
  if (id >= 65 && id <= 79) return 'Reserved for future use';
  if (id >= 80) return 'Unreserved template';
  return 'Unknown';
}

/** The name of a sub-tag inside the template `parent`. */
export function subTagName(parent: string, tag: string): string {
  const id = Number(parent);
  const names = id >= 26 && id <= 50 ? MERCHANT_ACCOUNT : id >= 80 ? { '00': 'GUID' } : SUB_TAGS[parent];
  return (
    names?.[tag as keyof typeof names] ??
    (parent === '62' && Number(tag) >= 50 ? 'Payment system specific' : 'Other')
  );
}
