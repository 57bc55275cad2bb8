import type { Api } from 'grammy';
import type { Db } from '../db/types.js';
import type { Logger } from '../payments/alerts.js';
import { broadcastRecipients, countRecipients } from '../store/users.js';

/**
 * /broadcast: one message to every user who is not banned, held to Telegram's limit of 30
 * messages per second (seed 003), the progress message included: each second at most
 * `perSecond - 1` sends plus one progress edit. Sends of a second run concurrently; the next
 * second starts no earlier than one second after the previous one did. A failed send (the user
 * blocked the bot…) is counted and skipped; auto-retry has already honoured 429 retry_after.
 */

export interface BroadcastOptions {
  api: Api;
  db: Db;
  text: string;
  /** Where progress goes (the admin's chat). */
  progress: (state: BroadcastState) => Promise<void>;
  perSecond?: number;
  /** Progress every this many seconds of sending (default 5). */
  progressEverySeconds?: number;
  logger: Logger;
  redact: (error: unknown) => string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Stops between two seconds of sending (the bot is stopping). */
  signal?: AbortSignal;
}

export interface BroadcastState {
  sent: number;
  failed: number;
  total: number;
  done: boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends the broadcast; resolves with the final counts. */
export async function runBroadcast(options: BroadcastOptions): Promise<BroadcastState> {
  const { api, db, text, logger, redact } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const batchSize = Math.max(1, (options.perSecond ?? 30) - 1);
  const progressEvery = options.progressEverySeconds ?? 5;
  const state: BroadcastState = { sent: 0, failed: 0, total: await countRecipients(db), done: false };
  let afterId = 0;
  let second = 0;
  for (;;) {
    if (options.signal?.aborted) return state;
    const batch = await broadcastRecipients(db, afterId, batchSize);
    if (batch.length === 0) break;
    afterId = batch[batch.length - 1] ?? afterId;
    const started = now();
    const results = await Promise.allSettled(batch.map((chatId) => api.sendMessage(chatId, text)));
    for (const [i, result] of results.entries()) {
      if (result.status === 'fulfilled') state.sent++;
      else {
        state.failed++;
        logger.info(
          { chat_id: batch[i], err: redact(result.reason) },
          'broadcast: a message was not delivered',
        );
      }
    }
    state.total = Math.max(state.total, state.sent + state.failed);
    if (++second % progressEvery === 0) await options.progress({ ...state }).catch(() => {});
    const rest = 1000 - (now() - started);
    if (rest > 0) await sleep(rest);
  }
  state.done = true;
  state.total = state.sent + state.failed;
  await options.progress({ ...state }).catch(() => {});
  return state;
}
