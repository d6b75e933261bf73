import { LinekeeperError } from '../../shared/errors.js';

/** Codes: FIRSTBOOT_OPENSSL_MISSING, FIRSTBOOT_OPENSSL_FAILED, FIRSTBOOT_STATE_UNWRITABLE, SETUP_CODE_CORRUPT. */
export class FirstbootError extends LinekeeperError {}
