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
    // Generous: several suites spawn `quickcart` processes that each open PGlite, which takes
    // seconds on a loaded 2-core machine; every wait inside the tests has its own bound.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Vitest's default is one worker per core minus one: a single worker on a 2-core machine. The
    // suites mostly wait on databases, child processes and sockets, so a few run side by side.
    maxWorkers: 4,
  },
});
