import type { ApplianceCommands } from '../../appliance/appliance-commands.js';
import { LinekeeperError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import {
  type CommandValidators,
  compileCommandValidators,
  describeSchemaErrors,
} from './command-schemas.js';
import { type CommandErrorCode, MqttCommandError } from './mqtt-errors.js';
import { COMMAND_NAMES, type CommandName } from './mqtt-options.js';

export interface AuditEntry {
  actor: string;
  action: string;
  detail: string;
  ok: boolean;
}
export type AuditCallback = (entry: AuditEntry) => void;

/** Published on `<prefix>/<device>/command-result` for every command received. */
export interface CommandResult {
  command: string;
  requestId?: string;
  ok: boolean;
  result?: string;
  error?: { code: CommandErrorCode; message: string; causeCode?: string };
  at: string;
}

export interface CommandHandlerDeps {
  commands: ApplianceCommands;
  audit: AuditCallback;
  allowed: ReadonlySet<CommandName>;
  timeoutMs: number;
  logger: Logger;
  now?: () => Date;
}

/** Commands are small JSON objects; anything bigger is not from a well-behaved controller. */
export const MAX_COMMAND_BYTES = 1024;
/** Commands run one at a time; more than this waiting means something is flooding us. */
export const MAX_PENDING_COMMANDS = 4;
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
// MQTT carries no authenticated sender identity to the subscriber; the broker's ACL on the
// command topics is what decides who may send. The audit records the channel.
const ACTOR = 'mqtt';

/**
 * Turns a message on a command topic into a call on ApplianceCommands: allow-list, schema,
 * one at a time, bounded in time. Every message ends in exactly one audit entry and one result.
 */
export class CommandHandler {
  readonly #deps: CommandHandlerDeps;
  #validators: CommandValidators | null = null;
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  constructor(deps: CommandHandlerDeps) {
    this.#deps = deps;
  }

  async handle(rawName: string, payload: Buffer, retained: boolean): Promise<CommandResult> {
    const name = printableName(rawName);
    let requestId: string | undefined;
    try {
      const { command, params, id } = this.#check(rawName, name, payload, retained);
      requestId = id;
      const result = await this.#runInTurn(command, params);
      return this.#finish(name, requestId, describeParams(params), { ok: true, result });
    } catch (error) {
      const e = asCommandError(error);
      return this.#finish(name, requestId ?? e.requestId, 'refused', {
        ok: false,
        error: {
          code: e.code,
          message: e.message,
          ...(e.causeCode === undefined ? {} : { causeCode: e.causeCode }),
        },
      });
    }
  }

  #check(rawName: string, name: string, payload: Buffer, retained: boolean) {
    if (retained) {
      throw new MqttCommandError(
        'MQTT_COMMAND_RETAINED',
        `a retained message on command/${name} was ignored: commands must not be retained, or ` +
          'they replay on every reconnect; clear it with an empty retained publish',
      );
    }
    if (!(COMMAND_NAMES as readonly string[]).includes(rawName)) {
      throw new MqttCommandError(
        'MQTT_COMMAND_UNKNOWN',
        `unknown command "${name}"; known: ${COMMAND_NAMES.join(', ')}`,
      );
    }
    const command = rawName as CommandName;
    if (!this.#deps.allowed.has(command)) {
      throw new MqttCommandError(
        'MQTT_COMMAND_NOT_ALLOWED',
        `command "${command}" is switched off on this appliance (mqtt.allowedCommands)`,
      );
    }
    if (payload.length > MAX_COMMAND_BYTES) {
      throw new MqttCommandError(
        'MQTT_COMMAND_MALFORMED',
        `payload is ${payload.length} bytes; commands are JSON objects under ${MAX_COMMAND_BYTES} bytes`,
      );
    }
    let params: unknown;
    try {
      params = JSON.parse(payload.toString('utf8'));
    } catch {
      throw new MqttCommandError(
        'MQTT_COMMAND_MALFORMED',
        'payload is not JSON; send e.g. {"mode":"night"}',
      );
    }
    const id = requestIdOf(params);
    this.#validators ??= compileCommandValidators();
    const validate = this.#validators[command];
    if (!validate(params)) {
      throw Object.assign(
        new MqttCommandError('MQTT_COMMAND_INVALID', describeSchemaErrors(validate.errors)),
        { requestId: id },
      );
    }
    return { command, params: params as Record<string, unknown>, id };
  }

  async #runInTurn(command: CommandName, params: Record<string, unknown>): Promise<string> {
    if (this.#pending >= MAX_PENDING_COMMANDS) {
      throw new MqttCommandError(
        'MQTT_COMMAND_BUSY',
        `${this.#pending} commands are already waiting; try again when they have finished`,
      );
    }
    this.#pending += 1;
    const run = this.#tail.then(() => this.#withTimeout(command, this.#invoke(command, params)));
    // The queue moves on after a failure or a timeout too, so one hung command cannot wedge it.
    this.#tail = run.catch(() => {});
    try {
      return await run;
    } finally {
      this.#pending -= 1;
    }
  }

  #invoke(command: CommandName, params: Record<string, unknown>): Promise<string> {
    const c = this.#deps.commands;
    switch (command) {
      case 'mode':
        return c.setMode(params.mode as 'day' | 'night');
      case 'front-desk':
        return c.forceFrontDesk(params.force as boolean);
      case 'reload-flow':
        return c.reloadFlow();
    }
  }

  #withTimeout(command: CommandName, work: Promise<string>): Promise<string> {
    const ms = this.#deps.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new MqttCommandError(
              'MQTT_COMMAND_TIMEOUT',
              `command "${command}" did not finish within ${ms} ms; check the appliance log`,
            ),
          ),
        ms,
      );
    });
    return Promise.race([work, timeout])
      .catch((error: unknown) => {
        if (error instanceof MqttCommandError) throw error;
        const causeCode = error instanceof LinekeeperError ? error.code : undefined;
        const message = error instanceof Error ? error.message : String(error);
        throw Object.assign(
          new MqttCommandError('MQTT_COMMAND_FAILED', `command "${command}" failed: ${message}`, {
            cause: error,
          }),
          { causeCode },
        );
      })
      .finally(() => clearTimeout(timer));
  }

  #finish(
    name: string,
    requestId: string | undefined,
    what: string,
    outcome: Pick<CommandResult, 'ok' | 'result' | 'error'>,
  ): CommandResult {
    const now = this.#deps.now ?? (() => new Date());
    const result: CommandResult = {
      command: name,
      ...(requestId === undefined ? {} : { requestId }),
      ...outcome,
      ...(outcome.result === undefined ? {} : { result: clip(outcome.result) }),
      at: now().toISOString(),
    };
    const detail = outcome.ok
      ? `${what}: ${result.result ?? ''}`
      : `${what} (${outcome.error?.code}): ${outcome.error?.message}`;
    this.#audit({ actor: ACTOR, action: `command:${name}`, detail, ok: outcome.ok });
    const log = this.#deps.logger;
    if (outcome.ok) log.info({ command: name, requestId }, 'mqtt command done');
    else log.warn({ command: name, requestId, code: outcome.error?.code }, outcome.error?.message);
    return result;
  }

  #audit(entry: AuditEntry): void {
    try {
      this.#deps.audit(entry);
    } catch (error) {
      // The audit sink failing must not hide the command's result from the controller.
      this.#deps.logger.error({ err: error, action: entry.action }, 'audit callback threw');
    }
  }
}

type CheckedError = MqttCommandError & { requestId?: string; causeCode?: string };

function asCommandError(error: unknown): CheckedError {
  if (error instanceof MqttCommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new MqttCommandError('MQTT_COMMAND_FAILED', message, { cause: error });
}

function requestIdOf(params: unknown): string | undefined {
  if (params === null || typeof params !== 'object') return undefined;
  const id = (params as Record<string, unknown>).requestId;
  return typeof id === 'string' && REQUEST_ID.test(id) ? id : undefined;
}

/** Topic levels come from whoever can publish; keep what we echo and log short and plain. */
function printableName(raw: string): string {
  const plain = raw.replace(/[^A-Za-z0-9_./-]/g, '?');
  return plain.length > 64 ? `${plain.slice(0, 64)}…` : plain;
}

function describeParams(params: Record<string, unknown>): string {
  const parts = Object.entries(params)
    .filter(([k]) => k !== 'requestId')
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length === 0 ? 'run' : parts.join(' ');
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
