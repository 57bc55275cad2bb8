import { describe, expect, it } from 'vitest';
import { parseCallback } from './callback-data.js';
import { useWebhook, webhookSecrets } from './webhook.js';

const TOKEN = '7000000001:AAH-secret_part_of_the_token';

describe('webhookSecrets', () => {
  it('derives a stable path and secret token from the bot token, revealing neither', () => {
    const a = webhookSecrets(TOKEN, 'https://shop.example');
    expect(a).toEqual(webhookSecrets(TOKEN, 'https://shop.example'));
    expect(a.url).toBe(`https://shop.example/telegram/${a.path}`);
    expect(a.path).toMatch(/^[\w-]{43}$/);
    expect(a.secretToken).toMatch(/^[\w-]{43}$/);
    expect(a.secretToken).not.toBe(a.path);
    expect(a.url).not.toContain('secret_part_of_the_token');
    const other = webhookSecrets('7000000001:AAH-another_token', 'https://shop.example');
    expect(other.path).not.toBe(a.path);
    expect(other.secretToken).not.toBe(a.secretToken);
  });
});

describe('useWebhook', () => {
  it('is on for an https PUBLIC_URL or TELEGRAM_WEBHOOK=1, long polling otherwise', () => {
    expect(useWebhook('http://localhost:3000', undefined)).toBe(false);
    expect(useWebhook('https://shop.example', undefined)).toBe(true);
    expect(useWebhook('https://shop.example', false)).toBe(false);
    expect(useWebhook('http://127.0.0.1:3000', true)).toBe(true);
  });
});

describe('the simulate button', () => {
  it('round-trips its callback data', () => {
    expect(parseCallback('simulate_payment:tg42-ABCDEFGH')).toEqual({
      kind: 'simulate',
      orderId: 'tg42-ABCDEFGH',
    });
    expect(parseCallback('simulate_payment:')).toBeNull();
  });
});
