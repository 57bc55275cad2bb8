/** One EMVCo data object: a two-digit tag, its value, and for templates the parsed sub-objects. */
export interface TlvNode {
  /** Two-digit ID, e.g. "59". */
  tag: string;
  /**
   * The value exactly as written. For a template this is the raw text of its sub-objects;
   * `serialize()` rebuilds it from `children` when they are present.
   */
  value: string;
  /** Sub-objects of a template (26-51, 62, 64, 80-99) whose value parsed as TLV. */
  children?: TlvNode[];
}

/** A merchant account information template, tags 26-50 (one per issuer/acquirer). */
export interface MerchantAccount {
  /** "26" … "50". */
  tag: string;
  /** Sub-tag 00: globally unique identifier, e.g. "ID.CO.SHOPEE.WWW" or an AID. */
  guid: string;
  /** Sub-tag 01: merchant PAN, 16-19 digits. */
  pan?: string;
  /** Sub-tag 02: merchant ID at the acquirer. */
  merchantId?: string;
  /** Sub-tag 03: merchant criteria, UMI | UKE | UME | UBE | URE. */
  criteria?: string;
  /** Any other sub-tags, keyed by their two-digit ID. */
  extra?: Record<string, string>;
}

/** Tag 51: the QRIS national repository entry that carries the NMID. */
export interface QrisNationalAccount {
  /** Sub-tag 00, always "ID.CO.QRIS.WWW". */
  guid: string;
  /** Sub-tag 02: National Merchant ID, e.g. "ID1024322842930". */
  nmid: string;
  /** Sub-tag 03: merchant criteria. */
  criteria?: string;
  extra?: Record<string, string>;
}

/** Tip or convenience fee (tags 55/56/57). */
export type Tip =
  | { type: 'prompt' } // 55 = 01: the payer's app asks for a tip
  | { type: 'fixed'; amount: string } // 55 = 02, fee in 56
  | { type: 'percentage'; percentage: string }; // 55 = 03, percentage in 57

/** Additional data field template, tag 62. */
export interface AdditionalData {
  billNumber?: string; // 01
  mobileNumber?: string; // 02
  storeLabel?: string; // 03
  loyaltyNumber?: string; // 04
  referenceLabel?: string; // 05
  customerLabel?: string; // 06
  terminalLabel?: string; // 07
  purposeOfTransaction?: string; // 08
  /** 09: any of "A" (address), "M" (mobile), "E" (email), each at most once. */
  consumerDataRequest?: string;
  /** Sub-tags 10-99, keyed by ID. */
  extra?: Record<string, string>;
}

/** Merchant information in an alternate language, tag 64. */
export interface LanguageTemplate {
  /** 00: ISO 639-1 code, e.g. "id" or "zh". */
  languagePreference: string;
  /** 01: merchant name in that language (may be non-ASCII). */
  merchantName: string;
  /** 02: merchant city in that language. */
  merchantCity?: string;
  extra?: Record<string, string>;
}

/** Unreserved templates, tags 80-99: sub-tag 00 is a GUID, the rest is private to its owner. */
export interface UnreservedTemplate {
  tag: string;
  guid: string;
  extra?: Record<string, string>;
}

/** The typed view of a QRIS string. Optional properties are absent, never `undefined`. */
export interface QrisFields {
  /** 00, always "01". */
  payloadFormatIndicator: string;
  /** 01: "11" is static (payer types the amount), "12" dynamic (one payment, amount included). */
  pointOfInitiation: 'static' | 'dynamic';
  /** 26-50, in the order they appear. */
  merchantAccounts: MerchantAccount[];
  /** 51. */
  qris: QrisNationalAccount;
  /** 52: ISO 18245 merchant category code, 4 digits. */
  merchantCategoryCode: string;
  /** 53: ISO 4217 numeric currency, "360" for rupiah. */
  currency: string;
  /** 54: the amount as written, e.g. "100003.00". Use `amountToRupiah()` for an integer. */
  amount?: string;
  /** 55-57. */
  tip?: Tip;
  /** 58: "ID". */
  countryCode: string;
  /** 59: 1-25 characters. */
  merchantName: string;
  /** 60: 1-15 characters. */
  merchantCity: string;
  /** 61. */
  postalCode: string;
  /** 62. */
  additionalData?: AdditionalData;
  /** 64. */
  language?: LanguageTemplate;
  /** 80-99. */
  unreservedTemplates?: UnreservedTemplate[];
  /** Any other tag (02-25 primitive merchant accounts, RFU 65-79), keyed by ID. */
  other?: Record<string, string>;
  /** 63: the CRC as written, 4 uppercase hex digits. */
  crc: string;
}

/** What `build()` takes: the typed view without the parts it computes itself. */
export type QrisBuildFields = Omit<QrisFields, 'crc' | 'payloadFormatIndicator' | 'qris'> & {
  /** Tag 51; `guid` defaults to "ID.CO.QRIS.WWW". */
  qris: Omit<QrisNationalAccount, 'guid'> & { guid?: string };
};

/** One problem found by `validate()`. */
export interface QrisIssue {
  /** Stable code from `QRIS_ERROR_CODES` (errors) or `QRIS_WARNING_CODES` (warnings). */
  code: string;
  /** The innermost tag concerned, e.g. "02" for the NMID; null when no tag applies. */
  tag: string | null;
  /** Full path of the tag, e.g. "51.02"; null when no tag applies. */
  path: string | null;
  /** Character offset in the input where the problem starts (of the tag, when there is one). */
  offset: number;
  /** What is wrong, for people. */
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: QrisIssue[];
  warnings: QrisIssue[];
}

export interface ParseOptions {
  /**
   * "strict" (default) throws a QrisError on the first validation error.
   * "lenient" only requires a readable top-level TLV structure and reports problems in `errors`.
   */
  mode?: 'strict' | 'lenient';
}

export interface ParsedQris<F = QrisFields> {
  /** Lossless, ordered TLV tree: `serialize(tree) === input`. */
  tree: TlvNode[];
  /** Typed view of the known tags. */
  fields: F;
  /** Empty in strict mode (it would have thrown). */
  errors: QrisIssue[];
  warnings: QrisIssue[];
}
