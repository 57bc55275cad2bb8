import { type CliIo, main } from '../src/cli/main.js';

/** Runs the quickcart CLI in process with `env`, capturing what it prints. */
export async function runCli(args: string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
