import { createHash } from 'node:crypto';
import { toPng, toSvg } from '@quickcart/qris';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { payments } from '../../db/schema.js';
import { QuickCartError } from '../../payments/errors.js';
import type { RouteContext } from '../context.js';
import { parseInput } from '../validation.js';

/**
 * `GET /qr/:id.png` and `GET /qr/:id.svg`: the QR code of a pending payment's QRIS string, drawn
 * with @quickcart/qris exactly as the gateway gave it. Public: payment ids carry 120 random bits,
 * and the image holds nothing the payer does not see anyway. `?size=` sets the width in pixels
 * (a multiple of 64 from 128 to 2048, default 512). Cached by browsers until the payment expires (at most an hour),
 * with an ETag; a payment that is no longer pending (or past its expiry) has no QR: 404.
 */

const FILE = /^(pay_[a-z2-7]{24})\.(png|svg)$/;
const sizeQuery = z.object({
  size: z.preprocess(
    (value) => (value === undefined || value === '' ? undefined : Number(value)),
    // A multiple of 64: every size is a render, and a grid bounds how many one id can ask for.
    z.int().min(128).max(2048).multipleOf(64, 'must be a multiple of 64').default(512),
  ),
});

/** Rendered images kept in memory, newest last (a Map keeps insertion order). */
class ImageCache {
  readonly #entries = new Map<string, Buffer | string>();
  constructor(readonly capacity: number) {}

  get(key: string): Buffer | string | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: Buffer | string): void {
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}

function notFound(message: string): QuickCartError {
  return new QuickCartError('NOT_FOUND', { message });
}

export function registerQrRoutes(app: FastifyInstance, context: RouteContext): void {
  const { db, now } = context;
  const cache = new ImageCache(256);

  app.get<{ Params: { file: string } }>('/qr/:file', async (request, reply) => {
    const match = FILE.exec(request.params.file);
    if (!match) throw notFound('no such QR image: use /qr/<payment id>.png or .svg');
    const [, id = '', format] = match;
    const { size } = parseInput(sizeQuery, request.query, 'query');
    const [row] = await db
      .select({ qrContent: payments.qrContent, status: payments.status, expiresAt: payments.expiresAt })
      .from(payments)
      .where(eq(payments.id, id));
    if (!row?.qrContent) throw notFound(`no QR code for payment ${id}`);
    const secondsLeft = Math.floor((row.expiresAt.getTime() - now().getTime()) / 1000);
    if (row.status !== 'pending' || secondsLeft <= 0) {
      throw notFound(
        `payment ${id} is ${row.status === 'pending' ? 'expired' : row.status}: its QR code is gone`,
      );
    }
    const key = `${format}:${size}:${row.qrContent}`;
    const etag = `"${createHash('sha256').update(key).digest('base64url').slice(0, 27)}"`;
    reply
      .header('cache-control', `public, max-age=${Math.min(secondsLeft, 3600)}`)
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    let image = cache.get(key);
    if (image === undefined) {
      const options = { width: size, validate: false };
      image = format === 'png' ? await toPng(row.qrContent, options) : await toSvg(row.qrContent, options);
      cache.set(key, image);
    }
    if (format === 'svg') {
      reply
        .header('content-type', 'image/svg+xml; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    } else {
      reply.header('content-type', 'image/png');
    }
    return reply.send(image);
  });
}
