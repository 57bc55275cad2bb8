import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { adminFilePath, newAdminToken, readAdminEndpoint, writeAdminEndpoint } from './endpoint-file.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(`${tmpdir()}/quickcart-admin-file-`);
  dirs.push(dir);
  return dir;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('admin.json', () => {
  it('is written 0600 and read back while its process lives', async () => {
    const dir = await dataDir();
    const token = newAdminToken();
    await writeAdminEndpoint(dir, { url: 'http://127.0.0.1:4001', token });
    expect((await stat(adminFilePath(dir))).mode & 0o777).toBe(0o600);
    expect(await readAdminEndpoint(dir)).toEqual({
      url: 'http://127.0.0.1:4001',
      token,
      pid: process.pid,
      hostname: hostname(),
      started_at: expect.any(String),
    });
  });

  it('is ignored when missing, unreadable, or left by a dead process or another host', async () => {
    const dir = await dataDir();
    expect(await readAdminEndpoint(dir)).toBeNull();
    await writeFile(adminFilePath(dir), 'not json');
    expect(await readAdminEndpoint(dir)).toBeNull();
    const stale = { url: 'http://127.0.0.1:4001', token: 't', hostname: hostname(), started_at: 'x' };
    await writeFile(adminFilePath(dir), JSON.stringify({ ...stale, pid: deadPid() }));
    expect(await readAdminEndpoint(dir)).toBeNull();
    await writeFile(
      adminFilePath(dir),
      JSON.stringify({ ...stale, pid: process.pid, hostname: 'elsewhere' }),
    );
    expect(await readAdminEndpoint(dir)).toBeNull();
  });

  it('is removed by its writer, unless another server has replaced it meanwhile', async () => {
    const dir = await dataDir();
    const withdraw = await writeAdminEndpoint(dir, { url: 'http://127.0.0.1:4001', token: 'first' });
    await withdraw();
    await expect(readFile(adminFilePath(dir))).rejects.toMatchObject({ code: 'ENOENT' });
    await withdraw(); // twice is fine

    const old = await writeAdminEndpoint(dir, { url: 'http://127.0.0.1:4001', token: 'old' });
    await writeAdminEndpoint(dir, { url: 'http://127.0.0.1:4002', token: 'new' });
    await old();
    expect(await readAdminEndpoint(dir)).toMatchObject({ token: 'new' });
  });
});
