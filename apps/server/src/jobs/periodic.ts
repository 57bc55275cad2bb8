/**
 * A job run over and over: first after `firstDelayMs`, then `intervalMs` after each run ends (so
 * runs never overlap), until `stop()`, which also waits for a run in progress. The timer does
 * not keep the process alive. `run` handles its own errors; a rejection is not retried sooner.
 */
export function runPeriodically(
  run: () => Promise<unknown>,
  options: { intervalMs: number; firstDelayMs?: number },
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> | undefined;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = run()
        .catch(() => {})
        .finally(() => {
          current = undefined;
          schedule(options.intervalMs);
        });
    }, delayMs);
    timer.unref();
  };

  schedule(options.firstDelayMs ?? options.intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
