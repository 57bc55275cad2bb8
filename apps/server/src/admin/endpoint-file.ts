// `${DATA_DIR}/admin.json`: where a running `quickcart start` on PGlite answers the CLI's
// administration (its loopback admin endpoint) and the token that opens it. Written at start with
// mode 0600, removed on a clean shutdown; a file left by a dead process is ignored.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../db/lock.js';
import { QuickCartError } from '../payments/errors.js';

/** What admin.json holds. */
export interface AdminEndpoint {
  /** Base URL of the admin listener, e.g. `http://127.0.0.1:41234` (loopback only). */
  url: string;
  /** Bearer token of the admin routes. */
  token: string;
  /** The server process, so a file it left behind when killed can be told apart. */
  pid: number;
  hostname: string;
  started_at: string;
}

/** The file's name inside the data directory. */
export const ADMIN_FILE = 'admin.json';

/** The path of admin.json in `dataDir`. */
export function adminFilePath(dataDir: string): string {
  return join(dataDir, ADMIN_FILE);
}

/** A fresh admin token: 256 random bits, URL-safe. */
export function newAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Writes admin.json for this process (mode 0600, written aside and renamed into place, so a
 * reader never sees half a file). Returns the function that removes it again, if it is still the
 * one this call wrote; safe to call twice.
 */
export async function writeAdminEndpoint(
  dataDir: string,
  endpoint: { url: string; token: string },
): Promise<() => Promise<void>> {
  const path = adminFilePath(dataDir);
  const content: AdminEndpoint = {
    url: endpoint.url,
    token: endpoint.token,
    pid: process.pid,
    hostname: hostname(),
    started_at: new Date().toISOString(),
  };
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(draft, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await chmod(draft, 0o600); // the umask may have taken bits away, never added: make it exact
  await rename(draft, path);
  let removed = false;
  return async () => {
    if (removed) return;
    removed = true;
    const current = await readRaw(path);
    if (current?.token !== endpoint.token) return; // another server wrote its own since
    await unlink(path).catch((error: unknown) => {
      if (errno(error) !== 'ENOENT') throw error;
    });
  };
}

async function readRaw(path: string): Promise<AdminEndpoint | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errno(error) === 'ENOENT') return null;
    if (errno(error) === 'EACCES' || errno(error) === 'EPERM') {
      throw new QuickCartError('FORBIDDEN', {
        message: `cannot read ${path} (${errno(error)}): run the command as the user that runs the server`,
        cause: error,
      });
    }
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<AdminEndpoint>;
    if (
      typeof value.url === 'string' &&
      typeof value.token === 'string' &&
      typeof value.pid === 'number' &&
      typeof value.hostname === 'string'
    ) {
      return {
        url: value.url,
        token: value.token,
        pid: value.pid,
        hostname: value.hostname,
        started_at: typeof value.started_at === 'string' ? value.started_at : 'an unknown time',
      };
    }
  } catch {
    // unreadable: names no endpoint
  }
  return null;
}

/**
 * The admin endpoint of a server running on `dataDir`, or null when there is none: no file, an
 * unparsable one, or one written by a process that is dead or on another host. A file this user
 * may not read (the server runs as another user) is 403 FORBIDDEN, with what to do.
 */
export async function readAdminEndpoint(dataDir: string): Promise<AdminEndpoint | null> {
  const endpoint = await readRaw(adminFilePath(dataDir));
  if (!endpoint || endpoint.hostname !== hostname() || !isProcessAlive(endpoint.pid)) return null;
  return endpoint;
}
