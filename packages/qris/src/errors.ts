import type { QrisIssue } from './types.js';

/**
 * Every error code `validate()` reports and `QrisError` carries. The list is stable:
 * codes are added, never renamed or removed. README.md documents each one.
 */
export const QRIS_ERROR_CODES = {
  // Input and TLV structure
  INVALID_INPUT: 'The input is not a non-empty string',
  INVALID_TAG: 'A tag is not two digits',
  INVALID_LENGTH: 'A length is not two digits',
  LENGTH_OVERFLOW: 'A length runs past the end of the input or of its template',
  EMPTY_VALUE: 'A data object has length 00',
  DUPLICATE_TAG: 'A tag appears twice at the same level',
  INVALID_CHARACTER:
    'A value outside the language template (64) holds a character other than printable ASCII',
  // Payload framing
  PAYLOAD_FORMAT_NOT_FIRST: 'Tag 00 is missing or not the first data object',
  INVALID_PAYLOAD_FORMAT: 'Tag 00 (payload format indicator) is not "01"',
  CRC_NOT_LAST: 'Tag 63 (CRC) is missing or not the last data object',
  INVALID_CRC_LENGTH: 'Tag 63 does not have length 04',
  INVALID_CRC_FORMAT: 'The CRC is not 4 uppercase hexadecimal digits',
  CRC_MISMATCH: 'The CRC does not match the CRC-16/CCITT-FALSE of the payload',
  // Mandatory QRIS data
  MISSING_TAG: 'A mandatory tag is missing',
  MISSING_MERCHANT_ACCOUNT: 'No merchant account template (26-51)',
  INVALID_POINT_OF_INITIATION: 'Tag 01 is not 11 (static) or 12 (dynamic)',
  INVALID_MCC: 'Tag 52 (merchant category code) is not 4 digits',
  INVALID_CURRENCY: 'Tag 53 (currency) is not 360 (IDR)',
  INVALID_COUNTRY: 'Tag 58 (country) is not ID',
  INVALID_MERCHANT_NAME: 'Tag 59 (merchant name) is not 1-25 characters',
  INVALID_MERCHANT_CITY: 'Tag 60 (merchant city) is not 1-15 characters',
  INVALID_POSTAL_CODE: 'Tag 61 (postal code) is not 1-10 characters',
  // Amount and tip
  INVALID_AMOUNT: 'Tag 54 (amount) is not digits with at most one ".", at most 13 characters, above zero',
  INVALID_TIP_INDICATOR: 'Tag 55 (tip indicator) is not 01, 02 or 03',
  MISSING_TIP_VALUE: 'Tag 55 is 02 without tag 56, or 03 without tag 57',
  UNEXPECTED_TIP_VALUE: 'Tag 56 is present without 55 = 02, or 57 without 55 = 03',
  INVALID_TIP_FIXED: 'Tag 56 (fixed tip) is not a valid amount',
  INVALID_TIP_PERCENTAGE: 'Tag 57 (tip percentage) is not a percentage between 00.01 and 99.99',
  // Templates and their sub-tags
  MISSING_GUID: 'A merchant account or unreserved template has no GUID (sub-tag 00)',
  INVALID_GUID: 'A GUID is malformed, or tag 51 does not carry ID.CO.QRIS.WWW',
  INVALID_PAN: 'A merchant PAN (sub-tag 01) is not 16-19 digits',
  INVALID_MERCHANT_ID: 'A merchant ID (sub-tag 02) is not 1-15 printable characters',
  MISSING_NMID: 'Tag 51 has no NMID (sub-tag 02)',
  INVALID_NMID: 'The NMID is not "ID" followed by 10-13 digits',
  INVALID_MERCHANT_CRITERIA: 'Merchant criteria (sub-tag 03) is not UMI, UKE, UME, UBE or URE',
  INVALID_ADDITIONAL_DATA: 'A sub-tag of the additional data template (62) is malformed',
  INVALID_LANGUAGE_TEMPLATE: 'The language template (64) is incomplete or malformed',
  // Operations
  ALREADY_DYNAMIC: 'The QRIS already has an amount; pass replaceAmount to replace it',
  INVALID_OPTION: 'An argument passed to a function is out of range',
} as const;

/** Warning codes: the string is valid, but probably not what was meant. */
export const QRIS_WARNING_CODES = {
  STATIC_WITH_AMOUNT: 'A static QRIS (01 = 11) carries an amount (54)',
  DYNAMIC_WITHOUT_AMOUNT: 'A dynamic QRIS (01 = 12) carries no amount (54)',
  RESERVED_TAG: 'A tag reserved for future use by EMVCo is present',
  POSTAL_CODE_FORMAT: 'Tag 61 is not a 5-digit Indonesian postal code',
} as const;

export type QrisErrorCode = keyof typeof QRIS_ERROR_CODES;
export type QrisWarningCode = keyof typeof QRIS_WARNING_CODES;

/** The one error class of @quickcart/qris. */
export class QrisError extends Error {
  override readonly name = 'QrisError';
  readonly code: QrisErrorCode;
  /** Innermost tag concerned, or null. */
  readonly tag: string | null;
  /** Full tag path such as "26.01", or null. */
  readonly path: string | null;
  /** Character offset in the input, or -1 when none applies. */
  readonly offset: number;
  /** Every error found, when the error comes from validation. */
  readonly issues: readonly QrisIssue[];

  constructor(
    code: QrisErrorCode,
    message: string,
    where: { tag?: string | null; path?: string | null; offset?: number; issues?: readonly QrisIssue[] } = {},
  ) {
    super(message);
    this.code = code;
    this.tag = where.tag ?? null;
    this.path = where.path ?? null;
    this.offset = where.offset ?? -1;
    this.issues = where.issues ?? [];
  }

  /** The error to throw for a failed validation: the first issue, carrying all of them. */
  static fromIssues(issues: readonly QrisIssue[]): QrisError {
    const first = issues[0];
    if (!first) throw new TypeError('QrisError.fromIssues needs at least one issue');
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    return new QrisError(first.code as QrisErrorCode, `${first.message}${more}`, { ...first, issues });
  }
}
