// The two signature schemes of QuickCart's webhooks, over the same raw body, with WebCrypto:
// - `x-kgiton-signature` (seed 004): hex HMAC-SHA256 of the body, keyed with the secret string as is;
//   during a secret rotation `x-kgiton-signature-next` carries the signature with the new secret;
// - Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`,
//   keyed with the bytes of the base64 after `whsec_`; several space-separated while rotating.
import { UsageError } from '../errors.js';
import { concat, fromBase64, toBase64, toHex, utf8 } from './encoding.js';

export const KGITON_SIGNATURE_HEADER = 'x-kgiton-signature';
export const KGITON_SIGNATURE_NEXT_HEADER = 'x-kgiton-signature-next';
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** HMAC-SHA256 of `data` keyed with `key` (WebCrypto, looked up at call time). */
export async function hmacSha256(key: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>) {
  const subtle = globalThis.crypto.subtle;
  const cryptoKey = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', cryptoKey, data));
}

/** Throws unless `secret` is a non-empty string (the secret is never echoed). */
export function checkSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || secret === '') {
    throw new UsageError(
      'the webhook secret must be a non-empty string (whsec_…, shown when the account was created)',
    );
  }
}

/** The HMAC key of the Standard Webhooks scheme: the base64 after `whsec_`. */
export function standardWebhooksKey(secret: string): Uint8Array<ArrayBuffer> {
  const key = fromBase64(secret.startsWith('whsec_') ? secret.slice(6) : secret);
  if (key === null || key.length === 0) {
    throw new UsageError(
      'the webhook secret is not a Standard Webhooks secret: expected whsec_ followed by base64',
    );
  }
  return key;
}

/** The HMAC key of the `x-kgiton-signature` scheme: the secret string's UTF-8 bytes. */
export const kgitonKey = (secret: string) => utf8(secret);

/** The bytes the Standard Webhooks signature covers: `<id>.<timestamp>.<body>`. */
export const standardSignedContent = (id: string, timestamp: string, body: Uint8Array<ArrayBuffer>) =>
  concat(utf8(`${id}.${timestamp}.`), body);

/**
 * Hex `x-kgiton-signature` of `body`.
 * @example await signKgiton(utf8('{"event":"payment.success"}'), 'whsec_…') // '5e1f…' (64 hex digits)
 */
export async function signKgiton(body: Uint8Array<ArrayBuffer>, secret: string): Promise<string> {
  return toHex(await hmacSha256(kgitonKey(secret), body));
}

/**
 * One Standard Webhooks signature, `v1,<base64>`.
 * @example await signStandard('msg_1', '1767225600', utf8('{}'), 'whsec_…') // 'v1,K5o…='
 */
export async function signStandard(
  id: string,
  timestamp: string,
  body: Uint8Array<ArrayBuffer>,
  secret: string,
): Promise<string> {
  const mac = await hmacSha256(standardWebhooksKey(secret), standardSignedContent(id, timestamp, body));
  return `v1,${toBase64(mac)}`;
}
