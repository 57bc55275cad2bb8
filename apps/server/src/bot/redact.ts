import { messageWithoutParams } from '../db/errors.js';

/**
 * The bot token must never reach a log line. grammY keeps URLs out of its own messages
 * (`sensitiveLogs` off), but the errors it wraps (`HttpError.error`, fetch failures) may carry the
 * request URL, `…/bot<token>/method`. Everything the bot logs about an error goes through here.
 */

const TOKEN_IN_URL = /bot\d+:[\w-]+/g;
const BARE_TOKEN = /\b\d{5,}:[\w-]{30,}\b/g;

/** `text` with the token (and anything shaped like a bot token) replaced. */
export function redact(text: string, token?: string): string {
  let out = text;
  if (token) out = out.split(token).join('<redacted>');
  return out.replace(TOKEN_IN_URL, 'bot<redacted>').replace(BARE_TOKEN, '<redacted>');
}

/** A one-line, token-free description of an error and its causes. */
export function describeError(error: unknown, token?: string): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    if (current instanceof Error) {
      // Never a query's parameters (stock contents may be among them).
      parts.push(`${current.name}: ${messageWithoutParams(current)}`);
      // grammY's HttpError keeps the original in `error`; others use `cause`.
      current = (current as { error?: unknown }).error ?? current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return redact(parts.join(' <- '), token);
}
