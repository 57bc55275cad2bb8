// Adapters that drive each peer library through the same two questions:
// "parse and check this string" (timed) and "what are its 59/54/63 values" (correctness).
// Peers are imported lazily so that one broken package is reported, not fatal.
import type { QrisBuildFields } from '@quickcart/qris';
import type { KeyValues } from './inputs.js';
import { type SubTags, toTagList } from './tag-list.js';

export interface ParseAdapter {
  impl: string;
  /** How the peer is driven, one line for the report. */
  adaptation: string;
  /** Timed: the peer's parse plus its own validity/CRC check. Returns null or throws on reject. */
  parseAndCheck(qr: string): unknown;
  /** parseAndCheck, then the values the correctness column compares; null when rejected. */
  decode(qr: string): KeyValues | null;
}

export interface BuildAdapter {
  impl: string;
  adaptation: string;
  build(fields: QrisBuildFields): string;
}

export interface Peer {
  impl: string;
  parse: ParseAdapter;
  build?: BuildAdapter;
  /** Why the peer has no build case. */
  noBuild?: string;
}

function parseAdapter<R>(
  impl: string,
  adaptation: string,
  run: (qr: string) => R | null,
  extract: (result: R) => KeyValues,
): ParseAdapter {
  return {
    impl,
    adaptation,
    parseAndCheck: run,
    decode(qr) {
      const result = run(qr);
      return result === null ? null : extract(result);
    },
  };
}

/** Anything that is not a string (missing, or mis-parsed into sub-tags) counts as "no value". */
function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function keyValues(get: (tag: string) => unknown): KeyValues {
  return { merchantName: text(get('59')), amount: text(get('54')), crc: text(get('63')) };
}

async function emvQrcps(): Promise<Peer> {
  const { Merchant } = (await import('emv-qrcps')).default;
  // The parsed object keeps its fields in closures; rawData() is the only read-out.
  const topLevel = (qr: { rawData(): string }) => {
    const tags = new Map<string, string>();
    for (const line of qr.rawData().split('\n')) {
      const m = /^(\d\d) \d\d (.*)$/.exec(line); // top-level lines are the unindented ones
      if (m?.[1] !== undefined && m[2] !== undefined) tags.set(m[1], m[2]);
    }
    return tags;
  };
  const build = (fields: QrisBuildFields): string => {
    const qr = Merchant.buildEMVQR();
    const setters: Record<string, ((v: string) => void) | undefined> = {
      '00': qr.setPayloadFormatIndicator,
      '01': qr.setPointOfInitiationMethod,
      '52': qr.setMerchantCategoryCode,
      '53': qr.setTransactionCurrency,
      '54': qr.setTransactionAmount,
      '55': qr.setTipOrConvenienceIndicator,
      '56': qr.setValueOfConvenienceFeeFixed,
      '57': qr.setValueOfConvenienceFeePercentage,
      '58': qr.setCountryCode,
      '59': qr.setMerchantName,
      '60': qr.setMerchantCity,
      '61': qr.setPostalCode,
    };
    // Sub-tag 00 has its own setter; the rest go through the template's generic adder.
    const fill = (sub: SubTags, setGuid: (v: string) => void, add: (id: string, v: string) => void) => {
      for (const [id, v] of sub) {
        if (id === '00') setGuid(v);
        else add(id, v);
      }
    };
    for (const t of toTagList(fields)) {
      if ('value' in t) {
        const set = setters[t.id];
        if (set) set(t.value);
        else if (t.id >= '65' && t.id <= '79') qr.addRFUforEMVCo(t.id, t.value);
        else throw new Error(`emv-qrcps cannot build primitive tag ${t.id}`);
      } else if (t.id <= '51') {
        const mai = Merchant.buildMerchantAccountInformation();
        fill(t.sub, mai.setGloballyUniqueIdentifier, mai.addPaymentNetworkSpecific);
        qr.addMerchantAccountInformation(t.id, mai);
      } else if (t.id === '62') {
        const adf = Merchant.buildAdditionalDataFieldTemplate();
        const byId: Record<string, (v: string) => void> = {
          '01': adf.setBillNumber,
          '02': adf.setMobileNumber,
          '03': adf.setStoreLabel,
          '04': adf.setLoyaltyNumber,
          '05': adf.setReferenceLabel,
          '06': adf.setCustomerLabel,
          '07': adf.setTerminalLabel,
          '08': adf.setPurposeTransaction,
          '09': adf.setAdditionalConsumerDataRequest,
        };
        for (const [id, v] of t.sub) {
          const set = byId[id];
          if (set) set(v);
          else adf.addRFUforEMVCo(id, v);
        }
        qr.setAdditionalDataFieldTemplate(adf);
      } else if (t.id === '64') {
        const lang = Merchant.buildMerchantInformationLanguageTemplate();
        const byId: Record<string, (v: string) => void> = {
          '00': lang.setLanguagePreference,
          '01': lang.setMerchantName,
          '02': lang.setMerchantCity,
        };
        for (const [id, v] of t.sub) {
          const set = byId[id];
          if (set) set(v);
          else lang.addRFUforEMVCo(id, v);
        }
        qr.setMerchantInformationLanguageTemplate(lang);
      } else {
        const tpl = Merchant.buildUnreservedTemplate();
        fill(t.sub, tpl.setGloballyUniqueIdentifier, tpl.addContextSpecificData);
        qr.addUnreservedTemplates(t.id, tpl);
      }
    }
    return qr.generatePayload();
  };
  return {
    impl: 'emv-qrcps',
    parse: parseAdapter(
      'emv-qrcps',
      'Merchant.Parser.toEMVQR(s) + .validate() (throws on missing mandatory objects; no CRC check); values via rawData()',
      (qr) => {
        const parsed = Merchant.Parser.toEMVQR(qr);
        parsed.validate();
        return parsed;
      },
      (parsed) => {
        const tags = topLevel(parsed);
        return keyValues((tag) => tags.get(tag));
      },
    ),
    build: {
      impl: 'emv-qrcps',
      adaptation:
        'Merchant.buildEMVQR() + typed setters/sub-template builders from the tag list, generatePayload()',
      build,
    },
  };
}

