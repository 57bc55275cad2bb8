import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** What a lock file holds: who holds it, since when, and a token that tells two holders apart. */
export interface LockHolder {
  pid: number;
  hostname: string;
  token: string;
  started_at: string;
}

/** A held lock. `release()` removes the lock file if it is still ours; safe to call twice. */
export interface DirectoryLock {
  readonly path: string;
  readonly holder: LockHolder;
  release(): void;
}

/** Thrown when another live process holds the lock: names the guarded directory and the pid. */
export class DatabaseLockedError extends Error {
  override readonly name = 'DatabaseLockedError';
  readonly code = 'DATABASE_LOCKED';
  constructor(
    readonly directory: string,
    readonly lockPath: string,
    readonly holder: LockHolder,
  ) {
    const where =
      holder.hostname === hostname()
        ? `process ${holder.pid}`
        : `process ${holder.pid} on host ${holder.hostname}`;
    super(
      `the PGlite database in ${directory} is already open in ${where} (since ${holder.started_at}); ` +
        `PGlite allows one process per data directory. Stop that process, use another DATA_DIR, or set ` +
        `DATABASE_URL to use PostgreSQL. If no such process runs, delete ${lockPath}.`,
    );
  }
}

/** Whether `pid` is a live process on this machine (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The holder recorded in a lock file; null when the file is gone, 'unreadable' when it is not ours to parse. */
function readHolder(path: string): LockHolder | 'unreadable' | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (errno(error) === 'ENOENT') return null;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.token === 'string') {
      return {
        pid: value.pid,
        token: value.token,
        hostname: typeof value.hostname === 'string' ? value.hostname : 'unknown',
        started_at: typeof value.started_at === 'string' ? value.started_at : 'an unknown time',
      };
    }
  } catch {
    // fall through: a lock file we cannot read names no live holder
  }
  return 'unreadable';
}

/** A lock is held while its process lives; a lock from another host cannot be checked, so it counts as held. */
function isHeld(holder: LockHolder): boolean {
  return holder.hostname !== hostname() || isProcessAlive(holder.pid);
}

/**
 * Takes the lock file at `lockPath` guarding `directory`, for this process. The file is created
 * atomically with its full content (written aside, then hard-linked into place), so a reader never
 * sees it half written. A lock left by a dead process on this host is taken over; a live holder
 * (this process included) makes it throw `DatabaseLockedError`.
 */
export function acquireDirectoryLock(options: { lockPath: string; directory: string }): DirectoryLock {
  const { lockPath, directory } = options;
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    token: randomBytes(8).toString('hex'),
    started_at: new Date().toISOString(),
  };
  const draft = `${lockPath}.${holder.token}.tmp`;
  writeFileSync(draft, `${JSON.stringify(holder)}\n`);
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        linkSync(draft, lockPath);
        return heldLock(lockPath, holder);
      } catch (error) {
        if (errno(error) !== 'EEXIST') throw error;
      }
      const current = readHolder(lockPath);
      if (current === null) continue; // released meanwhile: try again
      if (current !== 'unreadable' && isHeld(current)) {
        throw new DatabaseLockedError(directory, lockPath, current);
      }
      takeOverStale(lockPath, current);
    }
    throw new Error(`could not take the lock ${lockPath} for ${directory}: it kept changing hands`);
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Removes a stale lock file, racing safely with other processes doing the same: only one rename
 * succeeds, and a lock file that changed since it was judged stale is put back.
 */
function takeOverStale(lockPath: string, stale: LockHolder | 'unreadable'): void {
  const aside = `${lockPath}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if (errno(error) === 'ENOENT') return; // another process moved it first
    throw error;
  }
  const moved = readHolder(aside);
  const same =
    moved === stale ||
    (moved !== null && moved !== 'unreadable' && stale !== 'unreadable' && moved.token === stale.token);
  if (!same) {
    // A live holder replaced the stale lock between our read and our rename: give it back.
    try {
      linkSync(aside, lockPath);
    } catch (error) {
      if (errno(error) !== 'EEXIST') throw error;
    }
  }
  unlinkSync(aside);
}

function heldLock(path: string, holder: LockHolder): DirectoryLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const current = readHolder(path);
    if (current !== null && current !== 'unreadable' && current.token === holder.token) {
      try {
        unlinkSync(path);
      } catch (error) {
        if (errno(error) !== 'ENOENT') throw error;
      }
    }
  };
  // A process that exits without closing the database (process.exit, an uncaught error) still
  // removes its lock; a killed process leaves it, and the next start takes it over as stale.
  process.on('exit', release);
  return { path, holder, release };
}
