/**
 * The checkout page's stylesheet and script: plain files in `src/web/assets/`, read once when the
 * routes are registered and served under content-hashed names (`/checkout/assets/checkout.<hash>.js`),
 * so browsers may cache them for good and the CSP can allow `'self'` only, no inline code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AssetUrls } from './page.js';

/** One served asset. */
export interface Asset {
  body: string;
  contentType: string;
}

/** The assets by file name, and the URLs the page links to. */
export interface CheckoutAssets {
  byName: ReadonlyMap<string, Asset>;
  urls: AssetUrls;
}

/** URL prefix of the assets. */
export const ASSET_PREFIX = '/checkout/assets/';

/**
 * The assets folder: `./assets` beside this module when it runs from src/, or the package's
 * src/web/assets when it runs from dist/ (tsc copies no .js or .css from src; the migrations are
 * found the same way, db/migrate.ts).
 */
export function assetsFolder(): string {
  const candidates = [
    new URL('./assets/', import.meta.url),
    new URL('../../src/web/assets/', import.meta.url),
  ];
  for (const candidate of candidates) {
    const folder = fileURLToPath(candidate);
    if (existsSync(`${folder}checkout.js`)) return folder;
  }
  throw new Error(
    `checkout page assets not found: looked for checkout.js in ${candidates.map((c) => fileURLToPath(c)).join(' and ')}`,
  );
}

/** Reads the stylesheet (two files, served as one) and the script, and names them by content hash. */
export function loadCheckoutAssets(folder: string = assetsFolder()): CheckoutAssets {
  const byName = new Map<string, Asset>();
  const named = (files: string[], extension: string, contentType: string): string => {
    const body = files.map((file) => readFileSync(`${folder}${file}`, 'utf8')).join('\n');
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const name = `checkout.${hash}.${extension}`;
    byName.set(name, { body, contentType });
    return `${ASSET_PREFIX}${name}`;
  };
  return {
    byName,
    urls: {
      css: named(['checkout.css', 'checkout-states.css'], 'css', 'text/css; charset=utf-8'),
      js: named(['checkout.js'], 'js', 'text/javascript; charset=utf-8'),
    },
  };
}
