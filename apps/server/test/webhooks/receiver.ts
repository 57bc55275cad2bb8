// A real HTTP webhook receiver on 127.0.0.1:0 for tests: records every request (raw body,
// headers, time) and answers what its current `respond` says, or holds the request open.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { acceptedBySeed } from './seed-verify.js';

/** One request the receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What to answer: a status (with headers and body, after `delayMs`), or `hang` (never answer). */
export type Answer =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | 'hang';

export interface Receiver {
  url: string;
  requests: Received[];
  /** Decides the answer of request number `index` (from 0); default 200 "ok". */
  respond: (request: Received, index: number) => Answer;
  /** Resolves once `count` requests arrived (bounded by `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver. */
export async function startReceiver(respond?: Receiver['respond']): Promise<Receiver> {
  const requests: Received[] = [];
  const held: ServerResponse[] = [];
  const waiters: (() => void)[] = [];
  const receiver: Receiver = {
    url: '',
    requests,
    respond: respond ?? (() => ({ status: 200, body: 'ok' })),
    async waitFor(count, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > until) throw new Error(`the receiver got ${requests.length} of ${count} requests`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = {
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      const index = requests.push(received) - 1;
      for (const wake of waiters.splice(0)) wake();
      const answer = receiver.respond(received, index);
      if (answer === 'hang') {
        held.push(response);
        return;
      }
      setTimeout(() => {
        response.writeHead(answer.status, answer.headers ?? {});
        response.end(answer.body ?? '');
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  receiver.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return receiver;
}

/** Whether both verifiers accept a received request with `secret`: seed 004's snippet and standardwebhooks. */
export function verifiedBy(request: Received, secret: string): { seed: boolean; standard: boolean } {
  const signature = request.headers['x-kgiton-signature'];
  let standard = true;
  try {
    new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
  } catch {
    standard = false;
  }
  return {
    seed: acceptedBySeed(request.body, typeof signature === 'string' ? signature : undefined, secret),
    standard,
  };
}
