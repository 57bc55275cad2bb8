import { readFileSync } from 'node:fs';
import { QRIS_ERROR_CODES, QRIS_WARNING_CODES } from '@quickcart/qris';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every error code in its table and every warning code', () => {
    for (const code of Object.keys(QRIS_ERROR_CODES))
      expect(readme, code).toMatch(new RegExp(`^\\| \`${code}\` +\\|`, 'm'));
    for (const code of Object.keys(QRIS_WARNING_CODES)) expect(readme, code).toContain(`\`${code}\``);
  });
});
