import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger.js';
import type { LogLevel } from '../config.js';

/**
 * Fastify's pino logger, configured for QuickCart (seed 003 "Data protection"): one JSON line per
 * event, a `request_id` on every line of a request, and secrets and customer PII never written.
 * API keys, license keys, webhook secrets and signatures are replaced by `[REDACTED]`; customer
 * e-mail addresses and phone numbers are masked (`j***@example.com`, `*******890`).
 */

/** Where log lines go and how many: what `buildApp({ logger })` takes. */
export interface HttpLoggerOptions {
  /** Default: the config's LOG_LEVEL. */
  level?: LogLevel;
  /** Default: stdout. Tests pass a stream that collects the lines. */
  stream?: { write(line: string): void };
}

/** The header a request id is read from and echoed in. */
export const REQUEST_ID_HEADER = 'x-request-id';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request id: the caller's `x-request-id` when it is a plain token of at most 128 characters, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Field names whose values are secrets: never logged, at any depth up to four levels. */
export const SECRET_FIELDS = [
  'authorization',
  'x-api-key',
  'x-admin-key',
  'x-pakasir-signature',
  'x-secret',
  'cookie',
  'api_key',
  'apiKey',
  'license_key',
  'licenseKey',
  'webhook_secret',
  'webhookSecret',
  'secret',
  'password',
  'token',
] as const;

/** Field names holding customer PII: masked. */
export const PII_FIELDS = [
  'customer_email',
  'customerEmail',
  'customer_phone',
  'customerPhone',
  'email',
  'phone',
] as const;

function field(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`;
}

/** pino redact paths: each field at the top level and up to three levels down. */
export function redactPaths(): string[] {
  const paths: string[] = [];
  for (const name of [...SECRET_FIELDS, ...PII_FIELDS]) {
    const leaf = field(name);
    paths.push(leaf.startsWith('.') ? leaf.slice(1) : leaf, `*${leaf}`, `*.*${leaf}`, `*.*.*${leaf}`);
  }
  return paths;
}

/** `jane@example.com` → `j***@example.com`; anything else that is not an address → `[REDACTED]`. */
export function maskEmail(value: unknown): string {
  if (typeof value !== 'string') return '[REDACTED]';
  const at = value.lastIndexOf('@');
  if (at < 1) return '[REDACTED]';
  return `${value[0]}***${value.slice(at)}`;
}

/** `081234567890` → `*********890`: the last three digits stay, for support. */
export function maskPhone(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '[REDACTED]';
  const digits = String(value).replace(/\D/g, '');
  if (digits.length < 6) return '[REDACTED]';
  return `${'*'.repeat(digits.length - 3)}${digits.slice(-3)}`;
}

/** The pino censor: masks PII by its field name, blanks every other redacted value. */
export function censor(value: unknown, path: readonly unknown[]): unknown {
  const name = String(path[path.length - 1] ?? '').toLowerCase();
  if (name.endsWith('email')) return maskEmail(value);
  if (name.endsWith('phone')) return maskPhone(value);
  return '[REDACTED]';
}

const SECRET_QUERY = new RegExp(
  `([?&](?:${[...SECRET_FIELDS, ...PII_FIELDS].map((name) => name.replace(/[-]/g, '\\-')).join('|')})=)[^&#]*`,
  'gi',
);

/** A URL fit for a log line: values of secret-looking query parameters replaced by `[REDACTED]`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[REDACTED]');
}

/** How a request appears in log lines: no headers (they hold keys), a sanitized URL. */
function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    remoteAddress: request.ip,
    userAgent: request.headers['user-agent'],
  };
}

/** The `logger` option of Fastify for QuickCart: level, destination, serializers and redaction. */
export function fastifyLoggerOptions(defaults: { level: LogLevel }, options: HttpLoggerOptions = {}) {
  return {
    level: options.level ?? defaults.level,
    ...(options.stream !== undefined && { stream: options.stream }),
    redact: { paths: redactPaths(), censor },
    serializers: {
      // Fastify passes its own request object to the `req` serializer.
      req: (request: unknown) => serializeRequest(request as FastifyRequest),
    },
  };
}

/** pino's level numbers: a call is written when its level is at least the logger's. */
const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * A request's logger whose pino child is made on its first line written. pino serializes and
 * redacts a child's bindings when it makes one, which cost about 13% of a status read that logs
 * nothing (LOG_LEVEL above info). A plain class, not a Proxy: Fastify reads every level method of
 * the logger it is given (to check it is one), and that must not make the child either.
 */
class LazyChildLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private made(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }

  /** Writes through the child unless the level is off (then nothing is made). */
  private write(level: LevelName, args: unknown[]): void {
    const logger = this.#child ?? this.parent;
    if ((LEVELS[level] ?? 0) < (LEVELS[logger.level] ?? Number.POSITIVE_INFINITY)) return;
    (this.made()[level] as (...values: unknown[]) => void)(...args);
  }

  get level(): FastifyBaseLogger['level'] {
    return (this.#child ?? this.parent).level;
  }

  set level(level: FastifyBaseLogger['level']) {
    this.made().level = level;
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.made().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: a request's child logger, made on its first line written. */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  // A route with its own level or serializers gets its child at once: the parent cannot answer for it.
  if (options.level !== undefined || options.serializers !== undefined)
    return logger.child(bindings, options);
  return new LazyChildLogger(logger, bindings, options);
}
