// Webhook mode of the store bot: Telegram POSTs each update to `${PUBLIC_URL}/telegram/<secret
// path>` with `X-Telegram-Bot-Api-Secret-Token`. Both secrets are derived from the bot token
// (HMAC-SHA256), so they survive restarts without storage and change with the token. The path is
// a route parameter (`/telegram/:secret`): metrics label the route, never the secret, and the
// route writes no request logs.
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Update } from 'grammy/types';
import { secretMatcher } from '../payments/keys.js';

/** Where Telegram sends updates, and the header value that proves a request came from it. */
export interface WebhookSecrets {
  /** The URL given to setWebhook: `${publicUrl}/telegram/<path>`. Secret: never log it. */
  url: string;
  /** The secret path segment. */
  path: string;
  /** setWebhook's `secret_token` (1–256 characters of A–Z a–z 0–9 _ -). */
  secretToken: string;
}

const derive = (token: string, purpose: string) =>
  createHmac('sha256', token).update(`quickcart:telegram-webhook:${purpose}`).digest('base64url');

/** The webhook's URL and secret token for a bot token. */
export function webhookSecrets(token: string, publicUrl: string): WebhookSecrets {
  const path = derive(token, 'path');
  return { url: `${publicUrl}/telegram/${path}`, path, secretToken: derive(token, 'secret-token') };
}

/** Whether the store bot takes updates by webhook: TELEGRAM_WEBHOOK=1, or an https PUBLIC_URL unless TELEGRAM_WEBHOOK=0. */
export function useWebhook(publicUrl: string, setting: boolean | undefined): boolean {
  return setting ?? publicUrl.startsWith('https://');
}

/** Handles one update; resolves when it was handled (errors are the handler's to report). */
export type UpdateHandler = (update: Update) => Promise<void>;

/** The registered route: answers 503 until a bot is attached (Telegram retries later). */
export interface WebhookRoute {
  attach(handler: UpdateHandler): void;
  detach(): void;
}

/**
 * Registers `POST /telegram/:secret` on `app` (before it listens). A wrong path is 404, a wrong or
 * missing secret token header 401; an update is answered 200 once the bot handled it.
 */
export function registerTelegramWebhook(app: FastifyInstance, secrets: WebhookSecrets): WebhookRoute {
  const isPath = secretMatcher(secrets.path);
  const isToken = secretMatcher(secrets.secretToken);
  let handler: UpdateHandler | undefined;
  app.post<{ Params: { secret: string } }>(
    '/telegram/:secret',
    { logLevel: 'silent', bodyLimit: 1024 * 1024 },
    async (request, reply) => {
      if (!isPath(request.params.secret)) {
        return reply.code(404).send({ success: false, error: 'Not found', code: 'NOT_FOUND' });
      }
      if (!isToken(request.headers['x-telegram-bot-api-secret-token'])) {
        return reply.code(401).send({ success: false, error: 'wrong secret token', code: 'UNAUTHORIZED' });
      }
      const update = request.body as Update | undefined;
      if (typeof update !== 'object' || update === null || typeof update.update_id !== 'number') {
        return reply.code(400).send({ success: false, error: 'not an update', code: 'VALIDATION_ERROR' });
      }
      if (!handler) {
        return reply
          .code(503)
          .send({ success: false, error: 'the bot is not running', code: 'SERVICE_UNAVAILABLE' });
      }
      await handler(update);
      return reply.code(200).send({ ok: true });
    },
  );
  return {
    attach(next) {
      handler = next;
    },
    detach() {
      handler = undefined;
    },
  };
}
