// The sandbox's two errors: a bad configuration (thrown by startSandbox and the CLI) and an HTTP
// error answer (thrown by request handlers, written as `{ "error": "<message>" }`).

/** A configuration the sandbox cannot start with: bad options, an unreadable state file. */
export class SandboxError extends Error {
  override name = 'SandboxError';
}

/** An error answer; the server writes `{ "error": message }` with `status` and `headers`. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    /** HTTP status, 4xx or 5xx. */
    readonly status: number,
    message: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** 400 Bad Request. */
export const badRequest = (message: string) => new HttpError(400, message);
/** 401 Unauthorized. */
export const unauthorized = (message: string) => new HttpError(401, message);
/** 404 Not Found. */
export const notFound = (message: string) => new HttpError(404, message);
/** 409 Conflict. */
export const conflict = (message: string) => new HttpError(409, message);
