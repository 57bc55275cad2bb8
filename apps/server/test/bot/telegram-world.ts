// A fake Telegram: the chats a bot talks in, the updates users send, and every Bot API call the
// bot made. One world serves two ways (ARCHITECTURE.md "Style" 10): as a capturing API
// transformer for `bot.handleUpdate()` tests (transformer()), and behind a real HTTP server that
// speaks the Bot API wire protocol for end-to-end runs (fake-bot-api.ts).
import { InputFile, type Transformer } from 'grammy';
import type { InlineKeyboardButton, Message, Update, User, UserFromGetMe } from 'grammy/types';

/** One Bot API call as the bot made it; files are the uploaded bytes by field name. */
export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
  files: Record<string, { filename: string; data: Buffer }>;
  at: number;
}

/** A Bot API error answer (`{ ok: false, … }`). */
export interface ApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

type Result = { ok: true; result: unknown } | ({ ok: false } & ApiFailure);

/** A message the bot sent, as it stands now (edits applied). */
export type StoredMessage = Message & { reply_markup?: { inline_keyboard: InlineKeyboardButton[][] } };

export const BOT_USER: UserFromGetMe = {
  id: 7_000_000_001,
  is_bot: true,
  first_name: 'QuickCart Test',
  username: 'quickcart_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

const bad = (description: string): ApiFailure => ({
  error_code: 400,
  description: `Bad Request: ${description}`,
});

/** The webhook a bot set (setWebhook), to which the fake Bot API server POSTs updates. */
export interface FakeWebhook {
  url: string;
  secretToken: string | undefined;
}

export class TelegramWorld {
  readonly calls: RecordedCall[] = [];
  /** Set by setWebhook, cleared by deleteWebhook; while set, getUpdates answers 409. */
  webhook: FakeWebhook | undefined;
  /** Statuses the webhook answered, by update id, in delivery order. */
  readonly webhookAnswers: { updateId: number; status: number }[] = [];
  readonly #updateListeners = new Set<() => void>();
  readonly #messages = new Map<string, StoredMessage>();
  readonly #files = new Map<string, { path: string; data: Buffer }>();
  readonly #faults: { method: string; failure: ApiFailure }[] = [];
  #updates: Update[] = [];
  #pollers = new Set<() => void>();
  #callWaiters = new Set<() => void>();
  #nextMessageId = 1;
  #nextUpdateId = 1;
  #nextCallbackId = 1;

  /** The next call of `method` fails with `failure` (once per registration). */
  failNext(method: string, failure: ApiFailure): void {
    this.#faults.push({ method, failure });
  }

  /** Registers a file users can send (e.g. an admin's .txt) and returns its file id. */
  addFile(data: Buffer, name: string): string {
    const fileId = `file-${this.#files.size + 1}`;
    this.#files.set(fileId, { path: `documents/${fileId}-${name}`, data });
    return fileId;
  }

  /** A file's bytes by its download path (the `/file/bot<token>/<path>` route). */
  fileByPath(path: string): Buffer | undefined {
    for (const file of this.#files.values()) if (file.path === path) return file.data;
    return undefined;
  }

  /** Records a call (answer() does it; the server records getUpdates polls with it). */
  record(method: string, payload: Record<string, unknown>, files: RecordedCall['files'] = {}): void {
    this.calls.push({ method, payload, files, at: Date.now() });
    for (const wake of [...this.#callWaiters]) wake();
  }

  /** Answers one Bot API call. */
  answer(method: string, payload: Record<string, unknown>, files: RecordedCall['files'] = {}): Result {
    this.record(method, payload, files);
    const fault = this.#faults.findIndex((f) => f.method === method);
    if (fault >= 0) {
      const [removed] = this.#faults.splice(fault, 1);
      if (removed) return { ok: false, ...removed.failure };
    }
    try {
      return { ok: true, result: this.#result(method, payload, files) };
    } catch (failure) {
      if ((failure as ApiFailure).error_code) return { ok: false, ...(failure as ApiFailure) };
      throw failure;
    }
  }

  #result(method: string, p: Record<string, unknown>, files: RecordedCall['files']): unknown {
    const chatId = Number(p.chat_id);
    switch (method) {
      case 'getMe':
        return BOT_USER;
      case 'setWebhook': {
        const url = String(p.url ?? '');
        if (!/^https?:\/\//.test(url)) throw bad('bad webhook: An HTTPS URL must be provided for webhook');
        this.webhook = {
          url,
          secretToken: p.secret_token === undefined ? undefined : String(p.secret_token),
        };
        queueMicrotask(() => this.#notifyUpdates());
        return true;
      }
      case 'deleteWebhook':
        this.webhook = undefined;
        return true;
      case 'getWebhookInfo':
        return {
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.#updates.length,
        };
      case 'setMyCommands':
      case 'answerCallbackQuery':
        return true;
      case 'sendMessage':
        return this.#store(chatId, { text: String(p.text) }, p.reply_markup);
      case 'sendPhoto':
        return this.#store(
          chatId,
          {
            photo: [
              {
                file_id: `photo-${this.#nextMessageId}`,
                file_unique_id: `up${this.#nextMessageId}`,
                width: 512,
                height: 512,
                file_size: files.photo?.data.length ?? 0,
              },
            ],
            ...(p.caption !== undefined && { caption: String(p.caption) }),
          },
          p.reply_markup,
        );
      case 'sendDocument':
        return this.#store(
          chatId,
          {
            document: {
              file_id: `doc-${this.#nextMessageId}`,
              file_unique_id: `ud${this.#nextMessageId}`,
              file_name: files.document?.filename ?? 'file',
              file_size: files.document?.data.length ?? 0,
            },
            ...(p.caption !== undefined && { caption: String(p.caption) }),
          },
          p.reply_markup,
        );
      case 'sendSticker':
        return this.#store(chatId, {
          sticker: {
            file_id: String(p.sticker),
            file_unique_id: 'us',
            type: 'regular',
            width: 512,
            height: 512,
            is_animated: false,
            is_video: false,
          },
        });
      case 'editMessageText':
        return this.#edit(chatId, Number(p.message_id), { text: String(p.text) }, p.reply_markup);
      case 'editMessageCaption':
        return this.#edit(chatId, Number(p.message_id), { caption: String(p.caption ?? '') }, p.reply_markup);
      case 'editMessageReplyMarkup':
        return this.#edit(chatId, Number(p.message_id), {}, p.reply_markup);
      case 'deleteMessage':
        if (!this.#messages.delete(`${chatId}:${p.message_id}`)) throw bad('message to delete not found');
        return true;
      case 'getFile': {
        const file = this.#files.get(String(p.file_id));
        if (!file) throw bad('invalid file_id');
        return {
          file_id: p.file_id,
          file_unique_id: `u-${p.file_id}`,
          file_size: file.data.length,
          file_path: file.path,
        };
      }
      default:
        throw { error_code: 404, description: 'Not Found: method not found' } satisfies ApiFailure;
    }
  }

  #store(chatId: number, content: Partial<Message>, markup?: unknown): StoredMessage {
    if (!Number.isSafeInteger(chatId)) throw bad('chat not found');
    const message = {
      message_id: this.#nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'User' },
      from: BOT_USER,
      ...content,
      ...(markup !== undefined && { reply_markup: markup }),
    } as StoredMessage;
    this.#messages.set(`${chatId}:${message.message_id}`, message);
    return message;
  }

  #edit(chatId: number, messageId: number, change: Partial<Message>, markup?: unknown): StoredMessage {
    const key = `${chatId}:${messageId}`;
    const current = this.#messages.get(key);
    if (!current) throw bad('message to edit not found');
    const next = { ...current, ...change, edit_date: Math.floor(Date.now() / 1000) } as StoredMessage;
    if (markup !== undefined) next.reply_markup = markup as NonNullable<StoredMessage['reply_markup']>;
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    if (
      same(current.text, next.text) &&
      same(current.caption, next.caption) &&
      same(current.reply_markup, next.reply_markup)
    ) {
      throw bad(
        'message is not modified: specified new message content and reply markup are exactly the same',
      );
    }
    this.#messages.set(key, next);
    return next;
  }

  /** The bot's messages in a chat, oldest first. */
  chat(chatId: number): StoredMessage[] {
    return [...this.#messages.values()]
      .filter((m) => m.chat.id === chatId)
      .sort((a, b) => a.message_id - b.message_id);
  }

  /** Calls of `method` (optionally to one chat). */
  callsOf(method: string, chatId?: number): RecordedCall[] {
    return this.calls.filter(
      (c) => c.method === method && (chatId === undefined || Number(c.payload.chat_id) === chatId),
    );
  }

  /** Resolves with the first call matching `predicate` (already made or to come); rejects after `timeoutMs`. */
  waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs = 10_000): Promise<RecordedCall> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.calls.find(predicate);
        if (!found) return false;
        this.#callWaiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.#callWaiters.delete(check);
        reject(
          new Error(
            `no matching Bot API call within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`,
          ),
        );
      }, timeoutMs);
      if (!check()) this.#callWaiters.add(check);
    });
  }

  // ── Updates ──

  /** A user of the fake Telegram. */
  user(id: number, firstName = `User${id}`, username?: string): User {
    return { id, is_bot: false, first_name: firstName, ...(username && { username }), language_code: 'id' };
  }

  /** A text message from `from` in their private chat (commands get their entity). */
  text(from: User, text: string): Update {
    const command = /^\/\w+(@\w+)?/.exec(text);
    return {
      update_id: this.#nextUpdateId++,
      message: {
        message_id: this.#nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: from.id, type: 'private', first_name: from.first_name },
        from,
        text,
        ...(command && { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] }),
      },
    };
  }

  /** A document (file registered with addFile) with a caption. */
  document(from: User, fileId: string, caption: string): Update {
    const file = this.#files.get(fileId);
    const command = /^\/\w+/.exec(caption);
    return {
      update_id: this.#nextUpdateId++,
      message: {
        message_id: this.#nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: from.id, type: 'private', first_name: from.first_name },
        from,
        document: {
          file_id: fileId,
          file_unique_id: `u-${fileId}`,
          file_name: 'stock.txt',
          mime_type: 'text/plain',
          file_size: file?.data.length ?? 0,
        },
        caption,
        ...(command && { caption_entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] }),
      },
    };
  }

  /** `from` presses the button with `data` under `message` (the message as it stands now). */
  press(from: User, message: StoredMessage, data: string): Update {
    const current = this.#messages.get(`${message.chat.id}:${message.message_id}`) ?? message;
    return {
      update_id: this.#nextUpdateId++,
      callback_query: {
        id: `cb-${this.#nextCallbackId++}`,
        from,
        chat_instance: `ci-${from.id}`,
        data,
        message: current,
      },
    };
  }

  /** The latest bot message in `chatId` with a button whose callback data (or text) matches. */
  messageWithButton(chatId: number, match: string | RegExp): { message: StoredMessage; data: string } {
    const test = (value: string | undefined) =>
      value !== undefined && (typeof match === 'string' ? value === match : match.test(value));
    for (const message of this.chat(chatId).reverse()) {
      for (const row of message.reply_markup?.inline_keyboard ?? []) {
        for (const button of row) {
          const data = 'callback_data' in button ? button.callback_data : undefined;
          if (data !== undefined && (test(data) || test(button.text))) return { message, data };
        }
      }
    }
    throw new Error(`no button matching ${String(match)} in chat ${chatId}`);
  }

  /** Queues an update for getUpdates (end-to-end runs). */
  enqueue(update: Update): void {
    this.#updates.push(update);
    for (const wake of [...this.#pollers]) wake();
    this.#notifyUpdates();
  }

  /** Calls `listener` whenever updates were queued or a webhook was set; returns the unsubscribe. */
  onUpdates(listener: () => void): () => void {
    this.#updateListeners.add(listener);
    return () => this.#updateListeners.delete(listener);
  }

  /** Takes every queued update (webhook delivery). */
  drainUpdates(): Update[] {
    return this.#updates.splice(0);
  }

  #notifyUpdates(): void {
    for (const listener of [...this.#updateListeners]) listener();
  }

  /** getUpdates: confirms updates below `offset`, waits up to `timeoutMs` for new ones. */
  async takeUpdates(
    offset: number,
    limit: number,
    timeoutMs: number,
    closed: Promise<void>,
  ): Promise<Update[]> {
    this.#updates = this.#updates.filter((u) => u.update_id >= offset);
    if (this.#updates.length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        const wake = () => {
          this.#pollers.delete(wake);
          done();
        };
        this.#pollers.add(wake);
        void closed.then(wake);
      });
    }
    return this.#updates.slice(0, Math.max(1, limit));
  }

  /** A transformer answering every call from this world (for `bot.handleUpdate` tests). */
  transformer(): Transformer {
    return (async (_prev: unknown, method: string, payload: Record<string, unknown>) => {
      const plain: Record<string, unknown> = {};
      const files: RecordedCall['files'] = {};
      for (const [key, value] of Object.entries(payload ?? {})) {
        if (value instanceof InputFile) {
          files[key] = { filename: value.filename ?? key, data: await rawBytes(value) };
          plain[key] = `attach://${key}`;
        } else plain[key] = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
      }
      return this.answer(method, plain, files);
    }) as unknown as Transformer;
  }
}

async function rawBytes(file: InputFile): Promise<Buffer> {
  const raw = await file.toRaw();
  if (raw instanceof Uint8Array) return Buffer.from(raw);
  const chunks: Uint8Array[] = [];
  for await (const chunk of raw as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
