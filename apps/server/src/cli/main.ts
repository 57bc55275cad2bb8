import { type ParseArgsConfig, parseArgs } from 'node:util';
import { main as sandboxMain } from '@quickcart/pakasir-sandbox';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { DatabaseLockedError } from '../db/lock.js';
import { QuickCartError } from '../payments/errors.js';
import { startQuickCart } from '../start/run.js';
import { createLicenseCommand, createPartnerCommand, migrateCommand, topupLicenseCommand } from './admin.js';
import { addProductCommand, addStockCommand, listProductsCommand } from './store.js';
import {
  redeliverWebhookCommand,
  rotateWebhookSecretCommand,
  testWebhookCommand,
  webhookDeliveriesCommand,
  webhookEventsCommand,
} from './webhooks.js';

/** Where the CLI reads its environment and writes; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** `start` runs until this resolves (default: SIGINT or SIGTERM). */
  untilStopped?: () => Promise<void>;
}

const USAGE = `Usage: quickcart <command> [options]

Commands:
  start                                        run the service (PGlite in DATA_DIR unless DATABASE_URL is set;
                                               the embedded Pakasir sandbox unless PAKASIR_API_KEY is set)
  migrate                                      apply database migrations
  partner create --name N [--webhook-url URL]  create a partner; prints its id, API key and webhook secret once
  license create --partner ID --tokens N [--expires DATE]
                                               create a license; prints its key once
  license topup KEY --tokens N                 add tokens to a license
  webhooks deliveries --partner ID [--payment PAY_ID]
                                               a partner's webhook deliveries and their attempts
  webhooks redeliver DELIVERY_ID               send a delivery again (same webhook-id)
  webhooks test --partner ID [--url URL]       queue a signed webhook.test event
  webhooks rotate-secret --partner ID          new webhook secret (shown once; the old one signs 24 h more)
  webhooks events --partner ID [EVENT…]        events besides payment.success: payment.expired payment.cancelled
  product add --name N --price P [--reseller-price R] [--category C] [--description D]
                                               add a Telegram store product (JSON field id)
  product list                                 the store's products with stock counts
  stock add PRODUCT_ID --file lines.txt [--blocks]
                                               add stock: one deliverable per line, or with --blocks
                                               one per blank-line-separated block (multi-line content);
                                               duplicates are refused and counted
  sandbox [options]                            run the Pakasir sandbox (see quickcart sandbox --help)

Options: --json prints one JSON object on stdout.
The database is DATABASE_URL (PostgreSQL) or PGlite under DATA_DIR (default ./data). PGlite allows
one process: while \`quickcart start\` runs on it, the commands above ask that server instead
(its loopback admin endpoint, named in DATA_DIR/admin.json).`;

class UsageError extends Error {}

const nodeIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  untilStopped: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
};

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: O) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function wholeNumber(value: string | undefined, name: string): number {
  if (value === undefined) throw new UsageError(`${name} is required`);
  if (!/^\d+$/.test(value))
    throw new UsageError(`${name} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

function date(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime()))
    throw new UsageError(`--expires must be a date such as 2027-12-31, got ${JSON.stringify(value)}`);
  return parsed;
}

/** `quickcart webhooks <sub>`; false when `sub` is not one of them. */
async function webhooksCommand(config: Config, io: CliIo, sub: string, args: string[]): Promise<boolean> {
  const partnerOf = (values: { partner?: string | undefined }) => {
    if (!values.partner) throw new UsageError(`webhooks ${sub}: --partner is required`);
    return values.partner;
  };
  if (sub === 'deliveries') {
    const { values } = parse(args, { partner: { type: 'string' }, payment: { type: 'string' } });
    const output = { json: values.json === true, stdout: io.stdout };
    await webhookDeliveriesCommand(config, output, {
      partnerId: partnerOf(values),
      paymentId: values.payment,
    });
  } else if (sub === 'redeliver') {
    const { values, positionals } = parse(args, {});
    if (positionals.length !== 1) throw new UsageError('webhooks redeliver: give the delivery id');
    const output = { json: values.json === true, stdout: io.stdout };
    await redeliverWebhookCommand(config, output, { id: positionals[0] as string });
  } else if (sub === 'test') {
    const { values } = parse(args, { partner: { type: 'string' }, url: { type: 'string' } });
    const output = { json: values.json === true, stdout: io.stdout };
    await testWebhookCommand(config, output, { partnerId: partnerOf(values), url: values.url });
  } else if (sub === 'rotate-secret') {
    const { values } = parse(args, { partner: { type: 'string' } });
    const output = { json: values.json === true, stdout: io.stdout };
    await rotateWebhookSecretCommand(config, output, { partnerId: partnerOf(values) });
  } else if (sub === 'events') {
    const { values, positionals } = parse(args, { partner: { type: 'string' } });
    const output = { json: values.json === true, stdout: io.stdout };
    await webhookEventsCommand(config, output, { partnerId: partnerOf(values), events: positionals });
  } else return false;
  return true;
}

/** `quickcart product add | product list | stock add`; false when it is not one of them. */
async function storeCommand(config: Config, io: CliIo, command: string, sub: string, args: string[]) {
  if (command === 'product' && sub === 'add') {
    const { values } = parse(args, {
      name: { type: 'string' },
      price: { type: 'string' },
      'reseller-price': { type: 'string' },
      category: { type: 'string' },
      description: { type: 'string' },
    });
    if (!values.name) throw new UsageError('product add: --name is required');
    const reseller = values['reseller-price'];
    await addProductCommand(
      config,
      { json: values.json === true, stdout: io.stdout },
      {
        name: values.name,
        price: wholeNumber(values.price, '--price'),
        resellerPrice: reseller === undefined ? undefined : wholeNumber(reseller, '--reseller-price'),
        category: values.category,
        description: values.description,
      },
    );
  } else if (command === 'product' && sub === 'list') {
    const { values } = parse(args, {});
    await listProductsCommand(config, { json: values.json === true, stdout: io.stdout });
  } else if (command === 'stock' && sub === 'add') {
    const { values, positionals } = parse(args, { file: { type: 'string' }, blocks: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('stock add: give the product id');
    if (!values.file) throw new UsageError('stock add: --file is required');
    await addStockCommand(
      config,
      { json: values.json === true, stdout: io.stdout },
      {
        productId: wholeNumber(positionals[0], 'PRODUCT_ID'),
        file: values.file,
        blocks: values.blocks === true,
      },
    );
  } else return false;
  return true;
}

/** Runs `quickcart` with `args` (without "node" and the script) and returns the exit code. */
export async function main(args: readonly string[], io: CliIo = nodeIo): Promise<number> {
  const [command, sub, ...rest] = args;
  if (command === 'sandbox') return sandboxMain(args.slice(1));
  try {
    if (command === undefined || command === 'help' || command === '--help') {
      io.stdout(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    const config = loadConfig(io.env);
    if (command === 'start') {
      parse(args.slice(1), {});
      const server = await startQuickCart(config, { print: io.stdout });
      await (io.untilStopped ?? nodeIo.untilStopped)?.();
      io.stderr('quickcart: stopping (finishing in-flight requests)\n');
      await server.close();
      return 0;
    }
    if (command === 'migrate') {
      const { values } = parse(args.slice(1), {});
      await migrateCommand(config, { json: values.json === true, stdout: io.stdout });
      return 0;
    }
    if (command === 'partner' && sub === 'create') {
      const { values } = parse(rest, { name: { type: 'string' }, 'webhook-url': { type: 'string' } });
      if (!values.name) throw new UsageError('partner create: --name is required');
      await createPartnerCommand(
        config,
        { json: values.json === true, stdout: io.stdout },
        {
          name: values.name,
          webhookUrl: values['webhook-url'],
        },
      );
      return 0;
    }
    if (command === 'license' && sub === 'create') {
      const { values } = parse(rest, {
        partner: { type: 'string' },
        tokens: { type: 'string' },
        expires: { type: 'string' },
      });
      if (!values.partner) throw new UsageError('license create: --partner is required');
      await createLicenseCommand(
        config,
        { json: values.json === true, stdout: io.stdout },
        {
          partnerId: values.partner,
          tokens: wholeNumber(values.tokens, '--tokens'),
          expiresAt: date(values.expires),
        },
      );
      return 0;
    }
    if (command === 'license' && sub === 'topup') {
      const { values, positionals } = parse(rest, { tokens: { type: 'string' } });
      if (positionals.length !== 1) throw new UsageError('license topup: give the license key');
      await topupLicenseCommand(
        config,
        { json: values.json === true, stdout: io.stdout },
        {
          key: positionals[0] as string,
          tokens: wholeNumber(values.tokens, '--tokens'),
        },
      );
      return 0;
    }
    if (command === 'webhooks' && sub !== undefined && (await webhooksCommand(config, io, sub, rest)))
      return 0;
    if (sub !== undefined && (await storeCommand(config, io, command, sub, rest))) return 0;
    throw new UsageError(`unknown command ${JSON.stringify([command, sub].filter(Boolean).join(' '))}`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`quickcart: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (
      error instanceof QuickCartError ||
      error instanceof ConfigError ||
      error instanceof DatabaseLockedError
    ) {
      const code = 'code' in error ? `${String(error.code)}: ` : '';
      io.stderr(`quickcart: ${code}${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
