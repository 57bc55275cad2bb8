import { QuickCartError } from '../payments/errors.js';

/**
 * The long-lived requests of an app (long-polls, event streams), so that closing the app ends
 * them at once instead of waiting up to a minute for each: every such request takes an
 * AbortController here and gives it back when it ends; `abortAll()` aborts the rest.
 */
export class LongRequests {
  readonly #open = new Set<AbortController>();
  #closing = false;

  /** A controller for a new long request; 503 SERVICE_UNAVAILABLE once the app is closing. */
  open(): AbortController {
    if (this.#closing) {
      throw new QuickCartError('SERVICE_UNAVAILABLE', { message: 'the server is shutting down; retry' });
    }
    const controller = new AbortController();
    this.#open.add(controller);
    return controller;
  }

  /** Gives a controller back when its request ended. */
  close(controller: AbortController): void {
    this.#open.delete(controller);
  }

  /** How many long requests are open. */
  get size(): number {
    return this.#open.size;
  }

  /** Refuses new long requests and aborts the open ones with `ShutdownError`. */
  abortAll(): void {
    this.#closing = true;
    for (const controller of this.#open) controller.abort(new ShutdownError());
    this.#open.clear();
  }
}

/** The abort reason of long requests when the app closes. */
export class ShutdownError extends Error {
  override readonly name = 'ShutdownError';
  constructor() {
    super('the server is shutting down');
  }
}

/** The abort reason of a long request whose client went away. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('the client closed the connection');
  }
}
