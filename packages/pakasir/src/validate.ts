import { PakasirValidationError } from './errors.js';
import { ORDER_ID_MAX_LENGTH } from './protocol.js';

/** Order ids: 1-64 printable ASCII characters, no spaces (they travel in URLs and QRIS references). */
export function assertOrderId(orderId: unknown): asserts orderId is string {
  if (typeof orderId !== 'string' || orderId.length === 0) {
    throw new PakasirValidationError('orderId must be a non-empty string');
  }
  if (orderId.length > ORDER_ID_MAX_LENGTH) {
    throw new PakasirValidationError(
      `orderId is ${orderId.length} characters, at most ${ORDER_ID_MAX_LENGTH}`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(orderId)) {
    throw new PakasirValidationError(
      `orderId ${JSON.stringify(orderId)} holds spaces or non-ASCII characters`,
    );
  }
}
