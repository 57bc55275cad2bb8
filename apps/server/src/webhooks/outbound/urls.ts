import { QuickCartError } from '../../payments/errors.js';
import { type TargetGuard, TargetRefusedError } from './ssrf.js';

/** The 400 VALIDATION_ERROR of a URL the SSRF guard refuses: names the field and the rule. */
export function refusedUrl(field: string, error: TargetRefusedError): QuickCartError {
  return new QuickCartError('VALIDATION_ERROR', {
    message: `${field} is refused: ${error.message}`,
    details: { field, reason: error.reason },
  });
}

/** `guard.checkUrl(url)`, a refusal thrown as `refusedUrl(field, …)`. */
export function checkTargetUrl(guard: TargetGuard, field: string, url: string): void {
  try {
    guard.checkUrl(url);
  } catch (error) {
    if (error instanceof TargetRefusedError) throw refusedUrl(field, error);
    throw error;
  }
}

/**
 * The create-time SSRF check of a payment's `webhook_url` and `back_url` (no DNS: names are
 * resolved and checked again on every delivery).
 */
export function checkPaymentUrls(
  guard: TargetGuard,
  input: { webhookUrl?: string | undefined; backUrl?: string | undefined },
): void {
  if (input.webhookUrl !== undefined) checkTargetUrl(guard, 'webhook_url', input.webhookUrl);
  if (input.backUrl !== undefined) checkTargetUrl(guard, 'back_url', input.backUrl);
}
