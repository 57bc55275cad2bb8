import { crc16Value, crcHex } from './crc16.js';
import { QRIS_ERROR_CODES, QRIS_WARNING_CODES, type QrisErrorCode, type QrisWarningCode } from './errors.js';
import {
  IDR_CURRENCY,
  INDONESIA,
  isDigits,
  isValidAmount,
  isValidConsumerDataRequest,
  isValidGuid,
  isValidMcc,
  isValidNmid,
  isValidPan,
  isValidPercentage,
  MERCHANT_CRITERIA,
  NO_CONTROL_CHARS,
  PRINTABLE_ASCII,
  QRIS_GUID,
} from './rules.js';
import { charLength, decodeTree, tagId } from './tlv.js';
import type { QrisIssue, TlvNode, ValidationResult } from './types.js';

export interface Analysis {
  /** Null when the top-level TLV structure cannot be read. */
  tree: TlvNode[] | null;
  errors: QrisIssue[];
  warnings: QrisIssue[];
}

/** Where a node sits: its index at the top level and, for a sub-tag, its index in the template. */
interface Position {
  top: number;
  child?: number;
}

/** Collects issues; computes character offsets only when an issue is reported. */
class Report {
  readonly errors: QrisIssue[] = [];
  readonly warnings: QrisIssue[] = [];
  constructor(private readonly tree: TlvNode[]) {}

  /** `at` is a position, or just the index of a top-level node. */
  error(code: QrisErrorCode, at: Position | number | null, detail?: string): void {
    this.errors.push(this.issue(code, QRIS_ERROR_CODES[code], at, detail));
  }

  warn(code: QrisWarningCode, at: Position | number | null, detail?: string): void {
    this.warnings.push(this.issue(code, QRIS_WARNING_CODES[code], at, detail));
  }

  /** A mandatory tag that is absent: it has no offset. */
  missing(code: QrisErrorCode, path: string, detail: string): void {
    const tag = path.slice(-2);
    this.errors.push({ code, tag, path, offset: -1, message: `${QRIS_ERROR_CODES[code]}: ${detail}` });
  }

  private issue(code: string, text: string, where: Position | number | null, detail?: string): QrisIssue {
    const message = detail ? `${text}: ${detail}` : text;
    if (where === null) return { code, tag: null, path: null, offset: -1, message };
    const at = typeof where === 'number' ? { top: where } : where;
    const top = this.tree[at.top] as TlvNode;
    let offset = 0;
    for (let i = 0; i < at.top; i++) offset += 4 + charLength((this.tree[i] as TlvNode).value);
    if (at.child === undefined || !top.children)
      return { code, tag: top.tag, path: top.tag, offset, message };
    offset += 4;
    for (let i = 0; i < at.child; i++) offset += 4 + charLength((top.children[i] as TlvNode).value);
    const child = top.children[at.child] as TlvNode;
    return { code, tag: child.tag, path: `${top.tag}.${child.tag}`, offset, message };
  }
}

const quote = (value: string) => JSON.stringify(value);

/** Validates a QRIS string and returns every error and warning found; never throws. */
export function validate(input: string): ValidationResult {
  const { errors, warnings } = analyze(input);
  return { valid: errors.length === 0, errors, warnings };
}

/** Decodes and checks `input` in one pass; shared by `validate()` and `parse()`. */
export function analyze(input: unknown): Analysis {
  if (typeof input !== 'string' || input.length === 0) {
    const message = `${QRIS_ERROR_CODES.INVALID_INPUT}: got ${typeof input === 'string' ? 'an empty string' : typeof input}`;
    return {
      tree: null,
      errors: [{ code: 'INVALID_INPUT', tag: null, path: null, offset: -1, message }],
      warnings: [],
    };
  }
  const structure: QrisIssue[] = [];
  const tree = decodeTree(input, structure);
  if (!tree) return { tree, errors: structure, warnings: [] };
  const report = new Report(tree);
  report.errors.push(...structure);
  checkFraming(input, tree, report);
  checkTags(input, tree, report);
  return { tree, errors: report.errors, warnings: report.warnings };
}

