import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createStockCipher, isEncrypted, maskContent, parseStockKey, StockKeyError } from './stock-crypto.js';

const item = 'email:budi@contoh.test\npassword:Rahasia-123';

describe('stock encryption', () => {
  it('parses a 32-byte key as hex or base64 and refuses anything else without echoing it', () => {
    const bytes = randomBytes(32);
    expect(parseStockKey(bytes.toString('hex')).reveal()).toEqual(bytes);
    expect(parseStockKey(bytes.toString('base64')).reveal()).toEqual(bytes);
    expect(parseStockKey(bytes.toString('base64url')).reveal()).toEqual(bytes);
    for (const bad of [
      '',
      'abc',
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('base64'),
      'z'.repeat(64),
    ]) {
      expect(() => parseStockKey(bad)).toThrow(StockKeyError);
    }
    try {
      parseStockKey('not-a-key-but-a-secret-value');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-value');
    }
  });

  it('never prints the key', () => {
    const text = randomBytes(32).toString('hex');
    const key = parseStockKey(text);
    for (const shown of [
      String(key),
      JSON.stringify({ key }),
      inspect({ key }, { depth: 5, showHidden: true }),
    ]) {
      expect(shown).not.toContain(text);
      expect(shown).not.toContain(key.reveal().toString('base64'));
    }
  });

  it('seals with AES-256-GCM and a fresh IV per item, and opens it again', () => {
    const cipher = createStockCipher(parseStockKey(randomBytes(32).toString('hex')));
    const a = cipher.seal(item);
    const b = cipher.seal(item);
    expect(a).toMatch(/^enc:v1:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('budi');
    expect(cipher.open(a)).toBe(item);
    expect(cipher.open('plain item from before')).toBe('plain item from before');
    expect(cipher.openAll(`${a}\n\n${b}`)).toBe(`${item}\n\n${item}`);
    expect(isEncrypted(a)).toBe(true);
  });

  it('refuses a tampered item, the wrong key and no key', () => {
    const cipher = createStockCipher(parseStockKey(randomBytes(32).toString('hex')));
    const sealed = cipher.seal(item);
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(() => cipher.open(tampered)).toThrow(StockKeyError);
    expect(() => createStockCipher(parseStockKey(randomBytes(32).toString('hex'))).open(sealed)).toThrow(
      /does not decrypt/,
    );
    expect(() => createStockCipher(undefined).open(sealed)).toThrow(/not set/);
    expect(() => createStockCipher(undefined).openAll(`x\n\n${sealed}`)).toThrow(StockKeyError);
  });

  it('fingerprints with a keyed HMAC (plain SHA-256 without a key), equal for equal items', () => {
    const key = parseStockKey(randomBytes(32).toString('hex'));
    const keyed = createStockCipher(key);
    const clear = createStockCipher(undefined);
    expect(keyed.fingerprint(item)).toBe(keyed.fingerprint(item));
    expect(keyed.fingerprint(item)).not.toBe(keyed.fingerprint(`${item}x`));
    expect(keyed.fingerprint(item)).not.toBe(clear.fingerprint(item));
    expect(clear.fingerprint('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('masks contents for admins and logs', () => {
    const masked = maskContent(item);
    expect(masked).toMatch(/… \(43 chars\)$/);
    expect(masked).not.toContain('budi');
    expect(masked).not.toContain('Rahasia');
  });
});
