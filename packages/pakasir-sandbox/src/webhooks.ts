// Webhook delivery on completion: v1 bodies signed with X-Pakasir-Signature (hex HMAC-SHA256 of
// the raw body), v2 bodies with X-Secret; up to `retries` retries with exponential backoff on a
// network error or a non-2xx answer; webhook faults applied; every delivery logged for tests.
import { createHmac } from 'node:crypto';
import { type ClientRequest, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ApiVersion } from '@quickcart/pakasir';
import type { WebhookFaults } from './faults.js';
import { type Random, randomInt } from './random.js';
import type { TransactionRecord } from './transaction.js';
import { v1WebhookPayload, v2WebhookPayload } from './views.js';

export interface WebhookOptions {
  /** Where to POST; without one, nothing is sent or logged. */
  url: string | undefined;
  /** Signs v1 webhooks, and is sent as X-Secret with v2 ones. */
  secret: string | undefined;
  /** Retries after the first attempt (default 3). */
  retries: number;
  /** First retry delay; each next one doubles, plus up to 10% seeded jitter. */
  baseDelayMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
  random: Random;
  now: () => number;
  log: (line: string) => void;
}

/** One attempt: the receiver's status, or the network error. */
export interface WebhookAttempt {
  /** Sandbox clock, epoch ms. */
  at: number;
  status?: number;
  error?: string;
}

/** One webhook in the log. `state` moves from "scheduled" to one of the others. */
export interface WebhookDelivery {
  id: number;
  version: ApiVersion;
  orderId: string;
  txnId: string;
  url: string;
  /** The exact bytes sent (what the signature covers). */
  body: string;
  headers: Record<string, string>;
  /** 2 for the second copy of a duplicated webhook. */
  copy: 1 | 2;
  faults: WebhookFaults;
  state: 'scheduled' | 'delivered' | 'failed' | 'dropped' | 'abandoned';
  attempts: WebhookAttempt[];
}

/** Hex HMAC-SHA256 of `body` with `secret`: the v1 X-Pakasir-Signature. */
export function signBody(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** Sends webhooks in the background; `close()` stops every timer and open request at once. */
export class WebhookDispatcher {
  readonly #options: WebhookOptions;
  readonly #deliveries: WebhookDelivery[] = [];
  readonly #sleepers = new Map<NodeJS.Timeout, (slept: boolean) => void>();
  readonly #requests = new Set<ClientRequest>();
  #running = 0;
  #idleWaiters: (() => void)[] = [];
  #closed = false;

  constructor(options: WebhookOptions) {
    this.#options = options;
  }

  /** A copy of the log, oldest first. */
  log(): WebhookDelivery[] {
    return structuredClone(this.#deliveries);
  }

  /** Resolves when no delivery is scheduled or in flight. */
  idle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Announces a completed transaction to the webhook URL, with `faults` applied. */
  send(txn: TransactionRecord, faults: WebhookFaults): void {
    const { url, secret } = this.#options;
    if (url === undefined || this.#closed) return;
    const amount = faults.wrongAmount ? txn.amount + 1 : txn.amount;
    const body = JSON.stringify(
      txn.version === 'v1' ? v1WebhookPayload(txn, amount) : v2WebhookPayload(txn, amount),
    );
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'pakasir-sandbox',
    };
    if (secret !== undefined && secret !== '') {
      if (txn.version === 'v1') headers['X-Pakasir-Signature'] = signBody(body, secret);
      else headers['X-Secret'] = secret;
    }
    const entry = this.#entry({
      version: txn.version,
      orderId: txn.orderId,
      txnId: txn.txnId,
      url,
      body,
      headers,
      copy: 1,
      faults,
    });
    if (faults.drop) {
      entry.state = 'dropped';
      this.#options.log(`webhook #${entry.id} for ${txn.orderId} dropped (fault)`);
      return;
    }
    this.#running++;
    void this.#deliver(entry, faults.delayMs)
      .then(async () => {
        if (faults.duplicate && !this.#closed) await this.#deliver(this.#entry({ ...entry, copy: 2 }), 0);
      })
      .finally(() => this.#finished());
  }

  /** Cancels every pending retry and in-flight request; later sends are ignored. */
  close(): void {
    this.#closed = true;
    for (const [timer, wake] of this.#sleepers) {
      clearTimeout(timer);
      wake(false);
    }
    this.#sleepers.clear();
    for (const request of this.#requests) request.destroy(new Error('sandbox closed'));
  }

  #entry(fields: Omit<WebhookDelivery, 'id' | 'state' | 'attempts'>): WebhookDelivery {
    const entry: WebhookDelivery = {
      ...fields,
      id: this.#deliveries.length + 1,
      state: 'scheduled',
      attempts: [],
    };
    this.#deliveries.push(entry);
    return entry;
  }

  async #deliver(entry: WebhookDelivery, firstDelayMs: number): Promise<void> {
    const { retries, baseDelayMs } = this.#options;
    for (let attempt = 0; attempt <= retries; attempt++) {
      const base = attempt === 0 ? firstDelayMs : baseDelayMs * 2 ** (attempt - 1);
      const wait = attempt === 0 ? base : base + randomInt(this.#options.random, Math.floor(base / 10));
      if ((wait > 0 && !(await this.#sleep(wait))) || this.#closed) {
        entry.state = 'abandoned';
        return;
      }
      const result = await this.#post(entry);
      entry.attempts.push(result);
      if (this.#closed) {
        entry.state = 'abandoned';
        return;
      }
      const outcome = result.status !== undefined ? `HTTP ${result.status}` : result.error;
      this.#options.log(`webhook #${entry.id} for ${entry.orderId}, attempt ${attempt + 1}: ${outcome}`);
      if (result.status !== undefined && result.status >= 200 && result.status < 300) {
        entry.state = 'delivered';
        return;
      }
    }
    entry.state = 'failed';
  }

  /** Waits `ms`; resolves false instead when the dispatcher closes first. */
  #sleep(ms: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#sleepers.delete(timer);
        resolve(true);
      }, ms);
      this.#sleepers.set(timer, resolve);
    });
  }

  /** One POST of the entry's body; never rejects. */
  #post(entry: WebhookDelivery): Promise<WebhookAttempt> {
    const at = this.#options.now();
    return new Promise((resolve) => {
      const target = new URL(entry.url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(target, {
        method: 'POST',
        agent: false,
        headers: { ...entry.headers, 'Content-Length': String(Buffer.byteLength(entry.body)) },
        timeout: this.#options.timeoutMs,
      });
      this.#requests.add(request);
      const done = (attempt: WebhookAttempt) => {
        this.#requests.delete(request);
        resolve(attempt);
      };
      request.on('response', (response) => {
        response.resume();
        done({ at, status: response.statusCode ?? 0 });
      });
      request.on('timeout', () => request.destroy(new Error(`no answer in ${this.#options.timeoutMs} ms`)));
      request.on('error', (error) => done({ at, error: error.message }));
      request.end(entry.body);
    });
  }

  #finished(): void {
    this.#running--;
    if (this.#running > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
