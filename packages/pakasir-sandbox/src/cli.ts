import { parseArgs } from 'node:util';
import { SandboxError } from './errors.js';
import { type SandboxHandle, startSandbox } from './server.js';

/** Where the CLI writes and how it learns to stop; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves when the sandbox should stop. Default: on SIGINT or SIGTERM. */
  untilStopped(sandbox: SandboxHandle): Promise<void>;
}

const USAGE = `Usage: pakasir-sandbox --project SLUG --api-key KEY [options]

A Pakasir-compatible fake payment gateway (v1 and v2 APIs, pay pages, webhooks, faults).
Prints its base URL on standard output, then logs requests on standard error.

Options:
  --project SLUG          project slug (required)
  --api-key KEY           the project's API key (required)
  --port N                TCP port (default 0: any free port)
  --host HOST             interface to listen on (default 127.0.0.1)
  --webhook-url URL       POST completion webhooks here
  --webhook-secret S      sign v1 webhooks (X-Pakasir-Signature); sent as X-Secret with v2
  --state FILE            keep transactions in FILE across restarts (default: memory only)
  --expiry-minutes N      how long a transaction stays payable (default 60)
  --seed N                seed of every random choice (ids, jitter, fault rates)
  --merchant-qris QRIS    static merchant QRIS to make the dynamic ones from
  --public-url URL        base of the payment links handed out, behind a proxy
  --quiet                 do not log requests
  -h, --help              show this help`;

class UsageError extends Error {}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

const nodeIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  untilStopped: waitForSignal,
};

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        project: { type: 'string' },
        'api-key': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'webhook-url': { type: 'string' },
        'webhook-secret': { type: 'string' },
        state: { type: 'string' },
        'expiry-minutes': { type: 'string' },
        seed: { type: 'string' },
        'merchant-qris': { type: 'string' },
        'public-url': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function wholeNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value))
    throw new UsageError(`${name} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Runs the CLI with `args` (without "node" and the script) and returns the exit code. */
export async function main(args: readonly string[], io: CliIo = nodeIo): Promise<number> {
  let sandbox: SandboxHandle;
  try {
    const values = parse(args);
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (values.project === undefined) throw new UsageError('--project is required');
    if (values['api-key'] === undefined) throw new UsageError('--api-key is required');
    const port = wholeNumber(values.port, '--port');
    const expiryMinutes = wholeNumber(values['expiry-minutes'], '--expiry-minutes');
    const seed = wholeNumber(values.seed, '--seed');
    sandbox = await startSandbox({
      project: values.project,
      apiKey: values['api-key'],
      ...(port !== undefined && { port }),
      ...(values.host !== undefined && { host: values.host }),
      ...(values['webhook-url'] !== undefined && { webhookUrl: values['webhook-url'] }),
      ...(values['webhook-secret'] !== undefined && { webhookSecret: values['webhook-secret'] }),
      ...(values.state !== undefined && { statePath: values.state }),
      ...(expiryMinutes !== undefined && { expiryMs: expiryMinutes * 60_000 }),
      ...(seed !== undefined && { seed }),
      ...(values['merchant-qris'] !== undefined && { merchantQris: values['merchant-qris'] }),
      ...(values['public-url'] !== undefined && { publicUrl: values['public-url'] }),
      ...(!values.quiet && { log: (line: string) => io.stderr(`${line}\n`) }),
    });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`pakasir-sandbox: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof SandboxError) {
      io.stderr(`pakasir-sandbox: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  io.stdout(`${sandbox.url}\n`);
  try {
    await io.untilStopped(sandbox);
  } finally {
    await sandbox.close();
  }
  return 0;
}
