import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources: the "@quickcart/source" export condition
// points each workspace package at src/ instead of its built dist/.
export default defineConfig({
  resolve: { conditions: ['@quickcart/source'] },
  ssr: { resolve: { conditions: ['@quickcart/source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
    ],
    globalSetup: ['test/build-packages.ts'],
    testTimeout: 20_000,
  },
});
