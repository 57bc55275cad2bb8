// The README and the error catalog stay true: every code documented, the same codes and statuses
// as the server's catalog, and the README's Express example identical to the file the consumer
// project type-checks (test/consumer/readme-express.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../../../apps/server/src/payments/errors.js';
import { errorClassFor } from '../src/answer.js';
import { ERROR_CODES } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('error catalog', () => {
  it('has exactly the server’s codes, with the same statuses', () => {
    const ours = Object.fromEntries(Object.entries(ERROR_CODES).map(([code, info]) => [code, info.status]));
    const server = Object.fromEntries(
      Object.entries(ERROR_CATALOG).map(([code, info]) => [code, info.status]),
    );
    expect(ours).toEqual(server);
  });

  it('is documented in the README, row by row, with the class each status maps to', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(readme, code).toMatch(new RegExp(`^\\| \`${code}\` +\\| ${info.status} +\\|`, 'm'));
      const name = errorClassFor(info.status).kind;
      if (name !== 'ApiError')
        expect(readme, code).toMatch(new RegExp(`^\\| \`${name}\` +\\|.*\`${code}\``, 'm'));
    }
  });
});

describe('README', () => {
  it('shows the Express example that test/consumer type-checks', () => {
    const file = readFileSync(new URL('./consumer/readme-express.ts', import.meta.url), 'utf8');
    const start = readme.indexOf('## An Express app');
    const block = readme.slice(readme.indexOf('```ts\n', start) + 6);
    expect(block.slice(0, block.indexOf('```\n'))).toBe(file);
  });
});
