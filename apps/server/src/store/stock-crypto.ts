import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * Stock contents at rest (issue 9): with STOCK_ENCRYPTION_KEY set, every stock item is stored as
 * `enc:v1:<base64url(iv ‖ tag ‖ ciphertext)>`, AES-256-GCM with a random 96-bit IV per item.
 * Rows without the prefix (stock from before the key) stay readable as they are. Duplicates are
 * found through `content_hash`: HMAC-SHA256 under a key derived (HKDF) from the encryption key,
 * or plain SHA-256 without one, so nothing is decrypted to compare.
 * The key is held in a `StockKey`, which never prints (JSON, inspect and String show nothing).
 */

/** The prefix of an encrypted item; the version lets a later format coexist. */
export const ENCRYPTED_PREFIX = 'enc:v1:';
const TOKEN = /enc:v1:[A-Za-z0-9_-]+/g;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from('quickcart stock item v1');

/** A stock key is missing, malformed or wrong; the message never contains key or content. */
export class StockKeyError extends Error {
  override readonly name = 'StockKeyError';
  readonly code = 'STOCK_KEY';
}

/** The 32-byte STOCK_ENCRYPTION_KEY; prints as `[StockKey redacted]`. */
export class StockKey {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    if (bytes.length !== 32) throw new StockKeyError('a stock key must be 32 bytes');
    this.#bytes = Buffer.from(bytes);
  }
  /** The key bytes (for the cipher only). */
  reveal(): Buffer {
    return this.#bytes;
  }
  toString(): string {
    return '[StockKey redacted]';
  }
  toJSON(): string {
    return '[StockKey redacted]';
  }
  [inspect.custom](): string {
    return '[StockKey redacted]';
  }
}

/**
 * Parses STOCK_ENCRYPTION_KEY: 32 bytes as 64 hex digits or as base64 (44 characters, or base64url).
 * Throws StockKeyError (without the value) otherwise.
 * @example parseStockKey(randomBytes(32).toString('base64'))
 */
export function parseStockKey(text: string): StockKey {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return new StockKey(Buffer.from(value, 'hex'));
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return new StockKey(bytes);
  }
  throw new StockKeyError('STOCK_ENCRYPTION_KEY must be 32 bytes: 64 hex digits or base64 (44 characters)');
}

/** Encrypts, decrypts and fingerprints stock contents. */
export interface StockCipher {
  /** Whether new items are encrypted. */
  readonly encrypts: boolean;
  /** What to store for an item. */
  seal(content: string): string;
  /** The clear item from what was stored; throws StockKeyError without a (the right) key. */
  open(stored: string): string;
  /** Every `enc:v1:` token in `text` (sold items joined on an order line) replaced by its clear text. */
  openAll(text: string): string;
  /** The dedupe fingerprint of a clear item (hex). */
  fingerprint(content: string): string;
}

/** Whether a stored content is encrypted. */
export function isEncrypted(stored: string): boolean {
  return stored.startsWith(ENCRYPTED_PREFIX);
}

/** The cipher for `key`, or the clear-text cipher (which still opens nothing encrypted) without one. */
export function createStockCipher(key: StockKey | undefined): StockCipher {
  if (!key) {
    return {
      encrypts: false,
      seal: (content) => content,
      open: (stored) => {
        if (isEncrypted(stored)) throw missingKey();
        return stored;
      },
      openAll: (text) => {
        if (text.includes(ENCRYPTED_PREFIX)) throw missingKey();
        return text;
      },
      fingerprint: (content) => createHash('sha256').update(content, 'utf8').digest('hex'),
    };
  }
  const aesKey = key.reveal();
  const hmacKey = Buffer.from(hkdfSync('sha256', aesKey, Buffer.alloc(0), 'quickcart stock dedupe v1', 32));
  const openToken = (token: string): string => {
    const raw = Buffer.from(token.slice(ENCRYPTED_PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new StockKeyError('an encrypted stock item is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', aesKey, raw.subarray(0, IV_BYTES));
      decipher.setAAD(AAD);
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new StockKeyError('STOCK_ENCRYPTION_KEY does not decrypt a stored stock item (wrong key?)');
    }
  };
  return {
    encrypts: true,
    seal(content) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', aesKey, iv);
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(content, 'utf8'), cipher.final()]);
      return ENCRYPTED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open: (stored) => (isEncrypted(stored) ? openToken(stored) : stored),
    openAll: (text) => text.replace(TOKEN, openToken),
    fingerprint: (content) => createHmac('sha256', hmacKey).update(content, 'utf8').digest('hex'),
  };
}

function missingKey(): StockKeyError {
  return new StockKeyError('stock is encrypted but STOCK_ENCRYPTION_KEY is not set');
}

/** A stock content for admins and logs: its first 3 characters, then its length. */
export function maskContent(content: string): string {
  const clear = content.replace(/\s+/g, ' ');
  return `${clear.slice(0, Math.min(3, Math.floor(clear.length / 4)))}… (${content.length} chars)`;
}

// The cipher of each database handle, set once at start (`useStockCipher`), so that every path that
// writes or reads stock (bot, CLI admin endpoint, delivery) encrypts alike without threading it.
// Keyed by the handle's Drizzle dialect object, which its transactions share: a transaction opened
// on `db` has `db`'s cipher too (keyed by the handle itself, a transaction would read clear text).
const ciphers = new WeakMap<object, StockCipher>();
const CLEAR = createStockCipher(undefined);
const keyOf = (db: object): object => (db as { dialect?: object }).dialect ?? db;

/** Makes `cipher` the stock cipher of `db` and of every transaction opened on it. */
export function useStockCipher(db: object, cipher: StockCipher): void {
  ciphers.set(keyOf(db), cipher);
}

/** The stock cipher of `db` or of a transaction on it: the one `useStockCipher` set, else clear text. */
export function stockCipherOf(db: object): StockCipher {
  return ciphers.get(keyOf(db)) ?? CLEAR;
}
