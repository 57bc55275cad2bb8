import { describe, expect, it } from 'vitest';
import { isInvoiceId, newInvoiceId, telegramIdOf } from './ids.js';
import { parseStockText } from './stock-text.js';

describe('invoice ids', () => {
  it('carry the Telegram id as seed 000 suggests: tg{id}-{suffix}', () => {
    const id = newInvoiceId(123456789);
    expect(id).toMatch(/^tg123456789-[A-Z0-9]{8}$/);
    expect(isInvoiceId(id)).toBe(true);
    expect(telegramIdOf(id)).toBe(123456789);
    expect(telegramIdOf('TRX20241228ABC123')).toBeNull();
  });

  it('differ from one another', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newInvoiceId(1)));
    expect(ids.size).toBe(2000);
  });
});

describe('parseStockText', () => {
  it('takes one item per line', () => {
    expect(parseStockText('a@x.com:pw1\r\n\n b@x.com:pw2 \n')).toEqual(['a@x.com:pw1', 'b@x.com:pw2']);
  });

  it('takes blocks between blank lines when there are any (multi-line items)', () => {
    expect(parseStockText('\uFEFFemail:a\npassword:1\n\nemail:b\npassword:2\n  \n\n')).toEqual([
      'email:a\npassword:1',
      'email:b\npassword:2',
    ]);
  });

  it('finds nothing in blank text', () => {
    expect(parseStockText(' \n\r\n')).toEqual([]);
  });
});
