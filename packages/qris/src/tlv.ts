import { QrisError } from './errors.js';
import type { QrisIssue, TlvNode } from './types.js';

/**
 * The input seen as characters (Unicode code points), since EMVCo lengths count characters.
 * ASCII input, the usual case, is indexed directly; anything else goes through a code point array.
 */
interface CharSource {
  text: string;
  chars: string[] | null;
  length: number;
}

const NON_ASCII = /[\u0080-\uffff]/;

function charSource(text: string): CharSource {
  if (!NON_ASCII.test(text)) return { text, chars: null, length: text.length };
  const chars = Array.from(text);
  return { text, chars, length: chars.length };
}

function slice(source: CharSource, start: number, end: number): string {
  return source.chars ? source.chars.slice(start, end).join('') : source.text.slice(start, end);
}

/** The digit value of the character at `index`, or -1. */
function digitAt(source: CharSource, index: number): number {
  const code = source.chars ? (source.chars[index]?.charCodeAt(0) ?? -1) : source.text.charCodeAt(index);
  return code >= 48 && code <= 57 ? code - 48 : -1;
}

/** Top-level tags whose value is itself a list of data objects. */
export function isTemplateTag(tag: string): boolean {
  const id = Number(tag);
  return (id >= 26 && id <= 51) || id === 62 || id === 64 || id >= 80;
}

/** Number of characters (code points) in `text`. */
export function charLength(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
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
  parentPath: string | null,
  issues: QrisIssue[],
): TlvNode[] | null {
  const nodes: TlvNode[] = [];
  let pos = start;
  while (pos < end) {
    const t0 = digitAt(source, pos);
    const t1 = pos + 1 < end ? digitAt(source, pos + 1) : -1;
    if (t0 < 0 || t1 < 0) {
      const found = JSON.stringify(slice(source, pos, Math.min(pos + 2, end)));
      issues.push(
        structural('INVALID_TAG', null, parentPath, pos, `expected a two-digit tag, found ${found}`),
      );
      return null;
    }
    const tag = `${t0}${t1}`;
    const path = parentPath ? `${parentPath}.${tag}` : tag;
    const l0 = pos + 2 < end ? digitAt(source, pos + 2) : -1;
    const l1 = pos + 3 < end ? digitAt(source, pos + 3) : -1;
    if (l0 < 0 || l1 < 0) {
      const found = JSON.stringify(slice(source, pos + 2, Math.min(pos + 4, end)));
      issues.push(
        structural('INVALID_LENGTH', tag, path, pos, `expected a two-digit length, found ${found}`),
      );
      return null;
    }
    const length = l0 * 10 + l1;
    const valueStart = pos + 4;
    const valueEnd = valueStart + length;
    if (valueEnd > end) {
      const left = end - valueStart;
      const message = `length ${length} runs past the end (${left} character${left === 1 ? '' : 's'} left)`;
      issues.push(structural('LENGTH_OVERFLOW', tag, path, pos, message));
      return null;
    }
    if (length === 0) issues.push(structural('EMPTY_VALUE', tag, path, pos, 'length is 00'));
    const node: TlvNode = { tag, value: slice(source, valueStart, valueEnd) };
    if (parentPath === null && length > 0 && isTemplateTag(tag)) {
      const children = decodeLevel(source, valueStart, valueEnd, tag, issues);
      if (children) node.children = children;
    }
    nodes.push(node);
    pos = valueEnd;
  }
  return nodes;
}

function structural(
  code: QrisIssue['code'],
  tag: string | null,
  path: string | null,
  offset: number,
  detail: string,
) {
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
