import { describe, expect, it } from 'vitest';
import { BALANCE_REASONS, type OrderStatus } from '../../db/schema.js';
import { id, languageOf, MESSAGES, type Messages, messagesFor } from './index.js';

/**
 * Every text exists in every language: the same keys, the same kind (a string, or a function of
 * the same arity), nothing empty, and every function gives a text for sample arguments. The
 * samples are made from the parameter names of the Bahasa Indonesia function (`status` → an order
 * status) and otherwise are stand-ins that act as a string, a number (7), a date, an object (each
 * property a stand-in named after it) or a one-element list, so every area's texts are covered
 * without a table to keep up to date.
 */

const SAMPLE_TIME = Date.UTC(2025, 0, 1, 7, 5);

/** A sample argument for a parameter or property called `name`. */
function sample(name: string): unknown {
  if (name.toLowerCase() === 'status') return 'expired' satisfies OrderStatus;
  return standIn(name);
}

/** A value that passes for whatever a text function does with it. */
function standIn(name: string): unknown {
  const text = `sample-${name}`;
  const one = () => sample(`${name}[0]`);
  return new Proxy(() => {}, {
    apply: () => standIn(`${name}()`),
    ownKeys: () => [],
    getOwnPropertyDescriptor: () => undefined,
    get(_target, prop) {
      if (prop === Symbol.toPrimitive) return (hint: string) => (hint === 'number' ? 7 : text);
      if (prop === Symbol.iterator) return [one()][Symbol.iterator].bind([one()]);
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      if (prop === 'length') return 1;
      if (prop === 'getTime') return () => SAMPLE_TIME;
      if (prop === 'toString') return () => text;
      if (prop === 'map' || prop === 'flatMap')
        return (fn: (item: unknown, i: number) => unknown) => [fn(one(), 0)];
      if (prop === 'filter' || prop === 'slice') return () => [one()];
      return sample(prop);
    },
  });
}

/** The parameter names of a function, from its source (arrow or regular). */
function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const source = fn.toString();
  const head =
    /^(async\s*)?\(/.test(source) || source.startsWith('function') ? source : `(${source.split('=>')[0]})`;
  const open = head.indexOf('(');
  return splitTopLevel(head.slice(open + 1, matchingParen(head, open)))
    .map((part) =>
      part
        .trim()
        .replace(/[:=][\s\S]*$/, '')
        .replace(/^\.\.\./, '')
        .trim(),
    )
    .filter(Boolean);
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Arguments given by hand: texts that look a parameter (or one of its fields) up in a table. */
type SampleArguments = {
  [K in keyof Messages]?: Messages[K] extends (...args: infer A) => string ? A : never;
};
const SAMPLES: SampleArguments = {
  reportRefused: ['warranty_expired'],
  walletScreen: [50_000, [{ delta: 10_000, reason: BALANCE_REASONS[0], createdAt: new Date(SAMPLE_TIME) }]],
};

/** The arguments to call `key` with: by hand, else named after the Indonesian function's parameters. */
function samplesOf(key: keyof Messages): unknown[] {
  const given = SAMPLES[key];
  if (given) return [...given];
  const reference = id[key] as unknown as (...args: never[]) => unknown;
  return parameterNames(reference).map(sample);
}

type Text = string | ((...args: unknown[]) => string);

describe('bot messages', () => {
  const keys = Object.keys(id).sort() as (keyof Messages)[];

  it('has texts', () => {
    expect(keys.length).toBeGreaterThan(50);
  });

  for (const [language, texts] of Object.entries(MESSAGES)) {
    describe(language, () => {
      it('has exactly the keys of Bahasa Indonesia', () => {
        expect(Object.keys(texts).sort()).toEqual(keys);
      });

      it('gives every key a text of the same kind, never empty', () => {
        for (const key of keys) {
          const text = texts[key] as unknown as Text;
          const reference = id[key] as unknown as Text;
          expect(typeof text, `${language}.${key}`).toBe(typeof reference);
          if (typeof text === 'string') expect(text.trim(), `${language}.${key}`).not.toBe('');
          else expect(text.length, `${language}.${key} arity`).toBe((reference as () => string).length);
        }
      });

      it('makes a text from every function', () => {
        const problems: string[] = [];
        for (const key of keys) {
          const text = texts[key] as unknown as Text;
          if (typeof text !== 'function') continue;
          try {
            const made: unknown = text(...samplesOf(key));
            if (typeof made !== 'string' || made.trim() === '') problems.push(`${key}: no text`);
            else if (/undefined|NaN|\[object /.test(made)) problems.push(`${key}: ${JSON.stringify(made)}`);
          } catch (error) {
            problems.push(`${key} threw ${String(error)}`);
          }
        }
        expect(problems).toEqual([]);
      });
    });
  }

  it('really translates: English differs from Bahasa Indonesia for nearly every text', () => {
    const render = (texts: Messages, key: keyof Messages): string => {
      const text = texts[key] as unknown as Text;
      return typeof text === 'string' ? text : text(...samplesOf(key));
    };
    const same = keys.filter((key) => render(MESSAGES.en, key) === render(id, key));
    // Seed-quoted or language-neutral texts (➕, "Checkout Page", the language buttons…) may match.
    expect(same.length / keys.length, `identical in en and id: ${same.join(', ')}`).toBeLessThanOrEqual(0.15);
  });

  it('picks the language: chosen, else the Telegram client’s (en* → en), else Bahasa Indonesia', () => {
    expect(languageOf('id', 'en-US')).toBe('id');
    expect(languageOf('en', 'id')).toBe('en');
    expect(languageOf(null, 'en-GB')).toBe('en');
    expect(languageOf(null, 'EN')).toBe('en');
    expect(languageOf(null, 'id')).toBe('id');
    expect(languageOf(null, 'ru')).toBe('id');
    expect(languageOf(undefined, undefined)).toBe('id');
    expect(messagesFor()).toBe(MESSAGES.id);
    expect(messagesFor('en')).toBe(MESSAGES.en);
  });
});
