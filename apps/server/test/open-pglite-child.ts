// A second process for the PGlite lock tests: opens the database under the data directory given as
// its argument and prints one JSON line. Opened, it holds the database until its stdin closes;
// refused, it exits with status 3.
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/connect.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: open-pglite-child.ts DATA_DIR');
try {
  const database = await openDatabase({ dataDir });
  await database.db.execute(sql`select 1`);
  process.stdout.write(`${JSON.stringify({ opened: true, pid: process.pid })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void database.close().then(() => process.exit(0));
  });
} catch (error) {
  const { code, message } = error as { code?: string; message: string };
  process.stdout.write(`${JSON.stringify({ opened: false, code, message })}\n`);
  process.exit(3);
}
