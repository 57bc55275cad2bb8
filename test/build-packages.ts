import { execFileSync } from 'node:child_process';

/** Vitest global setup: build every package once, so tests of the shipped dist/ and bins see fresh code. */
export default function buildPackages(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b'], { stdio: 'inherit' });
}
