import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { type RunningServer, type StartOptions, startQuickCart } from '../src/start/run.js';
import { freePort } from './scratch.js';

/**
 * `quickcart start` in process for integration tests: PGlite in a fresh temporary data directory,
 * the embedded sandbox, 127.0.0.1 on a free port, no HTTP logs. `close()` stops the server and
 * removes the directory.
 */

/** A started server, its environment (pass it to the CLI's `main()`) and its banner. */
export interface InProcessServer {
  server: RunningServer;
  url: string;
  dataDir: string;
  env: Record<string, string>;
  banner: string;
  close(): Promise<void>;
}

/** Starts QuickCart with `env` added to a temporary DATA_DIR, a free PORT and PUBLIC_URL. */
export async function startInProcess(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<InProcessServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'quickcart-running-'));
  const port = await freePort();
  const fullEnv = {
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'silent',
    ...env,
  };
  let banner = '';
  let server: RunningServer;
  try {
    server = await startQuickCart(loadConfig(fullEnv), {
      host: '127.0.0.1',
      httpLogs: false,
      sweepIntervalMs: 500,
      print: (text) => {
        banner += text;
      },
      ...options,
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    url: server.url,
    dataDir,
    env: fullEnv,
    banner,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
