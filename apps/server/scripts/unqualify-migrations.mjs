// Runs after `drizzle-kit generate`: removes the `"public".` qualifier drizzle-kit writes into
// foreign keys, so that every migration applies to whichever schema `search_path` selects (the
// service uses "public"; each PostgreSQL test file migrates its own schema). The migrator hashes
// the SQL it reads, and drizzle-kit diffs against meta/ snapshots, so editing the SQL is safe.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const dir = new URL('../src/db/migrations/', import.meta.url);
for (const name of readdirSync(dir).filter((file) => file.endsWith('.sql'))) {
  const file = new URL(name, dir);
  const before = readFileSync(file, 'utf8');
  const after = before.replaceAll('"public".', '');
  if (after !== before) {
    writeFileSync(file, after);
    console.log(`unqualified "public". in ${name}`);
  }
}
