// Reading request bodies and writing answers, on plain node:http.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchAnswer } from '@quickcart/pakasir';
import { badRequest, HttpError } from './errors.js';

/** An answer: JSON (the API, the sandbox's own endpoints) or HTML (the pay pages). */
export type Reply =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; html: string; headers?: Record<string, string> };

/** A request body's fields: JSON values, or strings for a form. */
export interface ParsedBody {
  fields: Record<string, unknown>;
  /** True for application/x-www-form-urlencoded: every field is a string. */
  form: boolean;
}

/** Largest body accepted; more is a 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The raw body as UTF-8 text. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parses a body as a JSON object or, when `allowForm` and the Content-Type says so, as
 * application/x-www-form-urlencoded. A form-typed body that starts with "{" is read as JSON:
 * `curl -d '{…}'` without `-H 'Content-Type: application/json'` sends exactly that.
 */
export function parseBody(text: string, contentType: string | undefined, allowForm: boolean): ParsedBody {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (allowForm && type === 'application/x-www-form-urlencoded' && !text.trimStart().startsWith('{')) {
    return { fields: Object.fromEntries(new URLSearchParams(text)), form: true };
  }
  if (text.trim() === '') throw badRequest('malformed JSON: the request body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`malformed JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRequest('malformed JSON: the body must be a JSON object');
  return { fields: value as Record<string, unknown>, form: false };
}

/** The body and headers of `reply`; JSON and HTML answers are never cached. */
function encodeReply(reply: Reply): { body: string; headers: Record<string, string> } {
  const isJson = 'json' in reply;
  const body = isJson ? JSON.stringify(reply.json) : reply.html;
  const headers = {
    'Content-Type': isJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...reply.headers,
  };
  return { body, headers };
}

/** Writes `reply` to a node:http response. */
export function sendReply(response: ServerResponse, reply: Reply): void {
  const { body, headers } = encodeReply(reply);
  response.writeHead(reply.status, headers);
  response.end(body);
}

/** `reply` as a WHATWG Response (the in-process `fetch`). */
export function toResponse(reply: Reply): Response {
  const { body, headers } = encodeReply(reply);
  return new Response(body, { status: reply.status, headers });
}

/** `reply` as a Pakasir client's `FetchAnswer`, without a WHATWG Response (the in-process `lightFetch`). */
export function toLightAnswer(reply: Reply): FetchAnswer {
  const { body, headers } = encodeReply(reply);
  const byName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    status: reply.status,
    ok: reply.status >= 200 && reply.status < 300,
    headers: { get: (name) => byName.get(name.toLowerCase()) ?? null },
    body: null,
    text: async () => body,
  };
}

/** `{ "error": message }` with the error's status and headers. */
export function errorReply(error: HttpError): Reply {
  return { status: error.status, json: { error: error.message }, headers: { ...error.headers } };
}
