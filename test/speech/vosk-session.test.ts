import t from 'tap';
import { findFsddDir, loadFsdd } from '../../src/audio/test-signals/fsdd.js';
import { EnergyFrameClassifier } from '../../src/speech/vosk/energy-frame-classifier.js';
import type { DecodedUtterance } from '../../src/speech/vosk/vosk-result.js';
import {
  type UtteranceDecoder,
  VoskRecognitionSession,
} from '../../src/speech/vosk/vosk-session.js';
import { REPO_ROOT } from './support/run-probe.js';

/**
 * A recogniser simulator at the decoder level: it "decodes" by counting the audio it was given,
 * and can play an endpointer that fires after a set amount of audio.
 */
class ScriptedDecoder implements UtteranceDecoder {
  grammars: Array<readonly string[] | null> = [];
  accepted = 0;
  acceptedThisUtterance = 0;
  resets = 0;
  freed = false;
  endpointAfter = Number.POSITIVE_INFINITY;

  async setGrammar(phrases: readonly string[] | null) {
    this.grammars.push(phrases);
  }
  async accept(samples: Int16Array) {
    this.accepted += samples.length;
    this.acceptedThisUtterance += samples.length;
    return this.acceptedThisUtterance >= this.endpointAfter;
  }
  #take(): DecodedUtterance {
    const text = `heard ${this.acceptedThisUtterance}`;
    this.acceptedThisUtterance = 0;
    return { text, words: [], confidence: 0.9 };
  }
  async result() {
    return this.#take();
  }
  async finalResult() {
    return this.#take();
  }
  async reset() {
    this.resets++;
    this.acceptedThisUtterance = 0;
  }
  async free() {
    this.freed = true;
  }
}

const LINE = 8000;
const FRAME = 160; // 20 ms

function session(decoder: ScriptedDecoder) {
  let clock = 0;
  const s = new VoskRecognitionSession(decoder, {
    lineRate: LINE,
    decoderRate: 16000,
    grammarFor: (phrases) => [...phrases, '[unk]'],
    classifier: new EnergyFrameClassifier(),
    gate: { onsetMs: 60, hangoverMs: 300, prerollMs: 200 },
    now: () => clock,
  });
  const feed = (samples: Int16Array) => {
    for (let i = 0; i + FRAME <= samples.length; i += FRAME) {
      clock += 20;
      s.acceptAudio({
        samples: samples.subarray(i, i + FRAME),
        sampleRate: LINE,
        timestampMs: clock,
      });
    }
  };
  /** As on a real line: each frame arrives after the previous one was decoded. */
  const feedPaced = async (samples: Int16Array) => {
    for (let i = 0; i + FRAME <= samples.length; i += FRAME) {
      feed(samples.subarray(i, i + FRAME));
      await s.idle();
    }
  };
  return { s, feed, feedPaced, now: () => clock };
}

/** Quiet line noise (about -60 dBFS) so the energy detector has a floor. */
function noise(ms: number, seed = 1): Int16Array {
  const out = new Int16Array((ms / 1000) * LINE);
  let x = seed;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = ((x / 0x7fffffff) * 2 - 1) * 30;
  }
  return out;
}

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const fsddDir = findFsddDir(REPO_ROOT);
const digits = fsddDir ? loadFsdd(fsddDir, 20) : [];
const skipAudio = fsddDir ? false : 'spoken-digit recordings (shared/data/fsdd-dev) not found';

t.test('nothing is decoded while no menu listens', async (t) => {
  const decoder = new ScriptedDecoder();
  const { s, feed } = session(decoder);
  feed(concat(noise(300), digits[0]?.samples ?? noise(500, 7).map((v) => v * 300), noise(500)));
  await s.idle();
  t.equal(decoder.accepted, 0);
  t.same(decoder.grammars, []);
});

