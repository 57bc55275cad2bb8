// Just enough of Express for seed 002's snippets and the README's example, on node:http (express is not a
// dependency of this repository). JSON bodies are parsed unless the route starts with
// `express.raw()`, which leaves the raw bytes in `req.body` as a Buffer.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';

export interface Request {
  // biome-ignore lint/suspicious/noExplicitAny: Express types req.body as any, and the seeds rely on it.
  body: any;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
}

export interface Response {
  status(code: number): Response;
  json(body: unknown): Response;
  send(body: string | Uint8Array): Response;
}

type Handler = (req: Request, res: Response) => unknown;
/** A body parser: `express.raw()` (keep the bytes) or `express.json()`. */
interface RawMarker {
  raw: boolean;
}
type Route = { method: string; pattern: RegExp; names: string[]; raw: boolean; handler: Handler };

export interface Application {
  get(path: string, ...handlers: (Handler | RawMarker)[]): void;
  post(path: string, ...handlers: (Handler | RawMarker)[]): void;
  listen(port: number, callback?: () => void): Server;
}

/** Every app the snippets made, for the tests to start. */
export const apps: Application[] = [];

function reply(raw: ServerResponse): Response {
  const res: Response = {
    status(code) {
      raw.statusCode = code;
      return res;
    },
    json(body) {
      raw.setHeader('content-type', 'application/json');
      raw.end(JSON.stringify(body));
      return res;
    },
    send(body) {
      raw.end(body);
      return res;
    },
  };
  return res;
}

function express(): Application {
  const routes: Route[] = [];
  const add =
    (method: string) =>
    (path: string, ...handlers: (Handler | RawMarker)[]) => {
      const names: string[] = [];
      const pattern = new RegExp(
        `^${path.replace(/:(\w+)/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        })}$`,
      );
      const handler = handlers.at(-1) as Handler;
      routes.push({ method, pattern, names, raw: handlers.some((h) => 'raw' in h && h.raw), handler });
    };
  const app: Application = {
    get: add('GET'),
    post: add('POST'),
    listen(port, callback) {
      const server = createServer(async (req, raw) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const url = new URL(req.url ?? '/', 'http://localhost');
        for (const route of routes) {
          const match = route.method === req.method ? route.pattern.exec(url.pathname) : null;
          if (!match) continue;
          const params = Object.fromEntries(
            route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
          );
          const buffer = Buffer.concat(chunks);
          const body = route.raw ? buffer : buffer.length > 0 ? JSON.parse(buffer.toString()) : {};
          await route.handler({ body, params, headers: req.headers }, reply(raw));
          return;
        }
        raw.statusCode = 404;
        raw.end();
      });
      return server.listen(port, '127.0.0.1', callback);
    },
  };
  apps.push(app);
  return app;
}

express.raw = (_options: { type: string }): RawMarker => ({ raw: true });
express.json = (): RawMarker => ({ raw: false });

export default express;
