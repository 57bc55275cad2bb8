// Seed 004's `verifyWebhook`, as the seed writes it (only `export` added, layout by Biome): what a
// partner runs to check `x-kgiton-signature`. Deliveries must pass it as it is.
// biome-ignore lint/style/useNodejsImportProtocol: the seed's own import
import crypto from 'crypto';

export function verifyWebhook(payload: string, signature: string, secret: string): boolean {
  const expectedSignature = crypto.createHmac('sha256', secret).update(payload).digest('hex');

  return crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expectedSignature));
}

/** The snippet, except that a signature of the wrong length is false instead of a throw. */
export function acceptedBySeed(payload: string, signature: string | undefined, secret: string): boolean {
  if (signature === undefined) return false;
  try {
    return verifyWebhook(payload, signature, secret);
  } catch {
    return false;
  }
}
