// The checkout page's building blocks: the `html` escaper, money and WIB times, the language choice.
import { describe, expect, it } from 'vitest';
import { formatCountdown, formatRupiah, formatWib } from '../../src/web/format.js';
import { escapeHtml, html, SafeHtml, unsafeRaw } from '../../src/web/html.js';
import { MESSAGES, pickLang } from '../../src/web/messages.js';
import { safeHttpUrl } from '../../src/web/page.js';

describe('html tagged template', () => {
  it('escapes every interpolated string and number, in content and in attributes', () => {
    const name = `<script>alert("x")</script>&'\``;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;</p>',
    );
    expect(html`<b>${42}</b>`.value).toBe('<b>42</b>');
    expect(escapeHtml('a&amp;b')).toBe('a&amp;amp;b');
  });

  it('inserts nested html fragments as they are, joins arrays, and drops null, undefined and false', () => {
    const rows = ['<a>', 'b'].map((cell) => html`<td>${cell}</td>`);
    expect(html`<tr>${rows}</tr>`.value).toBe('<tr><td>&lt;a&gt;</td><td>b</td></tr>');
    expect(html`[${null}${undefined}${false}]`.value).toBe('[]');
    expect(html`${true}`.value).toBe('true');
    expect(html`<i>${unsafeRaw('<br>')}</i>`.value).toBe('<i><br></i>');
    expect(html`x` instanceof SafeHtml).toBe(true);
    expect(String(html`<p>${'&'}</p>`)).toBe('<p>&amp;</p>');
  });

  it('does not let a plain string that looks like markup through an array', () => {
    expect(html`${['<img src=x onerror=alert(1)>']}`.value).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('money and time', () => {
  it('formats integer rupiah with the language thousands separator', () => {
    expect(formatRupiah(50_000, 'id')).toBe('Rp 50.000');
    expect(formatRupiah(50_000, 'en')).toBe('Rp 50,000');
    expect(formatRupiah(1_250_000, 'id')).toBe('Rp 1.250.000');
    expect(formatRupiah(999, 'id')).toBe('Rp 999');
    expect(formatRupiah(0, 'en')).toBe('Rp 0');
    expect(formatRupiah(-25_000, 'id')).toBe('-Rp 25.000');
  });

  it('shows times in WIB (UTC+7), across midnight and the year end', () => {
    expect(formatWib(new Date('2026-01-15T10:30:00Z'), 'id')).toBe('15 Jan 2026, 17.30 WIB');
    expect(formatWib(new Date('2026-01-15T10:30:00Z'), 'en')).toBe('15 Jan 2026, 17:30 WIB');
    expect(formatWib(new Date('2025-12-31T17:05:00Z'), 'id')).toBe('1 Jan 2026, 00.05 WIB');
    expect(formatWib(new Date('2026-08-16T23:59:00Z'), 'id')).toBe('17 Agu 2026, 06.59 WIB');
    expect(formatWib(new Date('2026-05-01T00:00:00Z'), 'en')).toBe('1 May 2026, 07:00 WIB');
  });

  it('counts down in hh:mm:ss, mm:ss under an hour, never below zero', () => {
    expect(formatCountdown(2 * 3_600_000 - 28_000)).toBe('01:59:32');
    expect(formatCountdown(245_900)).toBe('04:05');
    expect(formatCountdown(-5000)).toBe('00:00');
  });
});

describe('pickLang', () => {
  it('takes ?lang= first, then the most preferred of en and id in Accept-Language, else id', () => {
    expect(pickLang('en', 'id')).toBe('en');
    expect(pickLang('id', 'en')).toBe('id');
    expect(pickLang('EN-us', undefined)).toBe('en');
    expect(pickLang('fr', 'en')).toBe('en');
    expect(pickLang(['en'], undefined)).toBe('id');
    expect(pickLang(undefined, undefined)).toBe('id');
    expect(pickLang(undefined, '')).toBe('id');
    expect(pickLang(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(pickLang(undefined, 'fr-FR, en;q=0.5')).toBe('en');
    expect(pickLang(undefined, 'en;q=0.2, id-ID')).toBe('id');
    expect(pickLang(undefined, 'in')).toBe('id');
    expect(pickLang(undefined, 'en;q=0, de')).toBe('id');
    expect(pickLang(undefined, 'de, *;q=0.1')).toBe('id');
    expect(pickLang(undefined, 'en;q=abc')).toBe('id');
  });

  it('has every text in both languages', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.id).sort());
    for (const text of Object.values(MESSAGES.en)) expect(text).toBeTruthy();
  });
});

describe('safeHttpUrl', () => {
  it('keeps absolute http(s) URLs only', () => {
    expect(safeHttpUrl('https://shop.example/done?x=1')).toBe('https://shop.example/done?x=1');
    expect(safeHttpUrl('http://127.0.0.1:8080/back')).toBe('http://127.0.0.1:8080/back');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:text/html,hi')).toBeNull();
    expect(safeHttpUrl('/relative')).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
  });
});
