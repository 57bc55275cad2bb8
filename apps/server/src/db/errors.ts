import { DrizzleQueryError } from 'drizzle-orm';

/**
 * An error's own message without query parameters. Drizzle's DrizzleQueryError puts them in its
 * message (`Failed query: … params: …`), and they may be stock contents (sealed or not), keys or
 * personal data: the statement is kept, the parameters left out.
 */
export function messageWithoutParams(error: Error): string {
  return error instanceof DrizzleQueryError
    ? `Failed query: ${error.query} (parameters not logged)`
    : error.message;
}

/**
 * An error's message fit for a log line: without query parameters, with the driver's reason.
 * @example logger.error({ err: logMessage(error) }, 'store: could not settle an order');
 */
export function logMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const reason =
    error instanceof DrizzleQueryError && error.cause !== undefined ? `: ${logMessage(error.cause)}` : '';
  return messageWithoutParams(error) + reason;
}