function checkFraming(input: string, tree: TlvNode[], report: Report): void {
  const first = tree[0] as TlvNode;
  if (first.tag !== '00')
    report.error('PAYLOAD_FORMAT_NOT_FIRST', { top: 0 }, `found tag ${first.tag} first`);
  else if (first.value !== '01')
    report.error('INVALID_PAYLOAD_FORMAT', { top: 0 }, `found ${quote(first.value)}`);

  const lastIndex = tree.length - 1;
  const last = tree[lastIndex] as TlvNode;
  if (last.tag !== '63') {
    report.error('CRC_NOT_LAST', { top: lastIndex }, `the last data object is tag ${last.tag}`);
  } else if (last.value.length !== 4) {
    report.error('INVALID_CRC_LENGTH', { top: lastIndex }, `length is ${charLength(last.value)}`);
  } else if (!/^[0-9A-F]{4}$/.test(last.value)) {
    report.error('INVALID_CRC_FORMAT', { top: lastIndex }, `found ${quote(last.value)}`);
  } else {
    const expected = crc16Value(input, input.length - 4);
    if (expected !== Number.parseInt(last.value, 16)) {
      report.error('CRC_MISMATCH', { top: lastIndex }, `written ${last.value}, computed ${crcHex(expected)}`);
    }
  }
}

/**
 * Index of each tag ID in the tree being checked. Reused across calls (a generation stamp marks
 * the entries of the current call) because allocating it on every parse showed in profiles.
 */
class TagIndex {
  private static readonly stamps = new Uint32Array(100);
  private static readonly indexes = new Int32Array(100);
  private static generation = 0;
  private readonly generation = ++TagIndex.generation;

  set(id: number, index: number): void {
    TagIndex.stamps[id] = this.generation;
    TagIndex.indexes[id] = index;
  }

  /** The node index of tag `id`, or undefined when the tree has no such tag. */
  get(id: number): number | undefined {
    return TagIndex.stamps[id] === this.generation ? TagIndex.indexes[id] : undefined;
  }
}

function checkTags(input: string, tree: TlvNode[], report: Report): void {
  const byTag = new TagIndex();
  const allPrintable = PRINTABLE_ASCII.test(input);
  for (let i = 0; i < tree.length; i++) {
    const node = tree[i] as TlvNode;
    const id = tagId(node.tag);
    if (byTag.get(id) !== undefined) {
      report.error('DUPLICATE_TAG', { top: i }, `tag ${node.tag} appears again`);
      continue;
    }
    byTag.set(id, i);
    if (!allPrintable) checkCharacters(node, i, report);
    if (node.children) checkDuplicateSubTags(node.children, i, report);
    checkTag(node, id, i, report);
  }
  checkPresence(tree, byTag, report);
}

function checkCharacters(node: TlvNode, top: number, report: Report): void {
  const allowed = node.tag === '64' ? NO_CONTROL_CHARS : PRINTABLE_ASCII;
  if (!node.children) {
    if (!allowed.test(node.value)) report.error('INVALID_CHARACTER', { top }, `in tag ${node.tag}`);
    return;
  }
  for (let index = 0; index < node.children.length; index++) {
    const child = node.children[index] as TlvNode;
    if (!allowed.test(child.value)) {
      report.error('INVALID_CHARACTER', { top, child: index }, `in tag ${node.tag}.${child.tag}`);
    }
  }
}

/** Templates hold a handful of sub-tags: a quadratic scan beats allocating a set. */
function checkDuplicateSubTags(children: TlvNode[], top: number, report: Report): void {
  for (let index = 1; index < children.length; index++) {
    const tag = (children[index] as TlvNode).tag;
    for (let before = 0; before < index; before++) {
      if ((children[before] as TlvNode).tag === tag) {
        report.error('DUPLICATE_TAG', { top, child: index }, `sub-tag ${tag} appears again`);
        break;
      }
    }
  }
}

function checkTag(node: TlvNode, id: number, top: number, report: Report): void {
  if (id >= 26 && id <= 51) checkMerchantAccount(node, top, report);
  else if (id >= 80) checkUnreservedTemplate(node, top, report);
  else if (id >= 65 && id <= 79) report.warn('RESERVED_TAG', { top }, `tag ${node.tag}`);
  else checkPrimitive(node, top, report);
}

