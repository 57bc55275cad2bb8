/**
 * How an admin's pasted text (or uploaded .txt) becomes stock items:
 * - when the text has a blank line, each block between blank lines is one item (for multi-line
 *   items such as "email:…\npassword:…");
 * - otherwise each non-empty line is one item.
 * Windows line ends are normalised and surrounding whitespace trimmed.
 * @example parseStockText('a@x.com:pw1\nb@x.com:pw2') // ['a@x.com:pw1', 'b@x.com:pw2']
 */
export function parseStockText(text: string): string[] {
  const normalised = text.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
  const blocks = /\n[ \t]*\n/.test(normalised.trim())
    ? normalised.split(/\n[ \t]*\n/)
    : normalised.split('\n');
  return blocks.map((block) => block.trim()).filter((block) => block.length > 0);
}

/** The most items one /addstock may add, and the longest one item may be. */
export const MAX_ITEMS_PER_UPLOAD = 5000;
export const MAX_ITEM_LENGTH = 4000;
