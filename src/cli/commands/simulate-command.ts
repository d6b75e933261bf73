import { type Command, InvalidArgumentError } from 'commander';
import { createCallStore, createStatusSink } from '../../appliance/adapter-factory.js';
import { audioStep, loadCallerScript } from '../../appliance/caller-script.js';
import { checkFlowForConfig } from '../../appliance/flow-config-check.js';
import { type SimulationResult, simulateCall } from '../../appliance/simulate-call.js';
import { loadConfig } from '../../config/load-config.js';
import { loadFlow } from '../../ivr/parse-flow.js';
import { isDtmfDigit } from '../../line/line-port.js';
import type { CallerStep } from '../../line/simulated/simulated-caller.js';
import { createLogger } from '../../shared/logger.js';
import { flowSpecInEffect } from '../../web/flows/flow-file-store.js';
import { BadArgumentError, EXIT_OK, out, reportError } from '../cli-io.js';

interface SimulateFlags {
  flow?: string;
  caller?: string;
  hangupAfter?: string;
  at?: string;
  script?: string;
  bargeIn?: boolean;
  answer: boolean;
  json?: boolean;
}

/** A step as typed on the command line; recordings are read once the command runs. */
type StepSpec = CallerStep | { kind: 'audio-file'; path: string };

export function registerSimulateCommand(program: Command): void {
  // Step options may repeat and interleave; their order on the command line is the caller's.
  const specs: StepSpec[] = [];
  program
    .command('simulate')
    .description('place one call on the simulated line and print what happened')
    .option(
      '--flow <file>',
      'IVR flow file (default: the flow the appliance runs: the one saved on the web page, else call.flow)',
    )
    .option('--caller <number>', 'caller ID number (default: withheld)')
    .option(
      '--dtmf <digits>',
      'keys the caller presses at the next menu; repeat for later menus',
      (digits: string) => {
        const bad = [...digits].find((d) => !isDtmfDigit(d.toUpperCase()));
        if (digits === '') throw new InvalidArgumentError('needs at least one key');
        if (bad !== undefined)
          throw new InvalidArgumentError(`"${bad}" is not a key; use 0-9, *, #, A-D`);
        specs.push({ kind: 'dtmf', digits: digits.toUpperCase() });
      },
    )
    .option(
      '--say <text>',
      'what the caller says at the next menu, as if recognised; repeatable',
      (text: string) => {
        if (text.trim() === '') throw new InvalidArgumentError('needs some words');
        specs.push({ kind: 'say', text });
      },
    )
    .option(
      '--audio <file.wav>',
      'a recording the caller sends at the next menu (keys in it are detected); repeatable',
      (path: string) => {
        specs.push({ kind: 'audio-file', path });
      },
    )
    .option('--silent', 'the caller says nothing at the next menu; repeatable', () => {
      specs.push({ kind: 'silence' });
    })
    .option('--hangup', 'the caller hangs up at the next menu', () => {
      specs.push({ kind: 'hangup' });
    })
    .option(
      '--script <file.yaml>',
      'a caller script: caller, time, and steps (press, say, audio, silence, hangup)',
    )
    .option('--hangup-after <seconds>', 'the caller hangs up this long after the answer')
    .option('--barge-in', 'the caller acts while menu prompts are still playing')
    .option('--no-answer', 'nobody picks up when the call is transferred')
    .option(
      '--at <time>',
      'when the call happens (ISO 8601, e.g. 2026-12-24T19:30+01:00), for business hours',
    )
    .option('--json', 'print one JSON object instead of a readable timeline')
    .action(async (flags: SimulateFlags) => {
      try {
        const { config } = loadConfig(program.opts<{ config?: string }>().config);
        const parsed = loadFlow(flags.flow ?? flowSpecInEffect(config.call.flow, config.dataDir));
        checkFlowForConfig(parsed, config);
        const { flow } = parsed;
        if (flags.script && specs.length > 0) {
          throw new BadArgumentError(
            'use either --script or step options (--dtmf, --say, --audio, --silent, --hangup), not both',
          );
        }
        const script = flags.script ? await loadCallerScript(flags.script) : null;
        const steps = script
          ? script.steps
          : await Promise.all(
              specs.map((spec) => (spec.kind === 'audio-file' ? audioStep(spec.path) : spec)),
            );
        const hangupAfterMs = parseSeconds(flags.hangupAfter) ?? script?.hangupAfterMs;
        const atMs = parseTime(flags.at) ?? script?.atMs;
        const logger = createLogger(
          flags.json ? 'warn' : config.log.level === 'info' ? 'warn' : config.log.level,
        );
        const store = createCallStore(config);
        // Simulated calls are not reported over MQTT (see createStatusSink).
        const status = await createStatusSink(config, logger, null);
        await store.start();
        await status.start();
        try {
          const result = await simulateCall(
            config,
            {
              flow,
              callerNumber: flags.caller ?? script?.callerNumber ?? null,
              steps,
              ...(hangupAfterMs !== undefined ? { hangupAfterMs } : {}),
              personAnswers: flags.answer && (script?.personAnswers ?? true),
              ...(atMs !== undefined ? { atMs } : {}),
              ...(flags.bargeIn || script?.bargeIn ? { bargeIn: true } : {}),
              ...(script?.thinkMs !== undefined ? { thinkMs: script.thinkMs } : {}),
            },
            { store, status, logger },
          );
          if (flags.json) out(JSON.stringify(result));
          else printTimeline(result);
        } finally {
          await status.stop();
          await store.stop();
        }
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}

function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new BadArgumentError(`--hangup-after "${value}" is not a number of seconds`);
  return seconds * 1000;
}

function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new BadArgumentError(
      `--at "${value}" is not a date and time; use ISO 8601 like 2026-12-24T19:30+01:00`,
    );
  return ms;
}

function printTimeline(r: SimulationResult): void {
  const caller = r.caller.hint
    ? `caller ending in ${r.caller.hint}`
    : `caller ID ${r.caller.withheld ?? 'unavailable'}`;
  out(`call ${r.callId} (${caller})`);
  for (const entry of r.timeline) {
    const at = `${(entry.atMs / 1000).toFixed(1).padStart(6)}s`;
    const d = entry.detail;
    switch (entry.kind) {
      case 'prompt':
        out(
          `${at}  says  [${String(d.id)}] ${String(d.text)}${d.outcome === 'completed' ? '' : ` (${String(d.outcome)})`}`,
        );
        break;
      case 'input':
        out(
          `${at}  hears ${d.kind === 'dtmf' ? `key ${String(d.value)}` : `"${String(d.value)}"`}`,
        );
        break;
      case 'choice':
        out(`${at}  menu  ${String(d.node)} -> ${String(d.option)} (${String(d.via)})`);
        break;
      case 'route':
        out(`${at}  route ${String(d.route)}`);
        break;
    }
  }
  out(
    `route: ${r.route}${r.topic ? ` (${r.topic}${r.callbackWindow ? `, ${r.callbackWindow}` : ''})` : ''}; ended: ${r.endReason}; duration ${(r.durationMs / 1000).toFixed(1)} s${r.saved ? '' : '; NOT SAVED'}`,
  );
}
