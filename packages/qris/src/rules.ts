// Value formats of QRIS data objects, shared by the validator and the builder.

export const QRIS_GUID = 'ID.CO.QRIS.WWW';
export const IDR_CURRENCY = '360';
export const INDONESIA = 'ID';

export const MERCHANT_CRITERIA: ReadonlySet<string> = new Set(['UMI', 'UKE', 'UME', 'UBE', 'URE']);

/** Digits with at most one ".", at most 13 characters, above zero (EMVCo 4.7.5, tags 54 and 56). */
export function isValidAmount(value: string): boolean {
  return value.length <= 13 && /^\d+(\.\d+)?$/.test(value) && /[1-9]/.test(value);
}

/** A tip percentage between 00.01 and 99.99 (tag 57). */
export function isValidPercentage(value: string): boolean {
  return value.length <= 5 && /^\d{1,2}(\.\d{1,2})?$/.test(value) && /[1-9]/.test(value);
}

/** Reverse domain name ("ID.CO.SHOPEE.WWW") or application identifier, at most 32 characters. */
export function isValidGuid(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(value);
}

export const isValidPan = (value: string): boolean => /^\d{16,19}$/.test(value);
export const isValidNmid = (value: string): boolean => /^ID\d{10,13}$/.test(value);
export const isValidMcc = (value: string): boolean => /^\d{4}$/.test(value);

/** Consumer data request (62.09): some of A (address), M (mobile), E (email), none twice. */
export function isValidConsumerDataRequest(value: string): boolean {
  return /^[AME]{1,3}$/.test(value) && new Set(value).size === value.length;
}

/** Printable ASCII, the EMVCo "ans" character set required outside the language template. */
export const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Any character but C0/C1 controls and DEL (the language template may hold any script). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what it refuses
export const NO_CONTROL_CHARS = /^[^\x00-\x1f\x7f-\x9f]*$/;
