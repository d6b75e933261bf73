import type { Command } from 'commander';
import { type DtmfEvent, DtmfReceiver } from '../../audio/dtmf-receiver.js';
import { readWavFile } from '../../audio/wav-file.js';
import { wavTo8kMono } from '../../audio/wav-to-8k.js';
import { LinekeeperError } from '../../shared/errors.js';

/** Digits heard in a WAV file (any rate, mono or stereo), in order, one per key press. */
export async function digitsInWavFile(path: string): Promise<string> {
  const samples = wavTo8kMono(await readWavFile(path));
  const rx = new DtmfReceiver();
  let digits = '';
  const sink = (e: DtmfEvent) => {
    if (e.kind === 'press') digits += e.digit;
  };
  // 20 ms frames, as the line delivers them, so the CLI exercises the streaming path.
  for (let at = 0; at < samples.length; at += 160) rx.process(samples.subarray(at, at + 160), sink);
  rx.flush(sink);
  return digits;
}

/** `linekeeper dtmf FILE.wav`: prints the digits on one line; errors to stderr, exit code 2. */
export function registerDtmfCommand(program: Command): void {
  program
    .command('dtmf')
    .description('print the DTMF digits heard in a WAV file (one line)')
    .argument('<file>', 'WAV file: PCM, mu-law or A-law, any sample rate, mono or stereo')
    .action(async (file: string) => {
      try {
        process.stdout.write(`${await digitsInWavFile(file)}\n`);
      } catch (error) {
        const text =
          error instanceof LinekeeperError ? `${error.code}: ${error.message}` : String(error);
        process.stderr.write(`linekeeper dtmf: ${text}\n`);
        process.exitCode = 2;
      }
    });
}
