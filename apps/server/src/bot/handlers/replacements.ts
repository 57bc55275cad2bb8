import { type Composer, InlineKeyboard } from 'grammy';
import { listAdmins } from '../../store/admins.js';
import { isStoreError, StoreError } from '../../store/errors.js';
import {
  approveReplacement,
  getReplacement,
  listOpenReplacements,
  type ReplacementView,
  rejectReplacement,
  reportableItems,
  requestReplacement,
  setWarranty,
} from '../../store/replacements.js';
import { findUser } from '../../store/users.js';
import { parseId } from '../admin-parse.js';
import { cb, parseCallback } from '../callback-data.js';
import type { BotContext, BotDeps } from '../context.js';
import type { ReportRefusal } from '../messages/care.js';
import type { Messages } from '../messages/index.js';
import type { PendingPrompts } from '../prompts.js';
import { allowed } from '../roles.js';
import { adminAction, argsOf } from './admin-guard.js';
import { answer, show, tell } from './shared.js';

/**
 * Replacements under warranty, in the bot (issue 9):
 * - buyer: /orders → "🛠️ Laporkan masalah" → which item (#1, #2… when several) → a short reason
 *   (the next text message, or "Lewati") → the report is stored and every admin of the 'orders'
 *   area gets it with "✅ Setujui" / "❌ Tolak";
 * - admin: one press approves (a new item from stock, sold to the order, audited) and the buyer gets
 *   it (ReplacementSender; its sweeper retries), or rejects; a later press is told who decided;
 * - /setwarranty <product id> <hours> (owner) and /replacements (open reports, 'orders').
 */

/** How long the bot waits for a report's reason. */
export const REASON_PROMPT_MS = 10 * 60_000;

export function registerReplacements(
  bot: Composer<BotContext>,
  deps: BotDeps,
  prompts: PendingPrompts,
): void {
  bot.on('callback_query:data', async (ctx, next) => {
    const action = parseCallback(ctx.callbackQuery.data);
    switch (action?.kind) {
      case 'report':
        return startReport(ctx, deps, prompts, action.orderId);
      case 'reportItem':
        return pickItem(ctx, deps, prompts, action.orderId, action.stockItemId);
      case 'reportSkip':
        return finishReport(ctx, deps, prompts, '');
      case 'replacementDecision':
        return decide(ctx, deps, action.replacementId, action.approve);
      default:
        return next();
    }
  });

  // The reason: the next plain text of a user with a report waiting (commands pass by).
  bot.on('message:text', async (ctx, next) => {
    if (ctx.msg.text.startsWith('/') || !prompts.peek(ctx.user.telegramId, ['reason'])) return next();
    await finishReport(ctx, deps, prompts, ctx.msg.text);
  });

  const admin = bot.filter((ctx) => ctx.isAdmin);
  admin.command(
    'setwarranty',
    adminAction('catalog', async (ctx) => {
      const [productText, hoursText, ...extra] = argsOf(ctx).split(/\s+/);
      if (!productText || !hoursText || extra.length > 0 || !/^\d{1,6}$/.test(hoursText)) {
        return ctx.reply(ctx.t.setWarrantyUsage);
      }
      const product = await setWarranty(deps.store.db, {
        productId: parseId(productText, 'id produk'),
        hours: Number(hoursText),
        actorId: ctx.user.telegramId,
      });
      await ctx.reply(ctx.t.warrantySet(product.name, product.warrantyHours));
    }),
  );

  admin.command(
    'replacements',
    adminAction('orders', async (ctx) => {
      const open = await listOpenReplacements(deps.store.db, 10);
      if (open.length === 0) return ctx.reply(ctx.t.openReportsEmpty);
      for (const view of open) {
        await ctx.reply(ctx.t.adminReport(factsOf(view)), { reply_markup: decisionKeyboard(ctx.t, view) });
      }
    }),
  );
}

/** "Laporkan masalah": the items still reportable; one goes straight to the reason, several are listed. */
async function startReport(ctx: BotContext, deps: BotDeps, prompts: PendingPrompts, orderId: string) {
  const { t } = ctx;
  const items = await reportableItems(deps.store.db, {
    userId: ctx.user.telegramId,
    orderId,
    now: deps.now(),
  });
  const [only] = items;
  if (!only) return tell(ctx, t.reportNothing);
  if (items.length === 1) return askReason(ctx, prompts, orderId, only);
  await answer(ctx);
  const keyboard = new InlineKeyboard();
  for (const item of items) {
    keyboard
      .text(t.reportItemButton(item.position, item.productName), cb.reportItem(orderId, item.stockItemId))
      .row();
  }
  await show(ctx, t.reportPickItem(orderId), keyboard.text(t.buttonBack, cb.orders()));
}

async function pickItem(
  ctx: BotContext,
  deps: BotDeps,
  prompts: PendingPrompts,
  orderId: string,
  stockItemId: number,
) {
  const items = await reportableItems(deps.store.db, {
    userId: ctx.user.telegramId,
    orderId,
    now: deps.now(),
  });
  const item = items.find((candidate) => candidate.stockItemId === stockItemId);
  if (!item) return tell(ctx, ctx.t.reportNothing);
  await askReason(ctx, prompts, orderId, item);
}

