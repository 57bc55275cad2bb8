// Value formats of QRIS data objects, shared by the validator and the builder.

export const QRIS_GUID = 'ID.CO.QRIS.WWW';
export const IDR_CURRENCY = '360';
export const INDONESIA = 'ID';

export const MERCHANT_CRITERIA: ReadonlySet<string> = new Set(['UMI', 'UKE', 'UME', 'UBE', 'URE']);

// Hand-written scans instead of regular expressions: validation runs on every parse.

/** Whether `text` is `min` to `max` characters, all ASCII digits from `from` on. */
export function isDigits(text: string, min: number, max: number, from = 0): boolean {
  if (text.length < min || text.length > max) return false;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** Digits with at most one "." between them, at most 13 characters, above zero (tags 54 and 56). */
export function isValidAmount(value: string): boolean {
  const length = value.length;
  if (length === 0 || length > 13) return false;
  let dot = -1;
  let nonZero = false;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code === 46) {
      if (dot >= 0 || i === 0 || i === length - 1) return false;
      dot = i;
    } else if (code < 48 || code > 57) {
      return false;
    } else if (code !== 48) {
      nonZero = true;
    }
  }
  return nonZero;
}

/** A tip percentage between 00.01 and 99.99 (tag 57). */
export function isValidPercentage(value: string): boolean {
  return value.length <= 5 && /^\d{1,2}(\.\d{1,2})?$/.test(value) && /[1-9]/.test(value);
}

/** Reverse domain name ("ID.CO.SHOPEE.WWW") or application identifier, at most 32 characters. */
export function isValidGuid(value: string): boolean {
  if (value.length === 0 || value.length > 32) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const alphanumeric =
      (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    const separator = code === 46 || code === 45 || code === 95; // . - _
    if (!alphanumeric && (i === 0 || !separator)) return false;
  }
  return true;
}

export const isValidPan = (value: string): boolean => isDigits(value, 16, 19);
export const isValidNmid = (value: string): boolean => value.startsWith('ID') && isDigits(value, 12, 15, 2);
export const isValidMcc = (value: string): boolean => isDigits(value, 4, 4);

/** Consumer data request (62.09): some of A (address), M (mobile), E (email), none twice. */
export function isValidConsumerDataRequest(value: string): boolean {
  return /^[AME]{1,3}$/.test(value) && new Set(value).size === value.length;
}

/** Printable ASCII, the EMVCo "ans" character set required outside the language template. */
export const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Any character but C0/C1 controls and DEL (the language template may hold any script). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what it refuses
export const NO_CONTROL_CHARS = /^[^\x00-\x1f\x7f-\x9f]*$/;
