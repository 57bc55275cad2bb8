// How a script of statements runs in one transaction, on either driver: `rawScript()` (db/raw.ts)
// on a pg connection, and the PGlite worker (db/pglite-worker/worker.ts) on PGlite.

export type Row = Record<string, unknown>;

/** One step: its statement in the driver's form, and whether an empty answer stops the script. */
export interface Step<Q> {
  query: Q;
  required: boolean;
  /** Run, in the transaction, when the required step answered no rows: its rows say why. */
  whyEmpty: Q | null;
}

/** How a script ended: committed with each step's rows, or stopped (and rolled back) at an empty required step. */
export type ScriptResult =
  | { committed: true; rows: Row[][] }
  | { committed: false; stoppedAt: number; explained: Row[] | null };

/**
 * Runs `steps` through `run` inside a transaction the caller opened; at an empty required step it
 * runs `whyEmpty`, calls `rollback` and stops. Committing the rest is the caller's.
 */
export async function runSteps<Q>(
  steps: readonly Step<Q>[],
  run: (query: Q) => Promise<Row[]>,
  rollback: () => Promise<unknown>,
): Promise<ScriptResult> {
  const rows: Row[][] = [];
  for (const [index, step] of steps.entries()) {
    const answered = await run(step.query);
    if (answered.length === 0 && step.required) {
      const explained = step.whyEmpty ? await run(step.whyEmpty) : null;
      await rollback();
      return { committed: false, stoppedAt: index, explained };
    }
    rows.push(answered);
  }
  return { committed: true, rows };
}
