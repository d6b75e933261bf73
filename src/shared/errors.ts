/**
 * Base for every error a technician may read. `code` is stable (logs, MQTT, tests match on it);
 * `message` says what happened and what to do about it.
 */
export class LinekeeperError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A problem in a YAML/JSON input a person wrote: config, flow. One entry per finding. */
export interface InputProblem {
  /** Dotted key path, e.g. `line.modem.device` or `nodes.main-menu.options[0].next`. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export function formatProblem(file: string, p: InputProblem): string {
  const where = p.line === undefined ? file : `${file}:${p.line}:${p.column ?? 1}`;
  const key = p.path === '' ? '(top level)' : p.path;
  return `${where}: ${key}: ${p.message}`;
}

/** Thrown when an input file cannot be used; carries every problem found, not just the first. */
export class InvalidInputError extends LinekeeperError {
  readonly file: string;
  readonly problems: InputProblem[];

  constructor(code: string, file: string, problems: InputProblem[]) {
    super(code, problems.map((p) => formatProblem(file, p)).join('\n'));
    this.file = file;
    this.problems = problems;
  }
}
