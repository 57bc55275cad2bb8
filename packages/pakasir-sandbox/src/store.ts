// Optional persistence: the transactions as one JSON file, rewritten atomically after each change
// (write a temporary file, then rename it over the old one), read back on start.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SandboxError } from './errors.js';
import type { TransactionRecord } from './transaction.js';

/** What the state file holds. */
export interface SandboxState {
  /** Last transaction number handed out. */
  seq: number;
  transactions: TransactionRecord[];
}

interface StateFile extends SandboxState {
  format: 'pakasir-sandbox-state';
  version: 1;
  project: string;
}

/** Reads and writes one project's state file. Synchronous, so writes never interleave. */
export class StateStore {
  readonly #path: string;
  readonly #project: string;

  constructor(path: string, project: string) {
    this.#path = path;
    this.#project = project;
  }

  /** The saved state, or an empty one when the file does not exist yet. */
  load(): SandboxState {
    let text: string;
    try {
      text = readFileSync(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { seq: 0, transactions: [] };
      throw new SandboxError(`cannot read state file ${this.#path}: ${(error as Error).message}`);
    }
    let file: Partial<StateFile>;
    try {
      file = JSON.parse(text) as Partial<StateFile>;
    } catch (error) {
      throw new SandboxError(`state file ${this.#path} is not JSON: ${(error as Error).message}`);
    }
    if (file.format !== 'pakasir-sandbox-state' || file.version !== 1 || !Array.isArray(file.transactions)) {
      throw new SandboxError(`${this.#path} is not a pakasir-sandbox state file (format 1)`);
    }
    if (file.project !== this.#project) {
      throw new SandboxError(
        `state file ${this.#path} belongs to project ${JSON.stringify(file.project)}, not ${JSON.stringify(this.#project)}`,
      );
    }
    return { seq: typeof file.seq === 'number' ? file.seq : 0, transactions: file.transactions };
  }

  /** Writes `state` atomically: readers see the old file or the new one, never half of one. */
  save(state: SandboxState): void {
    const file: StateFile = {
      format: 'pakasir-sandbox-state',
      version: 1,
      project: this.#project,
      ...state,
    };
    const temporary = `${this.#path}.${process.pid}.tmp`;
    mkdirSync(dirname(this.#path), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`);
    renameSync(temporary, this.#path);
  }
}
