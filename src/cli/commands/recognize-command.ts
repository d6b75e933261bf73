import type { Command } from 'commander';
import { toMono } from '../../audio/wav.js';
import { readWavFile } from '../../audio/wav-file.js';
import { phrasesFor } from '../../ivr/localized.js';
import { loadFlow } from '../../ivr/parse-flow.js';
import { classifyUtterance, type MenuIntents } from '../../speech/intents/intent-classifier.js';
import { transcribeSamples } from '../../speech/vosk/file-transcriber.js';
import { VoskRecognizer } from '../../speech/vosk/vosk-recognizer.js';
import { BadArgumentError, EXIT_FAILURE, EXIT_OK, err, out, reportError } from '../cli-io.js';

interface RecognizeOptions {
  model: string;
  flow?: string;
  menu?: string;
  phrases?: string;
  language?: string;
  libvosk?: string;
  json?: boolean;
}

/** The menu the files are answers to: a flow's menu node, a phrase list, or none (digits etc.). */
function menuFrom(o: RecognizeOptions): MenuIntents & { phrases: string[] } {
  if (o.flow || o.menu) {
    if (!o.flow || !o.menu) throw new BadArgumentError('--flow and --menu go together');
    if (o.phrases) throw new BadArgumentError('give either --flow/--menu or --phrases, not both');
    const { flow } = loadFlow(o.flow);
    const node = flow.nodes[o.menu];
    if (node?.type !== 'menu') {
      const menus = Object.entries(flow.nodes)
        .filter(([, n]) => n.type === 'menu')
        .map(([id]) => id);
      throw new BadArgumentError(
        `${o.flow} has no menu "${o.menu}"; its menus are: ${menus.join(', ') || 'none'}`,
      );
    }
    const language = o.language ?? flow.language;
    const options = Object.entries(node.options).map(([name, opt]) => ({
      name,
      phrases: phrasesFor(opt.speech, language, flow.language),
    }));
    return { language, options, phrases: options.flatMap((x) => x.phrases) };
  }
  const phrases = (o.phrases ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return {
    language: o.language ?? 'en',
    options: phrases.map((p) => ({ name: p, phrases: [p] })),
    phrases,
  };
}

export function registerRecognizeCommand(program: Command): void {
  program
    .command('recognize')
    .description(
      'run WAV files through the offline speech path (resample, voice-activity gate, Vosk) and print text, intent, confidence and latency',
    )
    .requiredOption('--model <dir>', 'Vosk model directory (see scripts/fetch-model)')
    .option('--flow <file>', 'flow whose menu the recordings answer (with --menu)')
    .option('--menu <id>', 'menu node id in --flow')
    .option('--phrases <list>', 'comma-separated phrases, each its own intent')
    .option('--language <tag>', "the model's language (default: the flow's, else en)")
    .option('--libvosk <path>', 'libvosk.so (default: LINEKEEPER_LIBVOSK or the vendored copy)')
    .option('--json', 'one JSON object per file')
    .argument('<files...>', 'WAV files (any rate; telephone audio is 8 kHz)')
    .action(async (files: string[], o: RecognizeOptions) => {
      let recognizer: VoskRecognizer | null = null;
      try {
        const menu = menuFrom(o);
        recognizer = new VoskRecognizer({
          modelPath: o.model,
          language: menu.language,
          libraryPath: o.libvosk ?? null,
          onWarning: (message) => err(`warning: ${message}`),
        });
        await recognizer.start();
        let failures = 0;
        for (const file of files) {
          try {
            const wav = await readWavFile(file);
            const transcript = await transcribeSamples(
              recognizer,
              toMono(wav),
              wav.sampleRate,
              menu.phrases,
            );
            const last = transcript.utterances.at(-1);
            const text = transcript.utterances
              .map((u) => u.text)
              .filter((x) => x !== '')
              .join(' ');
            const confidence = last?.confidence ?? 0;
            const intent = classifyUtterance(text, confidence, menu);
            const row = {
              file,
              text,
              intent:
                intent.kind === 'option' || intent.kind === 'digits'
                  ? `${intent.kind}:${intent.value}`
                  : intent.kind,
              action: intent.action,
              confidence: Number(confidence.toFixed(3)),
              latencyMs:
                transcript.endToResultMs === null ? null : Math.round(transcript.endToResultMs),
              audioMs: Math.round(transcript.audioMs),
            };
            if (o.json) out(JSON.stringify(row));
            else
              out(
                `${file}: "${row.text}" intent=${row.intent} (${row.action}) confidence=${row.confidence} latency=${row.latencyMs ?? '-'} ms`,
              );
          } catch (error) {
            failures++;
            reportError(error);
          }
        }
        process.exitCode = failures > 0 ? EXIT_FAILURE : EXIT_OK;
      } catch (error) {
        process.exitCode = reportError(error);
      } finally {
        await recognizer?.stop();
      }
    });
}
