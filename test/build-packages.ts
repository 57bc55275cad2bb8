import { execFileSync } from 'node:child_process';

/**
 * Vitest global setup: build every package once, so tests of the shipped dist/ and bins see fresh
 * code; then make the migrated PGlite template the in-memory test databases start from.
 */
export default async function setup(): Promise<void> {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b'], { stdio: 'inherit' });
  const { ensurePgliteTemplate } = await import('../apps/server/test/pglite-template.js');
  await ensurePgliteTemplate();
}
