// Typings for the CommonJS peers that ship none. Only what the bench calls is declared;
// the shapes come from reading each package's source in node_modules.

declare module 'emv-qrcps' {
  export interface Printable {
    toString(): string;
  }
  export interface TemplateBuilder extends Printable {
    setGloballyUniqueIdentifier(value: string): void;
  }
  export interface MerchantAccountInformation extends TemplateBuilder {
    addPaymentNetworkSpecific(id: string, value: string): void;
  }
  export interface UnreservedTemplate extends TemplateBuilder {
    addContextSpecificData(id: string, value: string): void;
  }
  export interface AdditionalDataFieldTemplate extends Printable {
    setBillNumber(value: string): void;
    setMobileNumber(value: string): void;
    setStoreLabel(value: string): void;
    setLoyaltyNumber(value: string): void;
    setReferenceLabel(value: string): void;
    setCustomerLabel(value: string): void;
    setTerminalLabel(value: string): void;
    setPurposeTransaction(value: string): void;
    setAdditionalConsumerDataRequest(value: string): void;
    addRFUforEMVCo(id: string, value: string): void;
  }
  export interface MerchantInformationLanguageTemplate extends Printable {
    setLanguagePreference(value: string): void;
    setMerchantName(value: string): void;
    setMerchantCity(value: string): void;
    addRFUforEMVCo(id: string, value: string): void;
  }
  export interface EMVQR {
    /** One "TAG LEN VALUE" line per data object; sub-objects are indented. */
    rawData(): string;
    /** Serialises and appends a freshly computed CRC. */
    generatePayload(): string;
    /** Throws when a mandatory object is missing. */
    validate(): boolean;
    setPayloadFormatIndicator(value: string): void;
    setPointOfInitiationMethod(value: string): void;
    setMerchantCategoryCode(value: string): void;
    setTransactionCurrency(value: string): void;
    setTransactionAmount(value: string): void;
    setTipOrConvenienceIndicator(value: string): void;
    setValueOfConvenienceFeeFixed(value: string): void;
    setValueOfConvenienceFeePercentage(value: string): void;
    setCountryCode(value: string): void;
    setMerchantName(value: string): void;
    setMerchantCity(value: string): void;
    setPostalCode(value: string): void;
    setAdditionalDataFieldTemplate(value: AdditionalDataFieldTemplate): void;
    setMerchantInformationLanguageTemplate(value: MerchantInformationLanguageTemplate): void;
    addMerchantAccountInformation(id: string, value: MerchantAccountInformation): void;
    addUnreservedTemplates(id: string, value: UnreservedTemplate): void;
    addRFUforEMVCo(id: string, value: string): void;
  }
  const emvQrcps: {
    Merchant: {
      buildEMVQR(): EMVQR;
      buildMerchantAccountInformation(): MerchantAccountInformation;
      buildAdditionalDataFieldTemplate(): AdditionalDataFieldTemplate;
      buildMerchantInformationLanguageTemplate(): MerchantInformationLanguageTemplate;
      buildUnreservedTemplate(): UnreservedTemplate;
      Parser: { toEMVQR(qr: string): EMVQR };
    };
  };
  export default emvQrcps;
}

declare module 'emvqr' {
  export interface EmvqrItem {
    id: string;
    name: string;
    len: number;
    data: unknown;
  }
  const emvqr: {
    /** Throws on a CRC mismatch (and on unknown MCC/currency/country codes). */
    decode(qr: string): Record<string, EmvqrItem | undefined>;
  };
  export default emvqr;
}

declare module '@walletfactory/emvqr' {
  const walletfactoryEmvqr: {
    /** Throws on a CRC mismatch; values are strings or nested sub-tag objects. */
    decode(qr: string): Record<string, unknown>;
  };
  export default walletfactoryEmvqr;
}

declare module 'steplix-emvqr' {
  const steplixEmvqr: {
    /** Throws on a CRC mismatch; `tiny = true` returns bare values instead of {id, name, len, data}. */
    decode(qr: string, tiny?: boolean): Record<string, unknown>;
  };
  export default steplixEmvqr;
}
