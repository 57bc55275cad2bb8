// A migrated, empty PGlite cluster as a tarball, made once per test run by the global setup
// (test/build-packages.ts) and restored by every in-memory test database: a new PGlite cluster
// spends about 3 s in initdb, a restore about 1 s. The file name carries a hash of the migrations,
// so a changed migration makes a new template and a stale one is never used.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPglite } from '../src/db/connect.js';
import { defaultMigrationsFolder, migrateDatabase } from '../src/db/migrate.js';

const CACHE = fileURLToPath(new URL('../../../node_modules/.cache/quickcart-test/', import.meta.url));

/** Where the template of the current migrations lives. */
export function templatePath(): string {
  const folder = defaultMigrationsFolder();
  const hash = createHash('sha256');
  for (const name of readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .sort()) {
    hash.update(name).update(readFileSync(join(folder, name)));
  }
  return join(CACHE, `pglite-${hash.digest('hex').slice(0, 16)}.tar`);
}

/** Makes the template unless it exists (written under a temporary name, then renamed: atomic). */
export async function ensurePgliteTemplate(): Promise<void> {
  const path = templatePath();
  if (existsSync(path)) return;
  const database = await openPglite({ inMemory: true });
  try {
    await migrateDatabase(database);
    const dump = await database.client.dumpDataDir('none');
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
  } finally {
    await database.close();
  }
}

/** The template as a Blob for `openPglite({ inMemory: true, from })`, or undefined when there is none. */
export function pgliteTemplate(): Blob | undefined {
  const path = templatePath();
  return existsSync(path) ? new Blob([readFileSync(path)]) : undefined;
}
