import { LinekeeperError } from '../shared/errors.js';

/** Exit codes: 0 ok, 1 the appliance failed at run time, 2 the input (config, flow, args) is wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

const INPUT_CODES = new Set([
  'CONFIG_INVALID',
  'CONFIG_NOT_FOUND',
  'CONFIG_UNREADABLE',
  'FLOW_INVALID',
  'FLOW_UNREADABLE',
  'BAD_ARGUMENT',
]);

export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function err(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Prints an error the way a technician wants to read it and returns the exit code to use. */
export function reportError(error: unknown): number {
  if (error instanceof LinekeeperError) {
    err(`linekeeper: ${error.message}`);
    return INPUT_CODES.has(error.code) ? EXIT_BAD_INPUT : EXIT_FAILURE;
  }
  err(`linekeeper: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
  return EXIT_FAILURE;
}

export class BadArgumentError extends LinekeeperError {
  constructor(message: string) {
    super('BAD_ARGUMENT', message);
  }
}
