import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LinekeeperError } from '../shared/errors.js';

export interface LabelledFile {
  file: string;
  text: string;
  /** Expected intent as the recognise command prints it (e.g. "digits:4", "option:refill"). */
  intent: string | null;
}

const EN_DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

export class LabelsError extends LinekeeperError {
  constructor(message: string) {
    super('BENCH_LABELS_INVALID', message);
  }
}

/**
 * Reads a labels file: one line per recording, `file<TAB>expected text[<TAB>expected intent]`,
 * `#` comments and blank lines ignored; files are relative to the set's folder.
 */
export function readLabels(setDir: string, labelsFile: string): LabelledFile[] {
  let text: string;
  try {
    text = readFileSync(labelsFile, 'utf8');
  } catch (error) {
    throw new LabelsError(
      `cannot read labels file ${labelsFile} (${(error as NodeJS.ErrnoException).code ?? error}); give --labels FILE or --labels-from-names`,
    );
  }
  const out: LabelledFile[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [file, expected, intent] = raw.split('\t');
    if (!file || expected === undefined) {
      throw new LabelsError(`${labelsFile}:${index + 1}: expected "file<TAB>text[<TAB>intent]"`);
    }
    out.push({
      file: join(setDir, file.trim()),
      text: expected.trim(),
      intent: intent?.trim() || null,
    });
  });
  if (out.length === 0) throw new LabelsError(`${labelsFile} lists no recordings`);
  return out;
}

/**
 * Labels from file names that start with a digit and an underscore ("4_jackson_12.wav"), as in
 * the Free Spoken Digit Dataset; English digit words.
 */
export function labelsFromNames(setDir: string): LabelledFile[] {
  const out = readdirSync(setDir)
    .filter((n) => n.toLowerCase().endsWith('.wav'))
    .sort()
    .flatMap((name) => {
      const digit = /^(\d)_/.exec(basename(name))?.[1];
      return digit === undefined
        ? []
        : [
            {
              file: join(setDir, name),
              text: EN_DIGITS[Number(digit)]!,
              intent: `digits:${digit}`,
            },
          ];
    });
  if (out.length === 0)
    throw new LabelsError(`${setDir} has no WAV files named like "4_speaker_1.wav"`);
  return out;
}
