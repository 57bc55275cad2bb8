// The SDK against one real QuickCart server (apps/server, in this process: PGlite, the embedded
// Pakasir sandbox, the webhook worker). One server for every suite: starting one takes seconds.
import { afterAll, beforeAll, vi } from 'vitest';
import { errorSuite } from './integration/errors.js';
import { idempotencySuite } from './integration/idempotency.js';
import { paymentSuite } from './integration/payments.js';
import { seedSuite } from './integration/seeds.js';
import { waitingSuite } from './integration/waiting.js';
import { webhookSuite } from './integration/webhooks.js';
import { startServer, type TestServer } from './support/server.js';

// The seeds' examples import express and ws, which this repository does not install.
vi.mock('express', () => import('./consumer/shims/express.js'));
vi.mock('ws', () => import('./consumer/shims/ws.js'));

let running: TestServer | undefined;
const server = () => {
  if (!running) throw new Error('the server did not start');
  return running;
};

beforeAll(async () => {
  running = await startServer();
}, 60_000);
afterAll(() => running?.close());

paymentSuite(server);
errorSuite(server);
idempotencySuite(server);
waitingSuite(server);
seedSuite(server);
webhookSuite(server);
