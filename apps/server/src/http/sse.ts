import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { LongRequests } from './long-requests.js';

/**
 * The Server-Sent Events plumbing of the payment status streams (`GET /v1/payments/:id/events`
 * and the checkout page's `GET /checkout/:id/events`):
 * - subscribe first, then read the current state: a change in between is queued, never missed;
 * - `retry: 3000`, then one `event: status` per change of the event's `status` (`id:` counts up);
 * - a `: heartbeat` comment every `heartbeatMs`, so proxies keep the connection open;
 * - the stream ends after a final event, when the app closes (the long request is aborted; the
 *   app then answers with `Connection: close`), and when the client goes away (unsubscribed at once).
 * Errors before the stream starts (a throwing `subscribe` or `read`) propagate: the route answers
 * them as ordinary JSON errors.
 */

/** One SSE event in the wire format. */
export function sseEvent(event: { id: number; event: string; data: unknown }): string {
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** What one state becomes on the stream: events are sent when `status` changes; `final` ends it. */
export interface StatusEvent {
  status: string;
  data: unknown;
  final: boolean;
}

/** Options of `sendStatusStream()`. */
export interface StatusStreamOptions<T> {
  /** Registers `listener` for every change; resolves with the function that unregisters it. */
  subscribe(listener: (state: T) => void): Promise<() => void>;
  /** Reads the current state (after subscribing). */
  read(): Promise<T>;
  /** The event a state is sent as. */
  toEvent(state: T): StatusEvent;
  longRequests: LongRequests;
  heartbeatMs: number;
}

/** Answers `reply` with a status event stream (see above); resolves once the stream is sent. */
export async function sendStatusStream<T>(
  reply: FastifyReply,
  options: StatusStreamOptions<T>,
): Promise<FastifyReply> {
  const { longRequests } = options;
  const queued: T[] = [];
  let deliver = (state: T) => {
    queued.push(state);
  };
  const unsubscribe = await options.subscribe((state) => deliver(state));
  let current: T;
  let controller: AbortController;
  try {
    current = await options.read();
    controller = longRequests.open();
  } catch (error) {
    unsubscribe();
    throw error;
  }

  const stream = new PassThrough();
  let lastStatus: string | undefined;
  let eventId = 0;
  let finished = false;
  const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), options.heartbeatMs);
  const finish = () => {
    if (finished) return;
    finished = true;
    clearInterval(heartbeat);
    unsubscribe();
    longRequests.close(controller);
    controller.signal.removeEventListener('abort', finish);
    reply.raw.off('close', finish);
    stream.end();
  };
  const send = (state: T) => {
    if (finished) return;
    const event = options.toEvent(state);
    if (event.status === lastStatus) return;
    lastStatus = event.status;
    eventId += 1;
    stream.write(sseEvent({ id: eventId, event: 'status', data: event.data }));
    if (event.final) finish();
  };
  controller.signal.addEventListener('abort', finish, { once: true });
  reply.raw.once('close', finish);
  stream.once('close', finish);

  stream.write('retry: 3000\n\n');
  send(current);
  for (const state of queued) send(state);
  deliver = send;
  return reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-transform')
    .header('x-accel-buffering', 'no')
    .send(stream);
}
