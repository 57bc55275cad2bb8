// `npm run bench [-- NAME…]`: every bench, or the named ones. Each prints a table of ratios
// measured against a baseline in the same run, and writes JSON under bench/results/.
import { runPakasirBench } from './pakasir.js';
import { runQrisBench } from './qris.js';
import { runSdkBench } from './sdk.js';
import { runServerBench } from './server.js';

const BENCHES: Record<string, () => Promise<void>> = {
  qris: runQrisBench,
  pakasir: runPakasirBench,
  server: runServerBench,
  sdk: runSdkBench,
  bot: async () => (await import('./bot.js')).runBotBench(),
  outbox: async () => (await import('./outbox.js')).runOutboxBench(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; available: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
for (const [name, run] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n=== bench: ${name} ===`);
  await run();
}
