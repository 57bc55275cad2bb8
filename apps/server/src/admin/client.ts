// The CLI's side of the loopback admin endpoint: the AdminOperations of a running server, over
// HTTP. Error answers come back as the QuickCartErrors the server threw (same code, message and
// details), so a command fails the same way whether it ran here or there.
import { ERROR_CATALOG, type ErrorCode, QuickCartError } from '../payments/errors.js';
import type { QueuedDelivery, RotatedSecret } from '../webhooks/outbound/deliveries.js';
import type { AdminEndpoint } from './endpoint-file.js';
import type {
  AdminOperations,
  LicenseCreated,
  LicenseToppedUp,
  MigrationState,
  PartnerCreated,
  WebhookDeliveries,
  WebhookEvents,
} from './operations.js';
import type { ProductBody, ProductList, ProductView, StockAdded, StockBody } from './store.js';
import type {
  LicenseBody,
  PartnerBody,
  TopupBody,
  WebhookEventsBody,
  WebhookRotateBody,
  WebhookTestBody,
} from './wire.js';

/** The admin operations of a running server, plus its database state. */
export interface AdminClient extends AdminOperations {
  /** The server's database: migrated at its start. */
  status(): Promise<MigrationState>;
}

/** Options of `adminClient()`. */
export interface AdminClientOptions {
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Per request (default 15 000 ms). */
  timeoutMs?: number;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOG, value);
}

/**
 * A client of the admin endpoint in `${DATA_DIR}/admin.json` (see `readAdminEndpoint`).
 * @example
 * const endpoint = await readAdminEndpoint(config.dataDir);
 * if (endpoint) await adminClient(endpoint).topupLicense({ key, tokens: 50 });
 */
export function adminClient(
  endpoint: Pick<AdminEndpoint, 'url' | 'token' | 'pid'>,
  options: AdminClientOptions = {},
): AdminClient {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const where = `the running server (process ${endpoint.pid}) at ${endpoint.url}`;
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(`${endpoint.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${endpoint.token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new QuickCartError('SERVICE_UNAVAILABLE', {
        message: `${where} did not answer ${method} ${path}: ${(error as Error).message}`,
        cause: error,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.ok && json !== undefined) return json as T;
    const answer = (json ?? {}) as { code?: unknown; error?: unknown; details?: unknown };
    if (!response.ok && isErrorCode(answer.code)) {
      throw new QuickCartError(answer.code, {
        ...(typeof answer.error === 'string' && { message: answer.error }),
        ...(typeof answer.details === 'object' &&
          answer.details !== null && { details: answer.details as Record<string, unknown> }),
      });
    }
    throw new QuickCartError('INTERNAL_ERROR', {
      message: `${where} answered ${method} ${path} with HTTP ${response.status} and no readable body`,
    });
  }

  return {
    status: () => call<MigrationState>('GET', '/_admin/status'),
    createPartner: (input) =>
      call<PartnerCreated>('POST', '/_admin/partners', {
        name: input.name,
        webhook_url: input.webhookUrl ?? null,
      } satisfies PartnerBody),
    createLicense: (input) =>
      call<LicenseCreated>('POST', '/_admin/licenses', {
        partner_id: input.partnerId,
        tokens: input.tokens,
        expires_at: input.expiresAt?.toISOString() ?? null,
      } satisfies LicenseBody),
    topupLicense: (input) =>
      call<LicenseToppedUp>('POST', '/_admin/licenses/topup', {
        license_key: input.key,
        tokens: input.tokens,
      } satisfies TopupBody),
    webhookDeliveries: (input) =>
      call<WebhookDeliveries>(
        'GET',
        `/_admin/webhooks/deliveries?${new URLSearchParams({
          partner_id: input.partnerId,
          ...(input.paymentId && { payment_id: input.paymentId }),
        })}`,
      ),
    redeliverWebhook: (input) =>
      call<QueuedDelivery>(
        'POST',
        `/_admin/webhooks/deliveries/${encodeURIComponent(input.id)}/redeliver`,
        {},
      ),
    testWebhook: (input) =>
      call<QueuedDelivery>('POST', '/_admin/webhooks/test', {
        partner_id: input.partnerId,
        url: input.url ?? null,
      } satisfies WebhookTestBody),
    rotateWebhookSecret: (input) =>
      call<RotatedSecret>('POST', '/_admin/webhooks/secret/rotate', {
        partner_id: input.partnerId,
      } satisfies WebhookRotateBody),
    setWebhookEvents: (input) =>
      call<WebhookEvents>('POST', '/_admin/webhooks/events', {
        partner_id: input.partnerId,
        events: input.events,
      } satisfies WebhookEventsBody),
    addProduct: (input) =>
      call<ProductView>('POST', '/_admin/store/products', {
        name: input.name,
        price: input.price,
        reseller_price: input.resellerPrice ?? null,
        category: input.category ?? null,
        description: input.description ?? null,
      } satisfies ProductBody),
    addStock: (input) =>
      call<StockAdded>('POST', `/_admin/store/products/${input.productId}/stock`, {
        items: input.items,
      } satisfies StockBody),
    listProducts: () => call<ProductList>('GET', '/_admin/store/products'),
  };
}
