import type { Command } from 'commander';
import { readWavFile } from '../../audio/wav-file.js';
import { wavTo8kMono } from '../../audio/wav-to-8k.js';
import { decodeCallerIdAudio } from '../../callerid/decode-caller-id-audio.js';
import { type FskStandardName, isFskStandardName } from '../../callerid/fsk-standards.js';
import { LinekeeperError } from '../../shared/errors.js';
import { BadArgumentError, EXIT_BAD_INPUT } from '../cli-io.js';

/** The decoded caller ID of a WAV file as one JSON-ready object; throws when none decodes. */
export async function callerIdInWavFile(
  path: string,
  standard: FskStandardName | 'auto' = 'auto',
): Promise<Record<string, unknown>> {
  const samples = wavTo8kMono(await readWavFile(path));
  const { messages, errors } = decodeCallerIdAudio(samples, standard);
  const first = messages[0];
  if (!first) {
    const why = errors[0]
      ? `${errors[0].error.code}: ${errors[0].error.message}`
      : `no ${standard === 'auto' ? 'Bell 202 or V.23' : standard} FSK caller-ID signal found (it is sent on hook, between the first and second ring or just before the first)`;
    throw new LinekeeperError('CALLER_ID_NOT_FOUND', `${path}: ${why}`);
  }
  const { message } = first;
  return {
    standard: first.standard,
    format: message.format,
    ...(message.dateTime ? { dateTime: message.dateTime } : {}),
    ...(message.number !== undefined ? { number: message.number } : {}),
    ...(message.numberAbsence ? { numberAbsence: message.numberAbsence } : {}),
    ...(message.name !== undefined ? { name: message.name } : {}),
    ...(message.nameAbsence ? { nameAbsence: message.nameAbsence } : {}),
    ...(message.calledNumber !== undefined ? { calledNumber: message.calledNumber } : {}),
    ...(message.otherParameters ? { otherParameters: message.otherParameters } : {}),
    ...(message.warnings ? { warnings: message.warnings } : {}),
    atMs: Math.round(first.startSample / 8),
    quality: Math.round(first.quality * 100) / 100,
    ...(messages.length > 1 ? { moreMessages: messages.length - 1 } : {}),
  };
}

/** `linekeeper callerid FILE.wav`: prints the decoded fields as JSON; exit 2 when none decode. */
export function registerCallerIdCommand(program: Command): void {
  program
    .command('callerid')
    .description('decode FSK caller ID (Bell 202 or V.23, SDMF or MDMF) in a WAV file; prints JSON')
    .argument('<file>', 'WAV file of line audio: PCM, mu-law or A-law, any rate, mono or stereo')
    .option('--standard <name>', 'bell202, v23 or auto', 'auto')
    .action(async (file: string, opts: { standard: string }) => {
      try {
        if (opts.standard !== 'auto' && !isFskStandardName(opts.standard))
          throw new BadArgumentError(`--standard ${opts.standard}: use bell202, v23 or auto`);
        const fields = await callerIdInWavFile(file, opts.standard as FskStandardName | 'auto');
        process.stdout.write(`${JSON.stringify(fields)}\n`);
      } catch (error) {
        const text =
          error instanceof LinekeeperError ? `${error.code}: ${error.message}` : String(error);
        process.stderr.write(`linekeeper callerid: ${text}\n`);
        process.exitCode = EXIT_BAD_INPUT;
      }
    });
}
