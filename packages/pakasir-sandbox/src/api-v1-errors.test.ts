import type { ErrorResponse } from '@quickcart/pakasir';
import { describe, expect, it } from 'vitest';
import { API_KEY, call, credentials, PROJECT, sandboxPerTest } from '../test/helpers.js';

const start = sandboxPerTest();

describe('v1 error answers', () => {
  const cases: [string, { path: string; raw?: string; body?: unknown; status: number; error: RegExp }][] = [
    [
      'wrong api key',
      {
        path: 'transactioncreate/qris',
        body: { ...credentials('E-1', 1000), api_key: 'nope' },
        status: 401,
        error: /invalid api key/,
      },
    ],
    [
      'missing api key',
      {
        path: 'transactioncreate/qris',
        body: { project: PROJECT, order_id: 'E-1', amount: 1000 },
        status: 401,
        error: /api key is required/,
      },
    ],
    [
      'unknown project',
      {
        path: 'transactioncreate/qris',
        body: { ...credentials('E-1', 1000), project: 'other' },
        status: 404,
        error: /project not found: other/,
      },
    ],
    [
      'missing project',
      {
        path: 'transactioncreate/qris',
        body: { order_id: 'E-1', amount: 1000, api_key: API_KEY },
        status: 400,
        error: /project is required/,
      },
    ],
    [
      'unknown method',
      {
        path: 'transactioncreate/gopay',
        body: credentials('E-1', 1000),
        status: 400,
        error: /unknown payment method "gopay"/,
      },
    ],
    [
      'zero amount',
      {
        path: 'transactioncreate/qris',
        body: credentials('E-1', 0),
        status: 400,
        error: /amount must be a positive whole number/,
      },
    ],
    [
      'negative amount',
      { path: 'transactioncreate/qris', body: credentials('E-1', -5), status: 400, error: /amount/ },
    ],
    [
      'fractional amount',
      { path: 'transactioncreate/qris', body: credentials('E-1', 10.5), status: 400, error: /amount/ },
    ],
    [
      'unsafe amount',
      { path: 'transactioncreate/qris', body: credentials('E-1', 2 ** 53), status: 400, error: /amount/ },
    ],
    [
      'string amount in JSON',
      {
        path: 'transactioncreate/qris',
        body: { ...credentials('E-1', 1), amount: '1000' },
        status: 400,
        error: /amount/,
      },
    ],
    [
      'missing amount',
      {
        path: 'transactioncreate/qris',
        body: { project: PROJECT, order_id: 'E-1', api_key: API_KEY },
        status: 400,
        error: /amount is required/,
      },
    ],
    [
      'QRIS total over 13 characters',
      {
        path: 'transactioncreate/qris',
        body: credentials('E-1', 99_999_999_999),
        status: 400,
        error: /too large for QRIS/,
      },
    ],
    [
      'missing order id',
      {
        path: 'transactioncreate/qris',
        body: { project: PROJECT, amount: 1000, api_key: API_KEY },
        status: 400,
        error: /order_id is required/,
      },
    ],
    [
      'order id with a space',
      { path: 'transactioncreate/qris', body: credentials('E 1', 1000), status: 400, error: /order_id/ },
    ],
    [
      'order id over 64 characters',
      {
        path: 'transactioncreate/qris',
        body: credentials('x'.repeat(65), 1000),
        status: 400,
        error: /at most 64/,
      },
    ],
    [
      'metadata not an object',
      {
        path: 'transactioncreate/qris',
        body: { ...credentials('E-1', 1000), metadata: [1] },
        status: 400,
        error: /metadata/,
      },
    ],
    [
      'malformed JSON',
      { path: 'transactioncreate/qris', raw: '{"project": ', status: 400, error: /malformed JSON/ },
    ],
    [
      'a JSON array',
      { path: 'transactioncreate/qris', raw: '[]', status: 400, error: /must be a JSON object/ },
    ],
    ['empty body', { path: 'paymentsimulation', raw: '', status: 400, error: /empty/ }],
    [
      'unknown transaction (cancel)',
      {
        path: 'transactioncancel',
        body: credentials('NOPE', 1000),
        status: 404,
        error: /transaction not found/,
      },
    ],
    [
      'unknown transaction (simulation)',
      {
        path: 'paymentsimulation',
        body: credentials('NOPE', 1000),
        status: 404,
        error: /transaction not found/,
      },
    ],
  ];
  it.each(cases)('%s', async (_name, { path, raw, body, status, error }) => {
    const { url } = await start();
    const response = await call<ErrorResponse>(`${url}/api/${path}`, {
      method: 'POST',
      ...(raw !== undefined ? { raw, headers: { 'Content-Type': 'application/json' } } : { body }),
    });
    expect(response.status).toBe(status);
    expect(Object.keys(response.json)).toEqual(['error']);
    expect(response.json.error).toMatch(error);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('detail: 401, 404 for project, 404 for an unknown order or another amount, 400 for a bad amount', async () => {
    const { url } = await start();
    await call(`${url}/api/transactioncreate/qris`, { body: credentials('D-1', 1000) });
    const detail = (query: string) => call<ErrorResponse>(`${url}/api/transactiondetail?${query}`);
    expect((await detail(`project=${PROJECT}&amount=1000&order_id=D-1&api_key=x`)).status).toBe(401);
    expect((await detail(`project=x&amount=1000&order_id=D-1&api_key=${API_KEY}`)).status).toBe(404);
    expect((await detail(`project=${PROJECT}&amount=1000&order_id=D-2&api_key=${API_KEY}`)).status).toBe(404);
    expect((await detail(`project=${PROJECT}&amount=1001&order_id=D-1&api_key=${API_KEY}`)).status).toBe(404);
    expect((await detail(`project=${PROJECT}&amount=1e3&order_id=D-1&api_key=${API_KEY}`)).status).toBe(400);
    expect((await detail(`project=${PROJECT}&amount=0&order_id=D-1&api_key=${API_KEY}`)).status).toBe(400);
  });

  it('unknown paths are 404 and wrong methods 405 with Allow', async () => {
    const { url } = await start();
    const missing = await call<ErrorResponse>(`${url}/api/nothing`);
    expect(missing).toMatchObject({ status: 404, json: { error: 'not found: GET /api/nothing' } });
    const wrong = await call<ErrorResponse>(`${url}/api/transactioncancel`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});