t.test(
  'a spoken digit: barge-in at onset, resampled audio, one final result',
  { skip: skipAudio },
  async (t) => {
    for (const clip of digits.slice(0, 10)) {
      const decoder = new ScriptedDecoder();
      const { s, feed, now } = session(decoder);
      const starts: number[] = [];
      const results: Array<{ text: string; final: boolean }> = [];
      const reasons: string[] = [];
      s.activity.on('speech-start', ({ atMs }) => starts.push(atMs));
      s.activity.on('utterance', (u) => reasons.push(u.reason));
      s.events.on('result', (r) => results.push(r));
      s.setGrammar(['appointments', 'prescriptions']);
      t.same(
        decoder.grammars.at(-1),
        ['appointments', 'prescriptions', '[unk]'],
        'grammar built from phrases',
      );

      const lead = noise(600);
      feed(lead);
      const speechFrom = now();
      feed(concat(clip.samples, noise(800, 3)));
      await s.idle();

      t.equal(starts.length, 1, `${clip.name}: one speech start`);
      t.ok(
        starts[0]! >= speechFrom && starts[0]! <= speechFrom + 300,
        `${clip.name}: barge-in within 300 ms of speech`,
      );
      t.equal(results.length, 1, `${clip.name}: one result`);
      t.equal(results[0]?.final, true);
      t.same(reasons, ['vad'], 'ended by the VAD (this decoder has no endpointer)');
      // Resampled to 16 kHz: at least the clip's own length, doubled; the lead-in silence is not fed.
      const fed = Number(results[0]?.text.split(' ')[1]);
      t.ok(
        fed >= clip.samples.length * 2 * 0.6,
        `${clip.name}: decoder got the speech at 16 kHz (${fed})`,
      );
      t.ok(
        fed < (clip.samples.length + lead.length) * 2,
        `${clip.name}: but not the leading silence`,
      );
    }
  },
);

t.test(
  'the endpointer ends the utterance first when it fires first',
  { skip: skipAudio },
  async (t) => {
    const decoder = new ScriptedDecoder();
    decoder.endpointAfter = 3200; // 200 ms at 16 kHz
    const { s, feedPaced } = session(decoder);
    const reasons: string[] = [];
    s.activity.on('utterance', (u) => reasons.push(u.reason));
    s.setGrammar(['yes']);
    const longest = [...digits].sort((a, b) => b.samples.length - a.samples.length)[0]!;
    await feedPaced(concat(noise(500), longest.samples, noise(800)));
    await s.idle();
    t.same(reasons, ['endpointer'], 'one utterance, closed by the endpointer');
    t.ok(decoder.resets >= 1, 'the tail after the endpointer was dropped, then the decoder reset');
  },
);

t.test('changing menu mid-utterance drops the old utterance', { skip: skipAudio }, async (t) => {
  const decoder = new ScriptedDecoder();
  const { s, feed } = session(decoder);
  const results: string[] = [];
  s.events.on('result', (r) => results.push(r.text));
  s.setGrammar(['one']);
  const clip = digits[1]!.samples;
  feed(concat(noise(500), clip.subarray(0, Math.floor(clip.length / 2))));
  s.setGrammar(null);
  feed(concat(clip.subarray(Math.floor(clip.length / 2)), noise(800)));
  await s.idle();
  t.same(results, [], 'no result from an abandoned menu');
  t.ok(decoder.resets >= 1);
});

t.test('silence and line noise alone decode nothing', async (t) => {
  const decoder = new ScriptedDecoder();
  const { s, feed } = session(decoder);
  s.setGrammar(['yes']);
  feed(noise(3000, 11));
  await s.idle();
  t.equal(decoder.accepted, 0);
});

t.test('audio at the wrong line rate is a typed error event, not a crash', async (t) => {
  const decoder = new ScriptedDecoder();
  const { s } = session(decoder);
  const errors: string[] = [];
  s.events.on('error', (e) => errors.push(e.message));
  s.setGrammar(['yes']);
  s.acceptAudio({ samples: new Int16Array(320), sampleRate: 16000, timestampMs: 0 });
  t.equal(errors.length, 1);
  t.match(errors[0], /16000 Hz.*8000 Hz/);
  t.equal(decoder.accepted, 0);
});

t.test(
  'flush ends an utterance at end of input; close frees the decoder once',
  { skip: skipAudio },
  async (t) => {
    const decoder = new ScriptedDecoder();
    const { s, feed } = session(decoder);
    const reasons: string[] = [];
    s.activity.on('utterance', (u) => reasons.push(u.reason));
    s.setGrammar(['two']);
    feed(concat(noise(500), digits[2]!.samples));
    s.flush();
    await s.idle();
    t.same(reasons, ['flush']);
    s.close();
    s.close();
    await s.idle();
    t.equal(decoder.freed, true);
  },
);
