import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isProfileName, PROFILE_NAMES } from '../../line/modem/modem-profiles.js';
import { replayCapture } from '../../line/modem/modem-replay.js';
import { BadArgumentError, out, reportError } from '../cli-io.js';

/** `linekeeper modem-replay FILE`: what the driver makes of bytes captured from a modem. */
export function registerModemReplayCommand(program: Command): void {
  program
    .command('modem-replay')
    .description(
      'feed a raw modem capture through the driver parsers and print events as JSON lines',
    )
    .argument('<file>', 'raw bytes as the modem sent them (line.modem.capturePath writes these)')
    .option('--profile <name>', `modem profile: ${PROFILE_NAMES.join(', ')}`, 'conexant')
    .option('--show-numbers', 'print caller numbers in full (they are personal data)')
    .action(async (file: string, opts: { profile: string; showNumbers?: boolean }) => {
      try {
        if (!isProfileName(opts.profile)) {
          throw new BadArgumentError(
            `unknown profile "${opts.profile}"; use one of ${PROFILE_NAMES.join(', ')}`,
          );
        }
        const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
          throw new BadArgumentError(`cannot read ${file}: ${error.code ?? error.message}`);
        });
        const events = replayCapture(bytes, {
          profile: opts.profile,
          showNumbers: opts.showNumbers === true,
        });
        for (const event of events) out(JSON.stringify(event));
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