async function emvqr(): Promise<Peer> {
  const lib = (await import('emvqr')).default;
  return {
    impl: 'emvqr',
    parse: parseAdapter(
      'emvqr',
      'decode(s) (throws on CRC mismatch); values from result[tag].data',
      (qr) => lib.decode(qr),
      (r) => keyValues((tag) => r[tag]?.data),
    ),
    noBuild: 'decoder only',
  };
}

async function walletfactoryEmvqr(): Promise<Peer> {
  const lib = (await import('@walletfactory/emvqr')).default;
  return {
    impl: '@walletfactory/emvqr',
    parse: parseAdapter(
      '@walletfactory/emvqr',
      'decode(s) (throws on CRC mismatch); values from result[tag]',
      (qr) => lib.decode(qr),
      (r) => keyValues((tag) => r[tag]),
    ),
    noBuild: 'decoder only',
  };
}

async function steplixEmvqr(): Promise<Peer> {
  const lib = (await import('steplix-emvqr')).default;
  return {
    impl: 'steplix-emvqr',
    parse: parseAdapter(
      'steplix-emvqr',
      'decode(s, true) ("tiny" output; throws on CRC mismatch); values from result[tag]',
      (qr) => lib.decode(qr, true),
      (r) => keyValues((tag) => r[tag]),
    ),
    noBuild: 'decoder only',
  };
}

async function promptparse(): Promise<Peer> {
  const { encode, parse, tag, withCrcTag } = await import('promptparse');
  const sub = (tags: SubTags) => tags.map(([id, v]) => tag(id, v));
  return {
    impl: 'promptparse',
    parse: parseAdapter(
      'promptparse',
      'parse(s, strict=true) (null on CRC mismatch) + emv.validate("63") (re-encode round trip); getTagValue()',
      (qr) => {
        const emv = parse(qr, true);
        return emv?.validate('63') ? emv : null;
      },
      (emv) => keyValues((t) => emv.getTagValue(t)),
    ),
    build: {
      impl: 'promptparse',
      adaptation: 'generic builder: tag(id, value) per data object, encode(), withCrcTag(payload, "63")',
      build: (fields) =>
        withCrcTag(
          encode(
            toTagList(fields).map((t) => ('value' in t ? tag(t.id, t.value) : tag(t.id, encode(sub(t.sub))))),
          ),
          '63',
        ),
    },
  };
}

async function emvcoQrSdk(): Promise<Peer> {
  const { QRParseMode, getCrcInfo, parseQR } = await import('emvco-qr-sdk');
  return {
    impl: 'emvco-qr-sdk',
    parse: parseAdapter(
      'emvco-qr-sdk',
      'parseQR(s, {parseMode: TLV}) (throws on broken TLV) + getCrcInfo(s, tlvs).isValid; values from the TLV list',
      (qr) => {
        const tlvs = parseQR(qr, { parseMode: QRParseMode.TLV });
        if (!Array.isArray(tlvs)) throw new Error('parseQR did not return a TLV list');
        return getCrcInfo(qr, tlvs).isValid ? tlvs : null;
      },
      (tlvs) => keyValues((tag) => tlvs.find((t) => t.tag === tag)?.value),
    ),
    noBuild: 'parser only (exposes TlvEntity/CRC primitives, no payload builder)',
  };
}

/** Every peer installed as a root devDependency, in report order. */
export const PEER_LOADERS: ReadonlyArray<{ impl: string; load: () => Promise<Peer> }> = [
  { impl: 'emv-qrcps', load: emvQrcps },
  { impl: 'emvqr', load: emvqr },
  { impl: 'promptparse', load: promptparse },
  { impl: 'emvco-qr-sdk', load: emvcoQrSdk },
  { impl: '@walletfactory/emvqr', load: walletfactoryEmvqr },
  { impl: 'steplix-emvqr', load: steplixEmvqr },
];
