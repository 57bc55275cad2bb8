import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteWorkerClient } from './client.js';

const TIMESTAMPTZ = 1184;

describe('PGlite in a worker thread', () => {
  let client: PgliteWorkerClient;
  beforeAll(async () => {
    client = await PgliteWorkerClient.open({ inMemory: true });
    await client.exec(
      'create table notes (id int primary key, body text not null, at timestamptz default now())',
    );
  });
  afterAll(() => client.close());

  it('answers queries without stopping this thread: a timer fires while a long query runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    const result = await client.query<{ n: number }>(
      'select count(*)::int as n from generate_series(1, 3000000)',
    );
    const tookMs = performance.now() - started;
    clearInterval(timer);
    expect(result.rows).toEqual([{ n: 3_000_000 }]);
    // In process, PGlite would hold this thread for the whole query and no tick would run.
    expect(tookMs).toBeGreaterThan(50);
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(tookMs / 5 / 4));
  });

  it('commits a transaction, rolls one back, and queues plain queries behind an open one', async () => {
    await client.transaction(async (tx) => {
      await tx.query('insert into notes (id, body) values ($1, $2)', [1, 'kept']);
    });
    await expect(
      client.transaction(async (tx) => {
        await tx.query('insert into notes (id, body) values ($1, $2)', [2, 'undone']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await client.transaction(async (tx) => {
      await tx.query('insert into notes (id, body) values ($1, $2)', [3, 'rolled back by hand']);
      await tx.rollback();
      expect(tx.closed).toBe(true);
    });

    let outsideAnswered = false;
    let outside: Promise<number> | undefined;
    await client.transaction(async (tx) => {
      await tx.query('insert into notes (id, body) values ($1, $2)', [4, 'seen after commit']);
      outside = client.query<{ n: number }>('select count(*)::int as n from notes').then((r) => {
        outsideAnswered = true;
        return r.rows[0]?.n ?? -1;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(outsideAnswered).toBe(false); // it waits for the transaction, as PGlite's own lock makes it
    });
    expect(await outside).toBe(2);
    const { rows } = await client.query<{ id: number }>('select id from notes order by id');
    expect(rows.map((row) => row.id)).toEqual([1, 4]);
  });

  it("throws the database's errors with their fields", async () => {
    const error = await client
      .query('insert into notes (id, body) values ($1, $2)', [1, 'again'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', constraint: 'notes_pkey', table: 'notes' });
    expect((error as Error).message).toMatch(/duplicate key/);
    // The worker is still serving.
    expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('runs a script in one message: committed, or stopped and rolled back at an empty required step', async () => {
    const committed = await client.runScript([
      {
        query: { text: 'insert into notes (id, body) values (10, $1) returning id', params: ['a'] },
        required: true,
        whyEmpty: null,
      },
      {
        query: { text: 'select count(*)::int as n from notes', params: [] },
        required: false,
        whyEmpty: null,
      },
    ]);
    expect(committed).toEqual({ committed: true, rows: [[{ id: 10 }], [{ n: 3 }]] });
    const stopped = await client.runScript([
      {
        query: { text: 'insert into notes (id, body) values (11, $1)', params: ['b'] },
        required: false,
        whyEmpty: null,
      },
      {
        query: { text: 'select id from notes where id = 999', params: [] },
        required: true,
        whyEmpty: { text: 'select count(*)::int as n from notes', params: [] },
      },
    ]);
    expect(stopped).toEqual({ committed: false, stoppedAt: 1, explained: [{ n: 4 }] });
    expect((await client.query('select 1 from notes where id = 11')).rows).toEqual([]);
  });

  it("leaves the types a caller parses itself as text, and applies the caller's parser (as Drizzle asks)", async () => {
    const at = '2026-12-07 01:02:03.456+00';
    await client.query('insert into notes (id, body, at) values (20, $1, $2)', ['t', at]);
    const parsed = await client.query<{ at: Date }>('select at from notes where id = 20');
    expect(parsed.rows[0]?.at).toEqual(new Date('2026-12-07T01:02:03.456Z'));
    const raw = await client.query<unknown[]>('select at, body from notes where id = 20', [], {
      rowMode: 'array',
      parsers: { [TIMESTAMPTZ]: (value) => `text:${value}` },
    });
    expect(raw.rows).toEqual([[`text:${at}`, 't']]);
  });

  it('delivers notifications to every listener of a channel until each stops', async () => {
    const heard: string[] = [];
    const stopFirst = await client.listen('notes_changed', (payload) => heard.push(`first ${payload}`));
    const stopSecond = await client.listen('notes_changed', (payload) => heard.push(`second ${payload}`));
    await client.query("select pg_notify('notes_changed', 'one')");
    await expect.poll(() => heard.length).toBe(2);
    await stopFirst();
    await client.query("select pg_notify('notes_changed', 'two')");
    await expect.poll(() => heard).toEqual(['first one', 'second one', 'second two']);
    await stopSecond();
    await client.query("select pg_notify('notes_changed', 'three')");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toHaveLength(3);
  });

  it('dumps its data directory, which a new worker restores', async () => {
    const copy = await PgliteWorkerClient.open({ inMemory: true, from: await client.dumpDataDir('none') });
    try {
      const { rows } = await copy.query<{ id: number }>('select id from notes order by id');
      expect(rows.map((row) => row.id)).toEqual([1, 4, 10, 20]);
    } finally {
      await copy.close();
      await copy.close();
    }
    expect(copy.closed).toBe(true);
    await expect(copy.query('select 1')).rejects.toThrow('PGlite is closed');
  });
});

describe('the PGlite worker and the process', () => {
  /** Runs `code` (an ES module; CLIENT is the compiled client's URL) in a new Node process; resolves with its stdout once it exits. */
  function runNode(code: string): Promise<{ status: number | null; out: string }> {
    const client = new URL('../../../dist/db/pglite-worker/client.js', import.meta.url).href;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code.replaceAll('CLIENT', client)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the child did not exit within 60 s; it printed: ${out}`));
      }, 60_000); // opening PGlite takes seconds, and more on a loaded CI machine
      child.on('exit', (status) => {
        clearTimeout(timer);
        resolve({ status, out });
      });
    });
  }

  it('keeps the process up while an answer is due, and not once the database is idle', {
    timeout: 90_000,
  }, async () => {
    const [idle, due] = await Promise.all([
      runNode(`
        import { PgliteWorkerClient } from 'CLIENT';
        await PgliteWorkerClient.open({ inMemory: true });
        console.log('opened');
      `),
      runNode(`
        import { PgliteWorkerClient } from 'CLIENT';
        const client = await PgliteWorkerClient.open({ inMemory: true });
        // Not awaited, nothing else pending: only the due answer keeps this process alive.
        void client.query('select 42 as answer').then((r) => console.log('answered', r.rows[0].answer));
      `),
    ]);
    expect(idle).toEqual({ status: 0, out: 'opened\n' }); // exits on its own, the database still open
    expect(due).toEqual({ status: 0, out: 'answered 42\n' });
  });

  it('rejects the open when the worker fails to open its database', async () => {
    await expect(
      PgliteWorkerClient.open({ inMemory: true, from: new Blob(['not a tarball']) }),
    ).rejects.toThrow();
  });
});
