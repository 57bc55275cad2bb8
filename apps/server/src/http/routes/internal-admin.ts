import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type LocalAdminOptions, localAdmin, type MigrationState } from '../../admin/operations.js';
import { productBody, productInput, productParams, STOCK_BODY_LIMIT, stockBody } from '../../admin/store.js';
import {
  licenseBody,
  licenseInput,
  partnerBody,
  partnerInput,
  topupBody,
  topupInput,
  webhookDeliveriesInput,
  webhookDeliveriesQuery,
  webhookDeliveryParams,
  webhookEventsBody,
  webhookEventsInput,
  webhookRotateBody,
  webhookTestBody,
  webhookTestInput,
} from '../../admin/wire.js';
import type { Db, Driver } from '../../db/types.js';
import { QuickCartError } from '../../payments/errors.js';
import { secretMatcher } from '../../payments/keys.js';
import { presentedKey } from '../auth.js';
import { parseInput } from '../validation.js';

/**
 * The loopback admin routes through which the `quickcart` CLI administers a server that holds
 * the PGlite database (one process only), with the same operations and answers as on the
 * database (`localAdmin`):
 * - `GET /_admin/status` → `{ migrated: true, driver }` (the server migrated at its start);
 * - `POST /_admin/partners` `{ name, webhook_url? }` → 201 `{ id, name, api_key, webhook_secret }`;
 * - `POST /_admin/licenses` `{ partner_id, tokens, expires_at? }` → 201
 *   `{ id, partner_id, license_key, tokens, expires_at }`;
 * - `POST /_admin/licenses/topup` `{ license_key, tokens }` → `{ id, tokens }`;
 * - `GET /_admin/webhooks/deliveries?partner_id=&payment_id=`, `POST /_admin/webhooks/deliveries/:id/redeliver`,
 *   `POST /_admin/webhooks/test` `{ partner_id, url? }`, `POST /_admin/webhooks/secret/rotate` `{ partner_id }`,
 *   `POST /_admin/webhooks/events` `{ partner_id, events }`: the `quickcart webhooks` commands;
 * - `GET /_admin/store/products`, `POST /_admin/store/products` `{ name, price, reseller_price?,
 *   category?, description? }` → 201, `POST /_admin/store/products/:id/stock` `{ items }`: the
 *   `quickcart product | stock` commands (admin/store.ts).
 * A request from another address than loopback is 403 FORBIDDEN; without `Authorization: Bearer
 * <token>` (the token of `${DATA_DIR}/admin.json`) it is 401 UNAUTHORIZED. Answers are never cached.
 */

/** Whether a socket's remote address is this machine's loopback (IPv4, IPv6, or IPv4-mapped). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** The onRequest guard: loopback peers with the token only. */
function guard(token: string): (request: FastifyRequest) => Promise<void> {
  const isToken = secretMatcher(token);
  return async (request) => {
    if (!isLoopback(request.raw.socket.remoteAddress)) {
      throw new QuickCartError('FORBIDDEN', { message: 'the admin endpoint answers loopback clients only' });
    }
    if (!isToken(presentedKey(request.headers, 'x-admin-token'))) {
      throw new QuickCartError('UNAUTHORIZED', {
        message: 'missing or wrong admin token: use the token in admin.json in the data directory',
      });
    }
  };
}

/** Registers the `/_admin/*` routes; `token` opens them. */
export function registerInternalAdminRoutes(
  app: FastifyInstance,
  options: { db: Db; driver: Driver; token: string } & LocalAdminOptions,
): void {
  const admin = localAdmin(options.db, options.webhooks ? { webhooks: options.webhooks } : {});
  app.addHook('onRequest', guard(options.token));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get(
    '/_admin/status',
    async (): Promise<MigrationState> => ({ migrated: true, driver: options.driver }),
  );
  app.post('/_admin/partners', async (request, reply) => {
    const body = parseInput(partnerBody, request.body);
    return reply.code(201).send(await admin.createPartner(partnerInput(body)));
  });
  app.post('/_admin/licenses', async (request, reply) => {
    const body = parseInput(licenseBody, request.body);
    return reply.code(201).send(await admin.createLicense(licenseInput(body)));
  });
  app.post('/_admin/licenses/topup', async (request) => {
    const body = parseInput(topupBody, request.body);
    return admin.topupLicense(topupInput(body));
  });
  app.get('/_admin/webhooks/deliveries', async (request) =>
    admin.webhookDeliveries(
      webhookDeliveriesInput(parseInput(webhookDeliveriesQuery, request.query, 'query')),
    ),
  );
  app.post('/_admin/webhooks/deliveries/:id/redeliver', async (request, reply) => {
    const { id } = parseInput(webhookDeliveryParams, request.params, 'path');
    return reply.code(202).send(await admin.redeliverWebhook({ id }));
  });
  app.post('/_admin/webhooks/test', async (request, reply) => {
    const body = parseInput(webhookTestBody, request.body);
    return reply.code(202).send(await admin.testWebhook(webhookTestInput(body)));
  });
  app.post('/_admin/webhooks/secret/rotate', async (request) => {
    const body = parseInput(webhookRotateBody, request.body);
    return admin.rotateWebhookSecret({ partnerId: body.partner_id });
  });
  app.post('/_admin/webhooks/events', async (request) => {
    const body = parseInput(webhookEventsBody, request.body);
    return admin.setWebhookEvents(webhookEventsInput(body));
  });
  app.get('/_admin/store/products', async () => admin.listProducts());
  app.post('/_admin/store/products', async (request, reply) => {
    const body = parseInput(productBody, request.body);
    return reply.code(201).send(await admin.addProduct(productInput(body)));
  });
  app.post('/_admin/store/products/:id/stock', { bodyLimit: STOCK_BODY_LIMIT }, async (request, reply) => {
    const { id } = parseInput(productParams, request.params, 'path');
    const { items } = parseInput(stockBody, request.body);
    return reply.code(201).send(await admin.addStock({ productId: id, items }));
  });
}