async function askReason(
  ctx: BotContext,
  prompts: PendingPrompts,
  orderId: string,
  item: { stockItemId: number; position: number; productName: string },
) {
  prompts.set(
    ctx.user.telegramId,
    { kind: 'reason', orderId, stockItemId: item.stockItemId },
    REASON_PROMPT_MS,
  );
  await answer(ctx);
  await ctx.reply(ctx.t.reportAskReason(item.position, item.productName), {
    reply_markup: new InlineKeyboard().text(ctx.t.buttonSkipReason, cb.reportSkip()),
  });
}

/** Stores the report (the domain checks ownership, warranty and duplicates again) and tells the admins. */
async function finishReport(ctx: BotContext, deps: BotDeps, prompts: PendingPrompts, reason: string) {
  const { t } = ctx;
  const pending = prompts.take(ctx.user.telegramId, ['reason']);
  if (!pending) return tell(ctx, t.reportPromptExpired);
  let replacementId: number;
  try {
    const report = await requestReplacement(deps.store.db, {
      userId: ctx.user.telegramId,
      orderId: pending.orderId,
      stockItemId: pending.stockItemId,
      reason,
      now: deps.now(),
    });
    replacementId = report.id;
  } catch (error) {
    if (isStoreError(error, 'REPLACEMENT_REFUSED')) {
      return tell(ctx, t.reportRefused(error.details.reason as ReportRefusal));
    }
    throw error;
  }
  await answer(ctx);
  await ctx.reply(t.reportSent(replacementId));
  await notifyAdmins(ctx, deps, replacementId);
}

/** Every admin allowed to decide ('orders': owners and staff) gets the report with its two buttons. */
async function notifyAdmins(ctx: BotContext, deps: BotDeps, replacementId: number): Promise<void> {
  const { db } = deps.store;
  const view = await getReplacement(db, replacementId);
  if (!view) return;
  const admins = (await listAdmins(db, deps.adminIds)).filter((entry) => allowed(entry.role, 'orders'));
  for (const adminId of new Set(admins.map((entry) => entry.telegramId))) {
    try {
      const t = await deps.delivery.messagesOf(adminId);
      await ctx.api.sendMessage(adminId, t.adminReport(factsOf(view)), {
        reply_markup: decisionKeyboard(t, view),
      });
    } catch (error) {
      deps.logger.warn(
        { admin_id: adminId, replacement_id: replacementId, err: deps.redact(error) },
        'store: could not tell an admin of a replacement report',
      );
    }
  }
}

/** "✅ Setujui" / "❌ Tolak": one press decides; the admin's message then says who decided. */
async function decide(ctx: BotContext, deps: BotDeps, replacementId: number, approve: boolean) {
  const { t } = ctx;
  const { db } = deps.store;
  if (!allowed(ctx.adminRole, 'orders')) return tell(ctx, t.notAllowed);
  const view = await getReplacement(db, replacementId);
  if (!view) return tell(ctx, t.replacementNotFound);
  const report = t.adminReport(factsOf(view));
  const me = adminName(ctx.user.name, ctx.user.telegramId);
  try {
    if (approve) await approveReplacement(db, { replacementId, adminId: ctx.user.telegramId });
    else await rejectReplacement(db, { replacementId, adminId: ctx.user.telegramId });
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    if (error.code === 'OUT_OF_STOCK') return tell(ctx, t.replacementOutOfStock(view.productName));
    if (error.code === 'REPLACEMENT_NOT_FOUND') return tell(ctx, t.replacementNotFound);
    if (error.code !== 'REPLACEMENT_DECIDED') throw error;
    const status = error.details.status === 'approved' ? 'approved' : 'rejected';
    const by = await nameOf(deps, Number(error.details.decided_by));
    await answer(ctx, t.reportAlreadyDecided(status, by), true);
    await show(
      ctx,
      status === 'approved' ? t.reportApprovedBy(report, by) : t.reportRejectedBy(report, by),
      new InlineKeyboard(),
    );
    return;
  }
  await answer(ctx);
  await show(
    ctx,
    approve ? t.reportApprovedBy(report, me) : t.reportRejectedBy(report, me),
    new InlineKeyboard(),
  );
  if (approve) {
    await deps.replacements.deliver(replacementId);
    return;
  }
  const buyer = view.replacement.userId;
  try {
    const buyerTexts = await deps.delivery.messagesOf(buyer);
    await ctx.api.sendMessage(buyer, buyerTexts.replacementRejected(view.replacement.orderId));
  } catch (error) {
    deps.logger.info(
      { replacement_id: replacementId, err: deps.redact(error) },
      'store: could not tell a buyer of a rejection',
    );
  }
}

function factsOf(view: ReplacementView) {
  return {
    replacementId: view.replacement.id,
    orderId: view.replacement.orderId,
    productName: view.productName,
    buyerName: view.buyerName,
    buyerId: view.replacement.userId,
    buyerUsername: view.buyerUsername,
    reason: view.replacement.reason,
  };
}

function decisionKeyboard(t: Messages, view: ReplacementView): InlineKeyboard {
  return new InlineKeyboard()
    .text(t.buttonApprove, cb.approveReplacement(view.replacement.id))
    .text(t.buttonReject, cb.rejectReplacement(view.replacement.id));
}

function adminName(name: string, telegramId: number): string {
  return `${name} (${telegramId})`;
}

async function nameOf(deps: BotDeps, telegramId: number): Promise<string> {
  const user = Number.isSafeInteger(telegramId) ? await findUser(deps.store.db, telegramId) : null;
  return user ? adminName(user.name, telegramId) : String(telegramId);
}
