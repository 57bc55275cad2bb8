/**
 * The `html` tagged template of the checkout pages: every interpolated value is escaped for element
 * content and quoted attribute values, except fragments that are already `SafeHtml` (made by `html`
 * itself, or by `unsafeRaw` for constant markup). Arrays are joined; `null`, `undefined` and `false`
 * render nothing, so `${cond && html`…`}` works.
 * @example
 * html`<p title="${name}">${name}</p>`.value // name = '<b>' → '<p title="&lt;b&gt;">&lt;b&gt;</p>'
 */

/** Markup that is already safe: it is inserted as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => ESCAPES[char] ?? char);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** The tagged template: literal parts as written, interpolations escaped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Trusted constant markup (never pass user data here). */
export function unsafeRaw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
