import { Pakasir, type PakasirOptions } from './client.js';
import { PakasirValidationError } from './errors.js';

type Env = Record<string, string | undefined>;

/** The process environment where there is one (Node, Bun, Deno with --allow-env), else empty. */
function processEnv(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

/**
 * A client configured from the environment variables of seed 000: PAKASIR_API_KEY,
 * PAKASIR_PROJECT_SLUG, PAKASIR_BASE_URL, PAKASIR_PAYMENT_CUSTOM_DOMAIN (or PAKASIR_PUBLIC_DOMAIN),
 * PAKASIR_WEBHOOK_SECRET and PAKASIR_API_VERSION. `overrides` win over the environment.
 */
export function fromEnv(env: Env = processEnv(), overrides: Partial<PakasirOptions> = {}): Pakasir {
  const missing = ['PAKASIR_API_KEY', 'PAKASIR_PROJECT_SLUG'].filter((name) => !env[name]);
  if (missing.length > 0 && !(overrides.apiKey && overrides.project)) {
    throw new PakasirValidationError(
      `missing environment variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
    );
  }
  const version = env.PAKASIR_API_VERSION;
  if (version !== undefined && version !== '' && version !== 'v1' && version !== 'v2') {
    throw new PakasirValidationError(`PAKASIR_API_VERSION must be v1 or v2, got ${JSON.stringify(version)}`);
  }
  const domain = env.PAKASIR_PAYMENT_CUSTOM_DOMAIN || env.PAKASIR_PUBLIC_DOMAIN;
  return new Pakasir({
    project: env.PAKASIR_PROJECT_SLUG ?? '',
    apiKey: env.PAKASIR_API_KEY ?? '',
    ...(env.PAKASIR_BASE_URL && { baseUrl: env.PAKASIR_BASE_URL }),
    ...(domain && { publicDomain: domain }),
    ...(env.PAKASIR_WEBHOOK_SECRET && { webhookSecret: env.PAKASIR_WEBHOOK_SECRET }),
    ...(version && { apiVersion: version }),
    ...overrides,
  });
}
