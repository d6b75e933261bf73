import type { Command } from 'commander';
import {
  CallProgressDetector,
  type CallProgressEvent,
} from '../../audio/call-progress-detector.js';
import { COUNTRIES, type Country } from '../../audio/call-progress-presets.js';
import { readWavFile } from '../../audio/wav-file.js';
import { wavTo8kMono } from '../../audio/wav-to-8k.js';
import { LinekeeperError } from '../../shared/errors.js';

/** Call-progress events in a WAV file for one country's tone plan. */
export async function tonesInWavFile(path: string, country: Country): Promise<CallProgressEvent[]> {
  const samples = wavTo8kMono(await readWavFile(path));
  const detector = new CallProgressDetector(country);
  const events: CallProgressEvent[] = [];
  for (let at = 0; at < samples.length; at += 160) {
    detector.process(samples.subarray(at, at + 160), (e) => events.push(e));
  }
  return events;
}

/** `linekeeper tones FILE.wav --country de`: one JSON object per detected tone, per line. */
export function registerTonesCommand(program: Command): void {
  program
    .command('tones')
    .description(
      'print call-progress tones (dial, busy, reorder, ringback) in a WAV file as JSON lines',
    )
    .argument('<file>', 'WAV file, any sample rate')
    .option('--country <code>', `tone plan: ${COUNTRIES.join(', ')}`, 'eu')
    .action(async (file: string, options: { country: string }) => {
      try {
        const country = options.country.toLowerCase();
        if (!(COUNTRIES as readonly string[]).includes(country)) {
          throw new LinekeeperError(
            'TONES_COUNTRY',
            `unknown country '${options.country}': use one of ${COUNTRIES.join(', ')}`,
          );
        }
        for (const e of await tonesInWavFile(file, country as Country))
          process.stdout.write(`${JSON.stringify(e)}\n`);
      } catch (error) {
        const text =
          error instanceof LinekeeperError ? `${error.code}: ${error.message}` : String(error);
        process.stderr.write(`linekeeper tones: ${text}\n`);
        process.exitCode = 2;
      }
    });
}