function checkPrimitive(node: TlvNode, top: number, report: Report): void {
  const at = top;
  const value = node.value;
  switch (tagId(node.tag)) {
    case 1:
      if (value !== '11' && value !== '12')
        report.error('INVALID_POINT_OF_INITIATION', at, `found ${quote(value)}`);
      return;
    case 52:
      if (!isValidMcc(value)) report.error('INVALID_MCC', at, `found ${quote(value)}`);
      return;
    case 53:
      if (value !== IDR_CURRENCY) report.error('INVALID_CURRENCY', at, `found ${quote(value)}`);
      return;
    case 54:
      if (!isValidAmount(value)) report.error('INVALID_AMOUNT', at, `found ${quote(value)}`);
      return;
    case 55:
      if (value !== '01' && value !== '02' && value !== '03')
        report.error('INVALID_TIP_INDICATOR', at, `found ${quote(value)}`);
      return;
    case 56:
      if (!isValidAmount(value)) report.error('INVALID_TIP_FIXED', at, `found ${quote(value)}`);
      return;
    case 57:
      if (!isValidPercentage(value)) report.error('INVALID_TIP_PERCENTAGE', at, `found ${quote(value)}`);
      return;
    case 58:
      if (value !== INDONESIA) report.error('INVALID_COUNTRY', at, `found ${quote(value)}`);
      return;
    case 59:
      if (value.length < 1 || charLength(value) > 25)
        report.error('INVALID_MERCHANT_NAME', at, `${charLength(value)} characters`);
      return;
    case 60:
      if (value.length < 1 || charLength(value) > 15)
        report.error('INVALID_MERCHANT_CITY', at, `${charLength(value)} characters`);
      return;
    case 61:
      if (value.length < 1 || charLength(value) > 10)
        report.error('INVALID_POSTAL_CODE', at, `${charLength(value)} characters`);
      else if (!isDigits(value, 5, 5)) report.warn('POSTAL_CODE_FORMAT', at, `found ${quote(value)}`);
      return;
    case 62:
      checkAdditionalData(node, top, report);
      return;
    case 64:
      checkLanguageTemplate(node, top, report);
      return;
  }
}

/** Tags 26-51. Problems inside an unreadable template were already reported by the decoder. */
function checkMerchantAccount(node: TlvNode, top: number, report: Report): void {
  const children = node.children;
  if (!children) return;
  const isQris = node.tag === '51';
  let guid: string | undefined;
  let nmid: string | undefined;
  for (let index = 0; index < children.length; index++) {
    const child = children[index] as TlvNode;
    const value = child.value;
    switch (tagId(child.tag)) {
      case 0:
        guid = value;
        if (isQris && value !== QRIS_GUID)
          report.error(
            'INVALID_GUID',
            { top, child: index },
            `tag 51 must carry ${QRIS_GUID}, found ${quote(value)}`,
          );
        else if (!isValidGuid(value))
          report.error('INVALID_GUID', { top, child: index }, `found ${quote(value)}`);
        break;
      case 1:
        if (!isQris && !isValidPan(value))
          report.error('INVALID_PAN', { top, child: index }, `found ${quote(value)}`);
        break;
      case 2:
        if (isQris) {
          nmid = value;
          if (!isValidNmid(value))
            report.error('INVALID_NMID', { top, child: index }, `found ${quote(value)}`);
        } else if (value.length > 15)
          report.error('INVALID_MERCHANT_ID', { top, child: index }, `${value.length} characters`);
        break;
      case 3:
        if (!MERCHANT_CRITERIA.has(value))
          report.error('INVALID_MERCHANT_CRITERIA', { top, child: index }, `found ${quote(value)}`);
        break;
    }
  }
  if (guid === undefined) report.error('MISSING_GUID', { top }, `in tag ${node.tag}`);
  if (isQris && nmid === undefined) report.error('MISSING_NMID', { top });
}

function checkUnreservedTemplate(node: TlvNode, top: number, report: Report): void {
  if (!node.children) return;
  const guidIndex = node.children.findIndex((child) => child.tag === '00');
  if (guidIndex < 0) {
    report.error('MISSING_GUID', { top }, `in tag ${node.tag}`);
    return;
  }
  const guid = (node.children[guidIndex] as TlvNode).value;
  if (!isValidGuid(guid)) report.error('INVALID_GUID', { top, child: guidIndex }, `found ${quote(guid)}`);
}

