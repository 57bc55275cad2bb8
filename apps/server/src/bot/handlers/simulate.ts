import { QuickCartError } from '../../payments/errors.js';
import type { BotContext, BotDeps } from '../context.js';
import { answer, tell } from './shared.js';

/**
 * "Simulasi Bayar (sandbox)" (sandbox mode only): pays the buyer's pending order through the
 * embedded sandbox, whose webhook travels the real path; then the order is delivered like any
 * paid order. A payment that was paid or closed meanwhile is simply settled.
 */
export async function simulatePay(ctx: BotContext, deps: BotDeps, orderId: string): Promise<void> {
  const { t } = ctx;
  const simulate = deps.simulatePayment;
  if (!simulate) return tell(ctx, t.simulateUnavailable);
  const found = await deps.store.getOrder(orderId);
  if (!found || found.order.userId !== ctx.user.telegramId) return tell(ctx, t.orderNotFound);
  const { order } = found;
  if (order.status !== 'pending' || !order.paymentId) {
    await answer(ctx, t.statusClosed(order.status), true);
    await deps.delivery.process(orderId);
    return;
  }
  await answer(ctx, t.simulating);
  try {
    await simulate(order.paymentId);
  } catch (error) {
    // CONFLICT: no longer pending (paid, expired or cancelled meanwhile); the process below tells.
    if (!(error instanceof QuickCartError && error.code === 'CONFLICT')) {
      deps.logger.warn({ order_id: orderId, err: deps.redact(error) }, 'store: sandbox payment failed');
      await ctx.reply(t.simulateFailed);
      return;
    }
  }
  await deps.delivery.process(orderId);
}
