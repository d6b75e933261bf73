import { type InputProblem, InvalidInputError, LinekeeperError } from '../../shared/errors.js';

/** The `mqtt` settings cannot be used as they are; carries every problem found. */
export class MqttConfigError extends InvalidInputError {
  constructor(problems: InputProblem[]) {
    super('MQTT_CONFIG_INVALID', 'mqtt settings', problems);
  }
}

/** A TLS file named in the settings could not be read at start-up. */
export class MqttTlsFileError extends LinekeeperError {
  constructor(key: string, path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'MQTT_TLS_FILE_UNREADABLE',
      `mqtt.${key}: cannot read ${path} (${reason}): check the path and that the linekeeper ` +
        'service user may read it',
      { cause },
    );
  }
}

/**
 * Stable codes a remote controller sees in `command-result` payloads and the audit log.
 * Controllers (Home Assistant automations, scripts) match on these, so never rename one.
 */
export type CommandErrorCode =
  | 'MQTT_COMMAND_UNKNOWN'
  | 'MQTT_COMMAND_NOT_ALLOWED'
  | 'MQTT_COMMAND_RETAINED'
  | 'MQTT_COMMAND_MALFORMED'
  | 'MQTT_COMMAND_INVALID'
  | 'MQTT_COMMAND_BUSY'
  | 'MQTT_COMMAND_TIMEOUT'
  | 'MQTT_COMMAND_FAILED';

export class MqttCommandError extends LinekeeperError {
  declare readonly code: CommandErrorCode;

  constructor(code: CommandErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
