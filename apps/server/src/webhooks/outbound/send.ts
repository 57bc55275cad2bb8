import { type AttemptOutcome, parseRetryAfter } from './schedule.js';
import { type TargetGuard, TargetRefusedError } from './ssrf.js';
import type { Connector, ConnectResponse } from './transport.js';

/** How long one attempt may take, DNS to the answer's first kilobyte. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** How much of an answer is kept with the attempt. */
export const MAX_RESPONSE_BYTES = 1024;

/** Connection errors after which the host's next address is tried. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** What one attempt did, as recorded in `webhook_attempts`. */
export interface AttemptResult {
  outcome: AttemptOutcome;
  statusCode: number | null;
  latencyMs: number;
  responseBody: string | null;
  /** Why there was no answer (refused target, timeout, connection error); never a secret. */
  error: string | null;
}

/** Options of `attemptDelivery()`. */
export interface AttemptOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  guard: TargetGuard;
  connector: Connector;
  timeoutMs?: number;
  now?: () => Date;
}

function timeoutAfter(ms: number, controller: AbortController): { promise: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`no answer within ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * One attempt: the SSRF guard resolves and checks the target, then the connector posts to the
 * checked address; the whole attempt is bounded by `timeoutMs`. Never throws: every ending is a
 * result to record.
 */
export async function attemptDelivery(options: AttemptOptions): Promise<AttemptResult> {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const controller = new AbortController();
  const deadline = timeoutAfter(timeoutMs, controller);
  try {
    const target = await Promise.race([options.guard.resolve(options.url), deadline.promise]);
    let response: ConnectResponse | undefined;
    // Every address passed the guard; the next one is tried only when one cannot be reached.
    for (const [index, address] of target.addresses.entries()) {
      try {
        response = await Promise.race([
          options.connector({
            url: target.url,
            address,
            headers: options.headers,
            body: options.body,
            signal: controller.signal,
            maxBodyBytes: MAX_RESPONSE_BYTES,
          }),
          deadline.promise,
        ]);
        break;
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        if (index === target.addresses.length - 1 || !UNREACHABLE.has(code)) throw error;
      }
    }
    if (!response) throw new Error(`the host ${target.host} has no address`);
    return {
      outcome: {
        kind: 'response',
        status: response.status,
        retryAfterMs: parseRetryAfter(response.retryAfter, now()),
      },
      statusCode: response.status,
      latencyMs: latency(),
      // PostgreSQL text cannot hold NUL.
      responseBody: response.body.replaceAll('\u0000', ''),
      error: null,
    };
  } catch (error) {
    const refused = error instanceof TargetRefusedError;
    return {
      outcome: refused ? { kind: 'refused' } : { kind: 'network' },
      statusCode: null,
      latencyMs: latency(),
      responseBody: null,
      error: describe(error),
    };
  } finally {
    deadline.clear();
    controller.abort();
  }
}

/** A short, secret-free description of why an attempt got no answer. */
function describe(error: unknown): string {
  if (error instanceof TargetRefusedError) return `refused: ${error.message}`;
  const { code, message } = error as { code?: string; message?: string };
  const text = code && !message?.includes(code) ? `${code}: ${message ?? ''}` : (message ?? String(error));
  return text.slice(0, 500);
}
