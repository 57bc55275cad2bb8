import type { Composer } from 'grammy';
import type { VoucherKind } from '../../db/schema.js';
import { audited } from '../../store/audit.js';
import { getProduct } from '../../store/catalog.js';
import { isStoreError, StoreError } from '../../store/errors.js';
import { WIB_OFFSET_MS } from '../../store/stats.js';
import { createVoucher, disableVoucher, listVouchers, type NewVoucher } from '../../store/vouchers.js';
import { parseId, parseRupiah } from '../admin-parse.js';
import type { BotContext, BotDeps } from '../context.js';
import { actorOf, adminAction, argsOf } from './admin-guard.js';

/**
 * The owner's /voucher (issue 9): `create`, `list`, `disable`. Other admins (staff) are told it
 * is not theirs; non-admins get the unknown-command answer, like every admin command. Each create
 * and disable is written to the audit log in the same transaction.
 */
export function registerVouchers(bot: Composer<BotContext>, deps: BotDeps): void {
  const { db } = deps.store;

  bot
    .filter((ctx) => ctx.isAdmin)
    .command(
      'voucher',
      adminAction('vouchers', async (ctx) => {
        const { t } = ctx;
        const [verb = '', ...args] = argsOf(ctx).split(/\s+/);
        const actorId = actorOf(ctx);
        try {
          switch (verb.toLowerCase()) {
            case 'create': {
              if (args.length < 3) return ctx.reply(t.voucherUsage);
              const input = { ...parseVoucherCreate(args), createdBy: actorId };
              if (input.productId != null && !(await getProduct(db, input.productId)))
                return ctx.reply(t.productUnknown(input.productId));
              const voucher = await audited(
                db,
                (tx) => createVoucher(tx, input),
                (created) => ({
                  actorId,
                  action: 'voucher.create',
                  target: `voucher:${created.code}`,
                  detail: {
                    kind: created.kind,
                    value: created.value,
                    product_id: created.productId,
                    expires_at: created.expiresAt?.toISOString() ?? null,
                    max_uses: created.maxUses,
                    max_uses_per_user: created.maxUsesPerUser,
                  },
                }),
              );
              return ctx.reply(t.voucherCreated(voucher));
            }
            case 'list': {
              const vouchers = await listVouchers(db);
              return ctx.reply(vouchers.length === 0 ? t.voucherListEmpty : t.voucherList(vouchers));
            }
            case 'disable': {
              if (args.length !== 1) return ctx.reply(t.voucherUsage);
              const voucher = await audited(
                db,
                (tx) => disableVoucher(tx, args[0] ?? ''),
                (disabled) => ({
                  actorId,
                  action: 'voucher.disable',
                  target: `voucher:${disabled.code}`,
                  detail: { used_count: disabled.usedCount },
                }),
              );
              return ctx.reply(t.voucherDisabled(voucher.code));
            }
            default:
              return ctx.reply(t.voucherUsage);
          }
        } catch (error) {
          if (isStoreError(error, 'VOUCHER_NOT_FOUND'))
            return ctx.reply(t.voucherNotFound(String(error.details.code)));
          throw error; // INVALID_INPUT is answered by adminAction
        }
      }),
    );
}

const KINDS: Record<string, VoucherKind> = { percent: 'percent', fixed: 'fixed' };

/**
 * `CODE percent|fixed VALUE [product=ID] [expires=YYYY-MM-DD] [max=N] [per_user=N]`; the voucher
 * is valid through the whole expiry day in WIB. Throws INVALID_INPUT with a reason.
 * @example parseVoucherCreate(['HEMAT10', 'percent', '10', 'max=100'])
 * // { code: 'HEMAT10', kind: 'percent', value: 10, maxUses: 100 }
 */
export function parseVoucherCreate(args: readonly string[]): NewVoucher {
  const [code = '', kindText = '', valueText = '', ...options] = args;
  const kind = KINDS[kindText.toLowerCase()];
  if (!kind) throw invalid('jenis voucher harus percent atau fixed');
  const voucher: NewVoucher = { code, kind, value: parseRupiah(valueText, 'nilai voucher') };
  for (const option of options) {
    const [key = '', value = '', ...extra] = option.split('=');
    if (extra.length > 0 || value === '') throw invalid(`opsi tidak dikenal: ${option}`);
    switch (key.toLowerCase()) {
      case 'product':
        voucher.productId = parseId(value, 'id produk');
        break;
      case 'expires':
        voucher.expiresAt = endOfWibDay(value);
        break;
      case 'max':
        voucher.maxUses = parseId(value, 'max');
        break;
      case 'per_user':
        voucher.maxUsesPerUser = parseId(value, 'per_user');
        break;
      default:
        throw invalid(`opsi tidak dikenal: ${option}`);
    }
  }
  return voucher;
}

/** The first instant after the WIB day `YYYY-MM-DD`. */
function endOfWibDay(text: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!day || !match || day.getUTCDate() !== Number(match[3]))
    throw invalid('expires harus berupa tanggal YYYY-MM-DD');
  return new Date(day.getTime() + 24 * 3600_000 - WIB_OFFSET_MS);
}

function invalid(reason: string): StoreError {
  return new StoreError('INVALID_INPUT', reason);
}
