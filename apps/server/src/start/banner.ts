// What `quickcart start` prints once it listens: where it is, what it runs on, how to try it.
import type { DemoCredentials } from './demo.js';
import type { DemoStore } from './demo-store.js';

export interface BannerInput {
  url: string;
  driver: 'pglite' | 'postgres';
  dataDir: string;
  /** Where the embedded sandbox is served (`…/sandbox/pakasir/`) when no PAKASIR_API_KEY is set. */
  sandboxUrl: string | undefined;
  /** Where rate limits are counted (default: not shown). */
  rateLimits?: 'redis' | 'memory';
  /** The loopback admin endpoint of the CLI (PGlite only). */
  adminUrl?: string | undefined;
  /** WEBHOOK_ALLOWED_HOSTS, when set: shown, since it loosens the SSRF guard. */
  webhookAllowedHosts?: string | undefined;
  demo: { demo: DemoCredentials; created: boolean } | null;
  /** Demo products seeded on this (first, sandbox) start. */
  demoStore?: DemoStore | null | undefined;
  /** Whether the Telegram store bot runs (TELEGRAM_BOT_TOKEN). */
  telegram?: boolean;
}

/** The start banner, with curl commands a user can paste: create, status, simulate. */
export function formatBanner(input: BannerInput): string {
  const lines = [
    `QuickCart is listening on ${input.url}`,
    `  database: ${input.driver === 'pglite' ? `PGlite in ${input.dataDir}/pglite` : 'PostgreSQL (DATABASE_URL)'}`,
    input.sandboxUrl
      ? `  payments: the embedded Pakasir sandbox at ${input.sandboxUrl} (no PAKASIR_API_KEY set; nobody gets paid)`
      : '  payments: Pakasir (PAKASIR_API_KEY set)',
    `  health:   ${input.url}/health`,
  ];
  if (input.rateLimits) {
    lines.push(
      `  limits:   rate limits ${input.rateLimits === 'redis' ? 'in Redis (REDIS_URL), shared by every instance' : 'in memory (set REDIS_URL to share them)'}`,
    );
  }
  if (input.adminUrl) {
    lines.push(
      `  admin:    ${input.adminUrl} (loopback only): quickcart partner/license commands go through it while this runs`,
    );
  }
  if (input.webhookAllowedHosts) {
    lines.push(
      `  webhooks: WEBHOOK_ALLOWED_HOSTS=${input.webhookAllowedHosts} may receive webhooks although the SSRF guard refuses such addresses otherwise (local development only)`,
    );
  }
  if (input.demo) {
    const { demo, created } = input.demo;
    const auth = `-H 'Authorization: Bearer ${demo.apiKey}'`;
    lines.push(
      '',
      created
        ? 'Created a demo partner with a 100-token license (keys saved in demo-credentials.json in the data directory).'
        : 'Demo partner (keys from demo-credentials.json in the data directory):',
      `  partner ${demo.partnerId}, license ${demo.licenseKey}`,
      '',
      'Create a QRIS payment:',
      `  curl -s ${input.url}/v1/partner/payments ${auth} -H 'Content-Type: application/json' \\`,
      `    -d '{"transaction_id":"DEMO-'$(date +%s)'","amount":25000,"license_key":"${demo.licenseKey}","payment_type":"QRIS"}'`,
      'Read its status (use the payment_id it answered):',
      `  curl -s ${input.url}/v1/payments/PAYMENT_ID ${auth}`,
    );
    if (input.sandboxUrl) {
      lines.push(
        'Pay it in the sandbox:',
        `  curl -s -X POST ${input.url}/v1/payments/PAYMENT_ID/simulate ${auth}`,
      );
    }
  }
  if (input.demoStore) {
    lines.push(
      '',
      `Seeded the Telegram store with ${input.demoStore.products} demo products and ${input.demoStore.items} demo stock items (sandbox mode, first start only).`,
      input.telegram
        ? '  Open your bot, press Katalog and buy one; "Simulasi Bayar (sandbox)" under the QR pays it.'
        : '  Set TELEGRAM_BOT_TOKEN (from @BotFather) to sell them in your bot; quickcart product list shows them.',
    );
  }
  return `${lines.join('\n')}\n`;
}
