import { type InputProblem, InvalidInputError, LinekeeperError } from '../shared/errors.js';

export class FlowInvalidError extends InvalidInputError {
  constructor(file: string, problems: InputProblem[]) {
    super('FLOW_INVALID', file, problems);
  }
}

export class FlowUnreadableError extends LinekeeperError {
  constructor(file: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    super(
      'FLOW_UNREADABLE',
      code === 'ENOENT'
        ? `flow file ${file} does not exist: check call.flow in the config (builtin:clinic uses the bundled example)`
        : `cannot read flow file ${file}: ${(cause as Error).message}`,
      { cause },
    );
  }
}
