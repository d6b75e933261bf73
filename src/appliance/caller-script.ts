import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { readWavFile } from '../audio/wav-file.js';
import { wavTo8kMono } from '../audio/wav-to-8k.js';
import type { CallerStep } from '../line/simulated/simulated-caller.js';
import { InvalidInputError, LinekeeperError } from '../shared/errors.js';
import { schemaProblems } from '../shared/schema-problems.js';
import { parseYamlSource } from '../shared/yaml-source.js';

/**
 * A simulated caller written down: who calls, when, and what they do at each menu. Lets a
 * clinic or a tester replay the same call again and again (`linekeeper simulate --script F`).
 *
 *   caller: "+49 30 1234567"      # or omit for a withheld number
 *   at: 2026-11-24T10:00+01:00     # for business hours
 *   steps:
 *     - press: "1"
 *     - say: appointments
 *     - audio: recordings/keys-2.wav
 *     - silence: true
 *     - hangup: true
 */
const Step = Type.Union([
  Type.Object(
    { press: Type.String({ pattern: '^[0-9*#A-Da-d]+$', description: 'keys: 0-9, *, #, A-D' }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      say: Type.String({ minLength: 1 }),
      confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { audio: Type.String({ minLength: 1, description: 'a WAV file' }) },
    { additionalProperties: false },
  ),
  Type.Object({ silence: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object({ hangup: Type.Literal(true) }, { additionalProperties: false }),
]);

const ScriptSchema = Type.Object(
  {
    caller: Type.Optional(Type.String({ minLength: 2 })),
    at: Type.Optional(Type.String({ minLength: 4 })),
    personAnswers: Type.Optional(Type.Boolean()),
    bargeIn: Type.Optional(Type.Boolean()),
    thinkSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 30 })),
    hangupAfterSeconds: Type.Optional(Type.Number({ minimum: 0 })),
    steps: Type.Array(Step),
  },
  { additionalProperties: false },
);

type Script = Static<typeof ScriptSchema>;

const validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile<Script>(
  ScriptSchema,
);

export interface CallerScriptFile {
  callerNumber: string | null;
  atMs?: number;
  personAnswers?: boolean;
  bargeIn?: boolean;
  thinkMs?: number;
  hangupAfterMs?: number;
  steps: CallerStep[];
}

export async function loadCallerScript(file: string): Promise<CallerScriptFile> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new LinekeeperError(
      'BAD_ARGUMENT',
      `cannot read caller script ${file}: ${(error as Error).message}`,
    );
  }
  const source = parseYamlSource(text);
  if (source.syntaxProblems.length > 0)
    throw new InvalidInputError('BAD_ARGUMENT', file, source.syntaxProblems);
  if (!validate(source.value))
    throw new InvalidInputError(
      'BAD_ARGUMENT',
      file,
      schemaProblems(validate.errors ?? [], source, source.value),
    );
  const script = source.value;
  const atMs = script.at === undefined ? undefined : Date.parse(script.at);
  if (atMs !== undefined && Number.isNaN(atMs)) {
    const pos = source.locate(['at']);
    throw new InvalidInputError('BAD_ARGUMENT', file, [
      {
        path: 'at',
        message: `"${script.at}" is not a date and time; use ISO 8601 like 2026-12-24T19:30+01:00`,
        ...(pos ? { line: pos.line, column: pos.column } : {}),
      },
    ]);
  }
  const steps: CallerStep[] = [];
  for (const step of script.steps) {
    if ('press' in step) steps.push({ kind: 'dtmf', digits: step.press.toUpperCase() });
    else if ('say' in step)
      steps.push({
        kind: 'say',
        text: step.say,
        ...(step.confidence !== undefined ? { confidence: step.confidence } : {}),
      });
    else if ('audio' in step) steps.push(await audioStep(resolve(dirname(file), step.audio)));
    else if ('silence' in step) steps.push({ kind: 'silence' });
    else steps.push({ kind: 'hangup' });
  }
  return {
    callerNumber: script.caller ?? null,
    ...(atMs !== undefined ? { atMs } : {}),
    ...(script.personAnswers !== undefined ? { personAnswers: script.personAnswers } : {}),
    ...(script.bargeIn !== undefined ? { bargeIn: script.bargeIn } : {}),
    ...(script.thinkSeconds !== undefined ? { thinkMs: script.thinkSeconds * 1000 } : {}),
    ...(script.hangupAfterSeconds !== undefined
      ? { hangupAfterMs: script.hangupAfterSeconds * 1000 }
      : {}),
    steps,
  };
}

/** A recording as the caller's side of the line: any WAV, converted to 8 kHz mono. */
export async function audioStep(file: string): Promise<CallerStep> {
  return { kind: 'audio', samples: wavTo8kMono(await readWavFile(file)), label: file };
}
