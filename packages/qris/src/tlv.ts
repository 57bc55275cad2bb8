import { QrisError } from './errors.js';
import type { QrisIssue, TlvNode } from './types.js';

/**
 * The input seen as characters (Unicode code points), since EMVCo lengths count characters.
 * Only astral characters (surrogate pairs) make code points and UTF-16 units differ; for such
 * rare input `units` maps each code point index to its UTF-16 index, otherwise indices are equal.
 */
interface CharSource {
  text: string;
  units: Int32Array | null;
  length: number;
}

const SURROGATE = /[\ud800-\udfff]/;

function charSource(text: string): CharSource {
  if (!SURROGATE.test(text)) return { text, units: null, length: text.length };
  const units = new Int32Array(text.length + 1);
  let count = 0;
  for (let unit = 0; unit < text.length; unit++) {
    units[count++] = unit;
    const code = text.charCodeAt(unit);
    if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(unit + 1) & 0xfc00) === 0xdc00) unit++;
  }
  units[count] = text.length;
  return { text, units, length: count };
}

const unitOf = (source: CharSource, index: number) =>
  source.units === null ? index : (source.units[index] as number);

function slice(source: CharSource, start: number, end: number): string {
  return source.text.slice(unitOf(source, start), unitOf(source, end));
}

/** The digit value of the character at `index`, or -1. */
function digitAt(source: CharSource, index: number): number {
  const code = source.text.charCodeAt(unitOf(source, index)) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

/** "00" … "99", so that reading a tag allocates nothing. */
const TAGS: readonly string[] = Array.from({ length: 100 }, (_, id) => String(id).padStart(2, '0'));

/** The numeric ID of a two-digit tag. */
export const tagId = (tag: string): number => (tag.charCodeAt(0) - 48) * 10 + tag.charCodeAt(1) - 48;

/** Whether a top-level tag ID is a template: its value is itself a list of data objects. */
export function isTemplateId(id: number): boolean {
  return (id >= 26 && id <= 51) || id === 62 || id === 64 || id >= 80;
}

/** Number of characters (code points) in `text`. */
export function charLength(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Reads the data objects of `source` between `start` and `end`. Structural problems are appended to
 * `issues`; on one the level cannot be read further and null is returned. Templates whose value is
 * not valid TLV stay primitive (their problems are still reported).
 */
function decodeLevel(
  source: CharSource,
  start: number,
  end: number,
  parent: string | null,
  issues: QrisIssue[],
): TlvNode[] | null {
  const nodes: TlvNode[] = [];
  let pos = start;
  while (pos < end) {
    const t0 = digitAt(source, pos);
    const t1 = pos + 1 < end ? digitAt(source, pos + 1) : -1;
    if (t0 < 0 || t1 < 0) {
      const found = JSON.stringify(slice(source, pos, Math.min(pos + 2, end)));
      issues.push(structural('INVALID_TAG', null, parent, pos, `expected a two-digit tag, found ${found}`));
      return null;
    }
    const id = t0 * 10 + t1;
    const tag = TAGS[id] as string;
    const l0 = pos + 2 < end ? digitAt(source, pos + 2) : -1;
    const l1 = pos + 3 < end ? digitAt(source, pos + 3) : -1;
    if (l0 < 0 || l1 < 0) {
      const found = JSON.stringify(slice(source, pos + 2, Math.min(pos + 4, end)));
      issues.push(
        structural('INVALID_LENGTH', tag, parent, pos, `expected a two-digit length, found ${found}`),
      );
      return null;
    }
    const length = l0 * 10 + l1;
    const valueStart = pos + 4;
    const valueEnd = valueStart + length;
    if (valueEnd > end) {
      const left = end - valueStart;
      const message = `length ${length} runs past the end (${left} character${left === 1 ? '' : 's'} left)`;
      issues.push(structural('LENGTH_OVERFLOW', tag, parent, pos, message));
      return null;
    }
    if (length === 0) issues.push(structural('EMPTY_VALUE', tag, parent, pos, 'length is 00'));
    const value = slice(source, valueStart, valueEnd);
    const children =
      parent === null && length > 0 && isTemplateId(id)
        ? decodeLevel(source, valueStart, valueEnd, tag, issues)
        : null;
    nodes.push(children ? { tag, value, children } : { tag, value });
    pos = valueEnd;
  }
  return nodes;
}

function structural(
  code: QrisIssue['code'],
  tag: string | null,
  parent: string | null,
  offset: number,
  detail: string,
) {
  const path = tag === null ? parent : parent === null ? tag : `${parent}.${tag}`;
  const where = path ? `tag ${path}` : 'data object';
  return { code, tag, path, offset, message: `${where} at character ${offset}: ${detail}` };
}

/** Decodes `text` into a TLV tree. Returns null tree when the top level is unreadable. */
export function decodeTree(text: string, issues: QrisIssue[]): TlvNode[] | null {
  const source = charSource(text);
  return decodeLevel(source, 0, source.length, null, issues);
}

/** Writes one data object; the length is computed from the value. */
export function encodeNode(tag: string, value: string): string {
  const length = charLength(value);
  if (!/^\d\d$/.test(tag))
    throw new QrisError('INVALID_TAG', `tag ${JSON.stringify(tag)} is not two digits`, { tag });
  if (length > 99) {
    throw new QrisError('LENGTH_OVERFLOW', `tag ${tag}: value of ${length} characters is longer than 99`, {
      tag,
      path: tag,
    });
  }
  return tag + (length < 10 ? `0${length}` : `${length}`) + value;
}

/**
 * Turns a TLV tree back into text. A tree from `parse()` gives back exactly its input;
 * templates are written from `children` when present, so edited children are honoured.
 * @example serialize(parse(s).tree) === s
 */
export function serialize(tree: readonly TlvNode[]): string {
  let out = '';
  for (const node of tree) out += encodeNode(node.tag, node.children ? serialize(node.children) : node.value);
  return out;
}
