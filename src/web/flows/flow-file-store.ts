import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveFlowPath } from '../../ivr/parse-flow.js';
import { syncDir, writeFileAtomic } from '../../shared/write-file-atomic.js';

/**
 * Where flows edited on the admin page live: `<dataDir>/flows/`. Under systemd's
 * ProtectSystem=strict the data dir is the only writable place, so the configured flow file
 * (or the bundled builtin:clinic) is never changed in place. Instead:
 *
 *   active.yaml    the edited flow; when it exists it takes precedence over `call.flow`
 *   previous.yaml  what was in effect before the last save or revert (one step of undo)
 *
 * Deleting active.yaml (the page's "revert to the configured flow") brings `call.flow` back.
 */
export function editedFlowPaths(dataDir: string) {
  const dir = resolve(dataDir, 'flows');
  return { dir, active: join(dir, 'active.yaml'), previous: join(dir, 'previous.yaml') };
}

/** The flow spec the appliance runs: the edited flow when there is one, else `call.flow`. */
export function flowSpecInEffect(configuredSpec: string, dataDir: string): string {
  const { active } = editedFlowPaths(dataDir);
  return existsSync(active) ? active : configuredSpec;
}

export interface FlowInEffect {
  /** `edited`: <dataDir>/flows/active.yaml; `configured`: call.flow from the config. */
  source: 'edited' | 'configured';
  /** The file read (builtin:clinic resolved to the bundled example). */
  file: string;
  /** call.flow as written in the config, e.g. `builtin:clinic`. */
  configuredSpec: string;
  text: string;
  hash: string;
}

/** Short content hash for the audit log: which version was replaced by which. */
export function flowHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Reads and replaces the edited flow file; every write is atomic and flushed to disk. */
export class FlowFileStore {
  readonly #configuredSpec: string;
  readonly #paths: ReturnType<typeof editedFlowPaths>;

  constructor(options: { configuredSpec: string; dataDir: string }) {
    this.#configuredSpec = options.configuredSpec;
    this.#paths = editedFlowPaths(options.dataDir);
  }

  get paths(): Readonly<ReturnType<typeof editedFlowPaths>> {
    return this.#paths;
  }

  inEffect(): FlowInEffect {
    const edited = existsSync(this.#paths.active);
    const file = edited ? this.#paths.active : resolveFlowPath(this.#configuredSpec);
    const text = readFileSync(file, 'utf8');
    return {
      source: edited ? 'edited' : 'configured',
      file,
      configuredSpec: this.#configuredSpec,
      text,
      hash: flowHash(text),
    };
  }

  /** Whether a previous version is kept (for the page to say so). */
  hasPrevious(): boolean {
    return existsSync(this.#paths.previous);
  }

  /**
   * Makes `text` the flow in effect. The version it replaces goes to previous.yaml first, so a
   * power cut between the two steps leaves either the old flow or the new one in effect.
   */
  save(text: string): { oldHash: string; newHash: string } {
    const before = this.inEffect();
    mkdirSync(this.#paths.dir, { recursive: true, mode: 0o750 });
    writeFileAtomic(this.#paths.previous, before.text, { mode: 0o640 });
    writeFileAtomic(this.#paths.active, text, { mode: 0o640 });
    return { oldHash: before.hash, newHash: flowHash(text) };
  }

  /** Removes the edited flow so `call.flow` is in effect again; null if there was none. */
  revert(): { oldHash: string; newHash: string } | null {
    if (!existsSync(this.#paths.active)) return null;
    const before = this.inEffect();
    writeFileAtomic(this.#paths.previous, before.text, { mode: 0o640 });
    rmSync(this.#paths.active);
    syncDir(this.#paths.dir);
    return { oldHash: before.hash, newHash: this.inEffect().hash };
  }
}
