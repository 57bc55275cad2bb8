import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDirectoryLock, DatabaseLockedError, isProcessAlive, type LockHolder } from './lock.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  if (!pid || isProcessAlive(pid)) throw new Error('could not find a dead pid');
  return pid;
}

function holderOf(path: string): LockHolder {
  return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
}

describe('directory lock', () => {
  let dir: string;
  let lockPath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quickcart-lock-'));
    lockPath = join(dir, 'pglite.lock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created with this process as holder and removed on release', () => {
    const lock = acquireDirectoryLock({ lockPath, directory: dir });
    expect(holderOf(lockPath)).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
      token: lock.holder.token,
    });
    lock.release();
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('refuses a second holder while the first lives, naming the directory and the pid', () => {
    const lock = acquireDirectoryLock({ lockPath, directory: dir });
    try {
      expect(() => acquireDirectoryLock({ lockPath, directory: dir })).toThrow(DatabaseLockedError);
      try {
        acquireDirectoryLock({ lockPath, directory: dir });
      } catch (error) {
        expect(error).toMatchObject({
          code: 'DATABASE_LOCKED',
          directory: dir,
          holder: { pid: process.pid },
        });
        expect((error as Error).message).toContain(dir);
        expect((error as Error).message).toContain(`process ${process.pid}`);
        expect((error as Error).message).toContain(lockPath);
      }
      expect(holderOf(lockPath).token).toBe(lock.holder.token);
    } finally {
      lock.release();
    }
  });

  it('takes over a lock left by a dead process, or an unreadable one', () => {
    for (const stale of [
      JSON.stringify({ pid: deadPid(), hostname: hostname(), token: 'old', started_at: 'yesterday' }),
      'garbage',
      '',
    ]) {
      writeFileSync(lockPath, stale);
      const lock = acquireDirectoryLock({ lockPath, directory: dir });
      expect(holderOf(lockPath)).toMatchObject({ pid: process.pid, token: lock.holder.token });
      lock.release();
    }
  });

  it('counts a lock from another host as held (its pid cannot be checked from here)', () => {
    writeFileSync(
      lockPath,
      JSON.stringify({ pid: deadPid(), hostname: 'elsewhere', token: 't', started_at: 'now' }),
    );
    expect(() => acquireDirectoryLock({ lockPath, directory: dir })).toThrow(/on host elsewhere/);
  });

  it('release leaves a lock that is no longer its own', () => {
    const lock = acquireDirectoryLock({ lockPath, directory: dir });
    const other = { pid: process.pid, hostname: hostname(), token: 'someone-else', started_at: 'now' };
    writeFileSync(lockPath, JSON.stringify(other));
    lock.release();
    expect(holderOf(lockPath)).toEqual(other);
  });

  it('tells live processes from dead ones', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(deadPid())).toBe(false);
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(-1)).toBe(false);
  });
});