function checkAdditionalData(node: TlvNode, top: number, report: Report): void {
  const children = node.children ?? [];
  for (let index = 0; index < children.length; index++) {
    const child = children[index] as TlvNode;
    const id = tagId(child.tag);
    if (id >= 1 && id <= 8 && child.value.length > 25) {
      report.error(
        'INVALID_ADDITIONAL_DATA',
        { top, child: index },
        `62.${child.tag} has ${child.value.length} characters, at most 25`,
      );
    } else if (id === 9 && !isValidConsumerDataRequest(child.value)) {
      report.error(
        'INVALID_ADDITIONAL_DATA',
        { top, child: index },
        `62.09 must be letters A, M, E without repeats, found ${quote(child.value)}`,
      );
    }
  }
}

function checkLanguageTemplate(node: TlvNode, top: number, report: Report): void {
  const children = node.children;
  if (!children) return;
  const find = (tag: string) => children.findIndex((child) => child.tag === tag);
  const preference = find('00');
  const name = find('01');
  const city = find('02');
  if (preference < 0) report.error('INVALID_LANGUAGE_TEMPLATE', { top }, 'no language preference (64.00)');
  else if (!/^[a-z]{2}$/.test((children[preference] as TlvNode).value)) {
    report.error(
      'INVALID_LANGUAGE_TEMPLATE',
      { top, child: preference },
      'language preference is not two lowercase letters',
    );
  }
  if (name < 0) report.error('INVALID_LANGUAGE_TEMPLATE', { top }, 'no alternate merchant name (64.01)');
  else if (charLength((children[name] as TlvNode).value) > 25) {
    report.error(
      'INVALID_LANGUAGE_TEMPLATE',
      { top, child: name },
      'alternate merchant name is longer than 25 characters',
    );
  }
  if (city >= 0 && charLength((children[city] as TlvNode).value) > 15) {
    report.error(
      'INVALID_LANGUAGE_TEMPLATE',
      { top, child: city },
      'alternate merchant city is longer than 15 characters',
    );
  }
}

const MANDATORY: readonly (readonly [tag: string, name: string])[] = [
  ['01', 'point of initiation method'],
  ['51', 'QRIS national merchant account (ID.CO.QRIS.WWW with the NMID)'],
  ['52', 'merchant category code'],
  ['53', 'transaction currency'],
  ['58', 'country code'],
  ['59', 'merchant name'],
  ['60', 'merchant city'],
  ['61', 'postal code'],
];

function checkPresence(tree: TlvNode[], byTag: TagIndex, report: Report): void {
  let hasAccount = false;
  for (let id = 26; id <= 51 && !hasAccount; id++) hasAccount = byTag.get(id) !== undefined;
  if (!hasAccount) report.missing('MISSING_MERCHANT_ACCOUNT', '26', 'none of tags 26-51 is present');
  for (const [tag, name] of MANDATORY) {
    if (byTag.get(tagId(tag)) === undefined) report.missing('MISSING_TAG', tag, `tag ${tag} (${name})`);
  }
  const valueOfTag = (id: number) => {
    const index = byTag.get(id);
    return index === undefined ? undefined : (tree[index] as TlvNode).value;
  };
  const tipIndicator = valueOfTag(55);
  const fixedAt = byTag.get(56);
  const percentageAt = byTag.get(57);
  if (tipIndicator === '02' && fixedAt === undefined)
    report.missing('MISSING_TIP_VALUE', '56', 'tag 55 is 02 but there is no 56');
  if (tipIndicator === '03' && percentageAt === undefined)
    report.missing('MISSING_TIP_VALUE', '57', 'tag 55 is 03 but there is no 57');
  if (fixedAt !== undefined && tipIndicator !== '02')
    report.error('UNEXPECTED_TIP_VALUE', fixedAt, 'tag 56 needs tag 55 = 02');
  if (percentageAt !== undefined && tipIndicator !== '03')
    report.error('UNEXPECTED_TIP_VALUE', percentageAt, 'tag 57 needs tag 55 = 03');
  const initiationAt = byTag.get(1);
  const initiation = valueOfTag(1);
  const amountAt = byTag.get(54);
  if (initiation === '11' && amountAt !== undefined) report.warn('STATIC_WITH_AMOUNT', amountAt);
  if (initiation === '12' && amountAt === undefined && initiationAt !== undefined)
    report.warn('DYNAMIC_WITHOUT_AMOUNT', initiationAt);
}
