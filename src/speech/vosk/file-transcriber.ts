import type { VoskRecognizer } from './vosk-recognizer.js';
import type { SpeechActivityEvents } from './vosk-session.js';

export type TimedUtterance = SpeechActivityEvents['utterance'];

export interface FileTranscript {
  utterances: TimedUtterance[];
  /** Audio length in ms. */
  audioMs: number;
  /** Wall time spent feeding and decoding the whole file. */
  processingMs: number;
  /**
   * From the moment the last utterance was over (end of audio, the gate's silence or the
   * endpointer) to its text, in ms: the decoder's latency, excluding the gate's hangover.
   */
  endToResultMs: number | null;
}

const FRAME_MS = 20;

/**
 * Feeds a recording through the same session a call uses (gate, resampler, recogniser), frame by
 * frame, waiting for each frame's decoding as a live line would. End of file flushes the last
 * utterance, so the end-to-result time is the decoder's own latency, without the VAD hangover.
 */
export async function transcribeSamples(
  recognizer: VoskRecognizer,
  samples: Int16Array,
  sampleRate: number,
  grammar: readonly string[] | null,
): Promise<FileTranscript> {
  const session = recognizer.createVoskSession({ sampleRate });
  const utterances: TimedUtterance[] = [];
  const errors: string[] = [];
  session.activity.on('utterance', (u) => utterances.push(u));
  session.events.on('error', (e) => errors.push(e.message));
  // No menu phrases: the words every menu understands (digits, yes/no, reception, repeat).
  session.setGrammar(grammar ?? []);
  const frame = Math.round((sampleRate * FRAME_MS) / 1000);
  const started = performance.now();
  try {
    for (let i = 0; i < samples.length; i += frame) {
      session.acceptAudio({
        samples: samples.subarray(i, Math.min(samples.length, i + frame)),
        sampleRate,
        timestampMs: (i / sampleRate) * 1000,
      });
      await session.idle();
    }
    session.flush();
    await session.idle();
    const last = utterances.at(-1);
    if (errors.length > 0) throw new Error(errors.join('; '));
    return {
      utterances,
      audioMs: (samples.length / sampleRate) * 1000,
      processingMs: performance.now() - started,
      endToResultMs: last ? last.resultAt - last.endedAt : null,
    };
  } finally {
    session.close();
  }
}
