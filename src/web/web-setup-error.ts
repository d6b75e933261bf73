import { LinekeeperError } from '../shared/errors.js';

/** The web page was wired without something it needs; the message names what to pass. */
export class WebSetupError extends LinekeeperError {}
