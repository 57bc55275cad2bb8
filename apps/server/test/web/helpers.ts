// Shared by the checkout page tests: an SSE reader, seed 004's checkout payment, the checks
// every checkout HTML answer must pass (security headers, no inline code, no secrets), and the
// browser settings of the Chromium tests and the docs screenshots.
import { fileURLToPath } from 'node:url';
import type { BrowserContextOptions } from 'playwright-core';
import { expect } from 'vitest';
import { CHECKOUT_CSP } from '../../src/web/routes.js';

/** Debian's Chromium, driven by playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];
/** A phone: 390x844 CSS pixels at device scale 2, Indonesian. */
export const MOBILE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'id-ID',
};
/** The repository's test-results/ (git-ignored): screenshots for a person to look at. */
export const SCREENSHOTS = fileURLToPath(new URL('../../../../test-results/', import.meta.url));

/** Seed 004's `generateCheckoutPage` example, as the partner API body. */
export function seedCheckoutBody(licenseKey: string, overrides: Record<string, unknown> = {}) {
  return {
    transaction_id: `TRX-2026-${Math.random().toString(36).slice(2, 10)}`,
    amount: 150_000,
    license_key: licenseKey,
    payment_type: 'CHECKOUT_PAGE',
    description: 'Invoice #12345',
    back_url: 'https://myapp.com/payment/complete',
    items: [
      { id: '1', name: 'Laundry 5kg', price: 100_000, quantity: 1 },
      { id: '2', name: 'Extra Parfum', price: 25_000, quantity: 2 },
    ],
    customer_name: 'Jane Doe',
    customer_email: 'jane@example.com',
    customer_phone: '081234567890',
    ...overrides,
  };
}

/** Reads a Server-Sent Events body: `nextEvent()` resolves with the next `event:` block, or null at the end. */
export function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async nextEvent(): Promise<{ id: string; event: string; data: Record<string, unknown> } | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            const colon = line.indexOf(': ');
            if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2));
          }
          const event = fields.get('event');
          if (event)
            return { id: fields.get('id') ?? '', event, data: JSON.parse(fields.get('data') ?? 'null') };
          continue;
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

/** The security headers every checkout page carries. */
export function expectPageHeaders(headers: Record<string, unknown>): void {
  expect(headers['content-type']).toBe('text/html; charset=utf-8');
  expect(headers['content-security-policy']).toBe(CHECKOUT_CSP);
  expect(String(headers['content-security-policy'])).not.toContain('unsafe-inline');
  expect(String(headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['cache-control']).toBe('no-store');
}

/** No inline script, no event handler attribute, no inline style: what the CSP would block anyway. */
export function expectNoInlineCode(page: string): void {
  const scripts = page.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toMatch(/\ssrc="\/checkout\/assets\/checkout\.[0-9a-f]{12}\.js"/);
  expect(page).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
  expect(page).not.toMatch(/\son[a-z]+=/i);
  expect(page).not.toMatch(/\sstyle=/i);
  expect(page).not.toMatch(/<style\b/i);
}
