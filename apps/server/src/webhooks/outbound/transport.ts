import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './ssrf.js';

/**
 * The one place a webhook leaves the process: a POST to an address the SSRF guard already
 * checked. Node's http client follows no redirects (a 3xx is just an answer); the socket goes to
 * the checked address, whatever DNS would answer now; TLS still verifies the URL's host name.
 */

/** One connection to make. */
export interface ConnectRequest {
  url: URL;
  /** The checked address to connect to. */
  address: ResolvedAddress;
  headers: Record<string, string>;
  body: string;
  /** Aborts the request (the per-attempt timeout). */
  signal: AbortSignal;
  /** Keep at most this many bytes of the answer. */
  maxBodyBytes: number;
}

/** What the receiver answered. */
export interface ConnectResponse {
  status: number;
  retryAfter: string | undefined;
  /** The first `maxBodyBytes` bytes, as UTF-8. */
  body: string;
}

/** Makes the connection; tests inject one that records attempts instead. */
export type Connector = (request: ConnectRequest) => Promise<ConnectResponse>;

/** The first `max` bytes of a response, then the socket is dropped (the rest is not our business). */
function readHead(response: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).subarray(0, max).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= max) {
        response.destroy();
        done();
      }
    });
    response.once('end', done);
    response.on('error', reject);
    response.once('close', done);
  });
}

/** Options of `createHttpConnector()`. */
export interface HttpConnectorOptions {
  /** Idle connections are closed after this long (default 4 s, under Node's 5 s server default). */
  idleMs?: number;
  /** Agents (checked addresses) kept at most; the oldest is closed beyond (default 256). */
  maxAddresses?: number;
}

/** A connector, and a way to close the connections it keeps. */
export interface HttpConnector extends Connector {
  close(): void;
}

/** Errors of a kept-alive socket that the server closed as it was reused: sent again on a fresh one. */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

/**
 * The real connector: node:http(s), pinned to the checked address, with keep-alive connections
 * per address. A request that fails on a reused socket before any answer (the server had just
 * closed it) is sent once more on a fresh connection, as the at-least-once contract allows.
 */
export function createHttpConnector(options: HttpConnectorOptions = {}): HttpConnector {
  const agents = new Map<string, HttpAgent>();
  const maxAddresses = options.maxAddresses ?? 256;
  const agentFor = (url: URL, address: ResolvedAddress): HttpAgent => {
    const key = `${url.protocol}${address.address}`;
    let agent = agents.get(key);
    if (!agent) {
      const settings = { keepAlive: true, timeout: options.idleMs ?? 4000, scheduling: 'lifo' as const };
      agent = url.protocol === 'https:' ? new HttpsAgent(settings) : new HttpAgent(settings);
      agents.set(key, agent);
      if (agents.size > maxAddresses) {
        const [oldest, old] = agents.entries().next().value as [string, HttpAgent];
        agents.delete(oldest);
        old.destroy();
      }
    }
    return agent;
  };
  const send = (request: ConnectRequest, fresh: boolean): Promise<ConnectResponse> =>
    new Promise((resolve, reject) => {
      const { url, address } = request;
      const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
        if (lookupOptions.all) callback(null, [{ address: address.address, family: address.family }]);
        else callback(null, address.address, address.family);
      };
      const post = url.protocol === 'https:' ? httpsRequest : httpRequest;
      let answered = false;
      const outgoing = post(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
          lookup,
          agent: fresh ? false : agentFor(url, address),
          signal: request.signal,
        },
        (response) => {
          answered = true;
          const retryAfter = response.headers['retry-after'];
          readHead(response, request.maxBodyBytes).then(
            (body) => resolve({ status: response.statusCode ?? 0, retryAfter, body }),
            reject,
          );
        },
      );
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        const stale = !fresh && !answered && outgoing.reusedSocket && STALE_SOCKET.has(error.code ?? '');
        if (stale && !request.signal.aborted) send(request, true).then(resolve, reject);
        else reject(error);
      });
      outgoing.end(request.body);
    });
  return Object.assign((request: ConnectRequest) => send(request, false), {
    close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  });
}

/** The connector the worker uses unless told otherwise. */
export const httpConnector: HttpConnector = createHttpConnector();
