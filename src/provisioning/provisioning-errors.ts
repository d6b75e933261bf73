import { type InputProblem, InvalidInputError, LinekeeperError } from '../shared/errors.js';

/** The boot-partition file is wrong: every problem, each naming the key, value and what is valid. */
export class ProvisioningInvalidError extends InvalidInputError {
  constructor(file: string, problems: InputProblem[]) {
    super('PROVISIONING_INVALID', file, problems);
  }
}

/** Codes: PROVISIONING_UNREADABLE, PROVISIONING_WRITE_FAILED. */
export class ProvisioningError extends LinekeeperError {}
