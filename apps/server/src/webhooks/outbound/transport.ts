import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
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

/** The real connector: node:http(s), one fresh connection per attempt, pinned to `address`. */
export const httpConnector: Connector = (request) =>
  new Promise((resolve, reject) => {
    const { url, address } = request;
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, [{ address: address.address, family: address.family }]);
      else callback(null, address.address, address.family);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        lookup,
        agent: false,
        signal: request.signal,
      },
      (response) => {
        const retryAfter = response.headers['retry-after'];
        readHead(response, request.maxBodyBytes).then(
          (body) => resolve({ status: response.statusCode ?? 0, retryAfter, body }),
          reject,
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
