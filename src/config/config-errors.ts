import { type InputProblem, InvalidInputError, LinekeeperError } from '../shared/errors.js';

export class ConfigInvalidError extends InvalidInputError {
  constructor(file: string, problems: InputProblem[]) {
    super('CONFIG_INVALID', file, problems);
  }
}

export class ConfigNotFoundError extends LinekeeperError {
  constructor(file: string) {
    super(
      'CONFIG_NOT_FOUND',
      `config file ${file} does not exist: create it (see examples/config.yaml) or leave out --config to run on defaults`,
    );
  }
}

export class ConfigUnreadableError extends LinekeeperError {
  constructor(file: string, cause: unknown) {
    super('CONFIG_UNREADABLE', `cannot read config file ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
}
