// A fake Telegram Bot API server: a real node:http server on 127.0.0.1 (port 0) speaking the wire
// protocol grammY uses: POST /bot<token>/<method> with a JSON or multipart/form-data body (files
// as attach://<part> references), answers `{ ok, result }` or `{ ok: false, error_code,
// description }`, getUpdates long polling, and file downloads under /file/bot<token>/<path>.
// After setWebhook it POSTs queued updates to the webhook URL instead, with
// X-Telegram-Bot-Api-Secret-Token, retrying what is not answered 2xx (and getUpdates is 409).
// Every call is recorded in the TelegramWorld it serves.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'grammy/types';
import type { FakeWebhook, RecordedCall, TelegramWorld } from './telegram-world.js';

export interface FakeBotApi {
  /** The API root to give grammY (`client.apiRoot`, TELEGRAM_API_ROOT). */
  url: string;
  /** Requests answered 401 because of a wrong token. */
  unauthorized: number;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The parts of a multipart/form-data body (RFC 7578), as grammY writes them. */
function multipartParts(raw: Buffer, boundary: string): { name: string; filename?: string; data: Buffer }[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const out: { name: string; filename?: string; data: Buffer }[] = [];
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break; // the closing delimiter
    const next = raw.indexOf(delimiter, start);
    if (next < 0) throw new Error('multipart body without its closing delimiter');
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = raw.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) throw new Error('multipart part without headers');
    const headers = part.subarray(0, split).toString('utf8');
    const name = /[:;]\s*name="([^"]*)"/.exec(headers)?.[1];
    if (name === undefined) throw new Error(`multipart part without a name: ${headers}`);
    // grammY writes `filename=x.png` unquoted; browsers quote it.
    const file = /;\s*filename=(?:"([^"]*)"|([^;\r\n]+))/.exec(headers);
    const filename = file ? (file[1] ?? file[2]) : undefined;
    out.push({
      name,
      ...(filename !== undefined && { filename }),
      data: Buffer.from(part.subarray(split + 4)),
    });
    at = next;
  }
  return out;
}

/** Multipart or JSON body → payload fields and uploaded files (attach:// resolved). */
async function parsePayload(
  request: IncomingMessage,
  raw: Buffer,
): Promise<{ payload: Record<string, unknown>; files: RecordedCall['files'] }> {
  const type = request.headers['content-type'] ?? '';
  if (raw.length === 0) return { payload: {}, files: {} };
  if (type.startsWith('application/json')) return { payload: JSON.parse(raw.toString('utf8')), files: {} };
  if (!type.startsWith('multipart/form-data')) throw new Error(`unsupported content type ${type}`);
  const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
  if (!boundary) throw new Error('multipart body without a boundary');
  const fields: Record<string, string> = {};
  const parts: Record<string, { filename: string; data: Buffer }> = {};
  for (const part of multipartParts(raw, boundary)) {
    if (part.filename === undefined) fields[part.name] = part.data.toString('utf8');
    else parts[part.name] = { filename: part.filename, data: part.data };
  }
  const payload: Record<string, unknown> = {};
  const files: RecordedCall['files'] = {};
  for (const [name, value] of Object.entries(fields)) {
    const attached = /^attach:\/\/(.+)$/.exec(value);
    if (attached?.[1] && parts[attached[1]]) {
      files[name] = parts[attached[1]] as { filename: string; data: Buffer };
      payload[name] = value;
    } else if (/^[[{]/.test(value)) payload[name] = JSON.parse(value);
    else if (/^-?\d{1,15}$/.test(value)) payload[name] = Number(value);
    else payload[name] = value;
  }
  return { payload, files };
}

/** Starts the fake Bot API for `world`, accepting only `token` (on `port`, default any free one). */
export async function startFakeBotApi(world: TelegramWorld, token: string, port = 0): Promise<FakeBotApi> {
  const state = { unauthorized: 0 };
  const send = (response: ServerResponse, status: number, value: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(value));
  };
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (file) {
        const data = file[1] === token ? world.fileByPath(decodeURIComponent(file[2] ?? '')) : undefined;
        if (!data) return send(response, 404, { ok: false, error_code: 404, description: 'Not Found' });
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        return response.end(data);
      }
      const call = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
      if (!call) return send(response, 404, { ok: false, error_code: 404, description: 'Not Found' });
      if (call[1] !== token) {
        state.unauthorized++;
        return send(response, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      }
      const method = call[2] ?? '';
      const { payload, files } = await parsePayload(request, await body(request));
      if (method === 'getUpdates') {
        world.record(method, payload);
        if (world.webhook) {
          return send(response, 409, {
            ok: false,
            error_code: 409,
            description:
              "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
          });
        }
        const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
        const updates = await world.takeUpdates(
          Number(payload.offset ?? 0),
          Number(payload.limit ?? 100),
          Math.min(Number(payload.timeout ?? 0), 30) * 1000,
          closed,
        );
        if (!response.destroyed) send(response, 200, { ok: true, result: updates });
        return;
      }
      const answer = world.answer(method, payload, files);
      send(response, answer.ok ? 200 : answer.error_code, answer);
    })().catch((error: Error) =>
      send(response, 500, { ok: false, error_code: 500, description: error.message }),
    );
  });
  // Webhook delivery: every queued update is POSTed (concurrently, as Telegram does up to
  // max_connections), retried up to 5 times 100 ms apart until answered 2xx.
  const deliveries = new Set<Promise<void>>();
  let closed = false;
  const deliver = async (hook: FakeWebhook, update: Update) => {
    for (let attempt = 1; attempt <= 5 && !closed; attempt++) {
      let status = 0;
      try {
        const answer = await fetch(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(hook.secretToken !== undefined && { 'x-telegram-bot-api-secret-token': hook.secretToken }),
          },
          body: JSON.stringify(update),
          signal: AbortSignal.timeout(30_000),
        });
        status = answer.status;
        await answer.arrayBuffer();
      } catch {
        status = 0;
      }
      world.webhookAnswers.push({ updateId: update.update_id, status });
      if (status >= 200 && status < 300) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const stopPushing = world.onUpdates(() => {
    const hook = world.webhook;
    if (!hook || closed) return;
    for (const update of world.drainUpdates()) {
      const delivery: Promise<void> = deliver(hook, update).finally(() => deliveries.delete(delivery));
      deliveries.add(delivery);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    get unauthorized() {
      return state.unauthorized;
    },
    async close() {
      closed = true;
      stopPushing();
      await Promise.allSettled([...deliveries]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
