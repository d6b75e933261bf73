import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../shared/package-root.js';
import { TypedEmitter } from '../shared/typed-emitter.js';
import { type ProcSample, readProcSample } from './proc-stats.js';

export interface LoopDelay {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One run of the appliance process, from spawn to exit. */
export interface ProcessLife {
  pid: number;
  spawnedAt: number;
  readyAt: number | null;
  exitedAt: number | null;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  firstSample: ProcSample | null;
  lastSample: ProcSample | null;
  loop: LoopDelay | null;
}

export interface SupervisorOptions {
  configPath: string;
  /** Appliance stderr (JSON log lines and CLI messages) is appended here. */
  logPath: string;
  /** Where the preloaded loop probe writes its figures. */
  loopFile: string;
  /** Like systemd's RestartSec: wait this long after an exit before starting again. */
  restartDelayMs: number;
  readyTimeoutMs: number;
  /** Added to the appliance's environment (libfaketime for clock jumps). */
  extraEnv?: NodeJS.ProcessEnv;
}

interface SupervisorEvents {
  ready: { pid: number; url: string };
  exited: { pid: number; code: number | null; signal: NodeJS.Signals | null };
  'start-failed': { error: Error };
}

const CLI_MAIN = join(PACKAGE_ROOT, 'dist/cli/main.js');
const LOOP_PROBE = join(PACKAGE_ROOT, 'dist/soak/loop-probe.js');

/**
 * Plays systemd with Restart=always for `linekeeper run`: spawns the real CLI, restarts it
 * whenever it exits, and keeps per-process figures (RSS, CPU, event-loop delay).
 */
export class ApplianceSupervisor {
  readonly events = new TypedEmitter<SupervisorEvents>();
  readonly lives: ProcessLife[] = [];
  readonly #o: SupervisorOptions;
  #child: ChildProcess | null = null;
  #life: ProcessLife | null = null;
  #url: string | null = null;
  #supervising = false;
  #log: WriteStream | null = null;
  #sampler: NodeJS.Timeout | null = null;
  #restartTimer: NodeJS.Timeout | null = null;
  #tail: string[] = [];
  #setupCode: string | null = null;

  constructor(options: SupervisorOptions) {
    this.#o = options;
  }

  /** The web page's base URL of the running, ready process; null while down or starting. */
  get url(): string | null {
    return this.#url;
  }

  get pid(): number | null {
    return this.#life && this.#life.exitedAt === null ? this.#life.pid : null;
  }

  get current(): ProcessLife | null {
    return this.#life;
  }

  /** The first-run setup code the appliance logged (the web page's admin setup), if any. */
  setupCode(): string | null {
    return this.#setupCode;
  }

  /** The last lines the appliance wrote, for failure messages. */
  tail(): string {
    return this.#tail.join('\n');
  }

  async start(): Promise<void> {
    this.#supervising = true;
    this.#log = createWriteStream(this.#o.logPath, { flags: 'a' });
    this.#sampler = setInterval(() => this.#sample(), 1000);
    await this.#spawnAndWait();
  }

  /** SIGKILL, as a power cut or the OOM killer would; the supervisor restarts it. */
  kill(): number | null {
    const child = this.#child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return null;
    this.#sample();
    child.kill('SIGKILL');
    return child.pid;
  }

  async stop(): Promise<void> {
    this.#supervising = false;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    if (this.#sampler) clearInterval(this.#sampler);
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      this.#sample();
      const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => (this.#log ? this.#log.end(resolve) : resolve()));
  }

  #spawnAndWait(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onReady = () => {
        cleanup();
        resolve();
      };
      const onFailed = ({ error }: { error: Error }) => {
        cleanup();
        reject(error);
      };
      const cleanup = () => {
        this.events.off('ready', onReady);
        this.events.off('start-failed', onFailed);
      };
      this.events.on('ready', onReady);
      this.events.on('start-failed', onFailed);
      this.#spawn();
    });
  }

  #spawn(): void {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...this.#o.extraEnv,
      LINEKEEPER_SOAK_LOOP_FILE: this.#o.loopFile,
    };
    delete env.NODE_OPTIONS;
    delete env.NODE_V8_COVERAGE;
    const child = spawn(
      process.execPath,
      ['--import', LOOP_PROBE, CLI_MAIN, '--config', this.#o.configPath, 'run'],
      { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const life: ProcessLife = {
      pid: child.pid ?? -1,
      spawnedAt: Date.now(),
      readyAt: null,
      exitedAt: null,
      exit: null,
      firstSample: null,
      lastSample: null,
      loop: null,
    };
    this.#child = child;
    this.#life = life;
    this.lives.push(life);
    let stderr = '';
    const readyTimer = setTimeout(() => {
      this.events.emit('start-failed', {
        error: new Error(
          `appliance pid ${life.pid} not ready within ${this.#o.readyTimeoutMs} ms:\n${this.tail()}`,
        ),
      });
      child.kill('SIGKILL');
    }, this.#o.readyTimeoutMs);
    const onOutput = (chunk: string) => {
      this.#log?.write(chunk);
      const code = /"setupCode":"([^"]+)"/.exec(chunk)?.[1];
      if (code) this.#setupCode = code;
      this.#tail.push(...chunk.split('\n').filter(Boolean));
      if (this.#tail.length > 60) this.#tail.splice(0, this.#tail.length - 60);
    };
    child.stdout?.setEncoding('utf8').on('data', onOutput);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      onOutput(chunk);
      if (life.readyAt !== null) return;
      stderr = (stderr + chunk).slice(-4000);
      const match = /web page at (http:\/\/\S+?)\/? \(/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(readyTimer);
        life.readyAt = Date.now();
        this.#url = match[1];
        this.#sample();
        this.events.emit('ready', { pid: life.pid, url: match[1] });
      }
    });
    child.once('close', (code, signal) => {
      clearTimeout(readyTimer);
      life.exitedAt = Date.now();
      life.exit = { code, signal };
      life.loop = this.#readLoop(life.pid) ?? life.loop;
      this.#url = null;
      this.#child = null;
      this.events.emit('exited', { pid: life.pid, code, signal });
      if (!this.#supervising) return;
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = null;
        if (this.#supervising) this.#spawn();
      }, this.#o.restartDelayMs);
    });
  }

  #sample(): void {
    const life = this.#life;
    if (!life || life.exitedAt !== null) return;
    const sample = readProcSample(life.pid);
    if (!sample) return;
    life.firstSample ??= sample;
    life.lastSample = sample;
    life.loop = this.#readLoop(life.pid) ?? life.loop;
  }

  #readLoop(pid: number): LoopDelay | null {
    try {
      const data = JSON.parse(readFileSync(this.#o.loopFile, 'utf8')) as LoopDelay & {
        pid: number;
      };
      return data.pid === pid ? data : null;
    } catch {
      return null;
    }
  }
}
