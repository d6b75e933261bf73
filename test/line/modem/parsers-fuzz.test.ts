import t from 'tap';
import { AtParser, MAX_LINE_LENGTH, type ModemToken } from '../../../src/line/modem/at-parser.js';
import { parseCallerIdLine } from '../../../src/line/modem/caller-id.js';
import { decodeCallerIdMessage } from '../../../src/line/modem/caller-id-message.js';
import {
  DLE,
  DleDecoder,
  type DleToken,
  dleEscape,
  ETX,
} from '../../../src/line/modem/dle-codec.js';
import { voiceEventOf } from '../../../src/line/modem/voice-events.js';
import { loadTranscript } from './helpers/transcripts.js';

/**
 * Property tests over random and mutated byte streams (a seeded generator, so a failure prints
 * a seed that reproduces it: FUZZ_SEED=<n>). 100,000 streams in total across the properties.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(SEED);
const int = (n: number) => Math.floor(random() * n);

const CORPUS = [
  'usr-5637-incoming-call.at',
  'conexant-incoming-call.at',
  'withheld-and-hex.at',
  'garbage.at',
].map(loadTranscript);

/** Bytes a modem is likely to send, so random streams hit the interesting paths often. */
const INTERESTING = [
  DLE,
  ETX,
  0x1a,
  0x0d,
  0x0a,
  0x00,
  0xff,
  0x80,
  0x21,
  0x2f,
  0x7e,
  0x62,
  0x52,
  0x3d,
  0x20,
];

function randomStream(): Uint8Array {
  const length = int(300);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const r = random();
    bytes[i] =
      r < 0.3 ? INTERESTING[int(INTERESTING.length)]! : r < 0.6 ? 0x20 + int(95) : int(256);
  }
  return bytes;
}

function mutate(source: Uint8Array): Uint8Array {
  const bytes = [...source];
  const edits = 1 + int(8);
  for (let e = 0; e < edits; e++) {
    const at = int(bytes.length + 1);
    switch (int(6)) {
      case 0:
        if (bytes.length > 0) bytes[at % bytes.length] = int(256);
        break;
      case 1:
        bytes.splice(at, 0, DLE);
        break;
      case 2:
        bytes.splice(at, 1 + int(4));
        break;
      case 3:
        bytes.splice(at, 0, ...bytes.slice(int(bytes.length), int(bytes.length) + int(30)));
        break;
      case 4:
        bytes.length = Math.min(bytes.length, at);
        break;
      default:
        bytes.splice(at, 0, INTERESTING[int(INTERESTING.length)]!);
    }
  }
  return Uint8Array.from(bytes);
}

function nextStream(i: number): Uint8Array {
  return i % 2 === 0 ? randomStream() : mutate(CORPUS[int(CORPUS.length)]!);
}

function parseInChunks(bytes: Uint8Array, cuts: number[], armed: boolean): string {
  const parser = new AtParser();
  if (armed) parser.expectVoiceData();
  const tokens: ModemToken[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    parser.parse(bytes.subarray(start, cut), tokens);
    start = cut;
  }
  // Audio boundaries follow chunking; compare audio as one byte string per run.
  const merged: string[] = [];
  let audio = '';
  for (const token of tokens) {
    if (token.kind === 'audio') {
      audio += Buffer.from(token.bytes).toString('hex');
      continue;
    }
    if (audio) merged.push(`A:${audio}`);
    audio = '';
    merged.push(JSON.stringify(token));
  }
  if (audio) merged.push(`A:${audio}`);
  return merged.join('|');
}

t.test(`AtParser: 40,000 streams, total and split-invariant (seed ${SEED})`, async (t) => {
  let failures = 0;
  for (let i = 0; i < 40000; i++) {
    const bytes = nextStream(i);
    const armed = i % 3 !== 0;
    const whole = parseInChunks(bytes, [], armed);
    const a = int(bytes.length + 1);
    const b = a + int(bytes.length - a + 1);
    const split = parseInChunks(bytes, [a, b], armed);
    if (whole !== split && failures++ < 3)
      t.fail(`stream ${i} splits differently at ${a},${b}: ${Buffer.from(bytes).toString('hex')}`);
    const parser = new AtParser();
    if (armed) parser.expectVoiceData();
    for (const token of parser.parse(bytes)) {
      if (token.kind === 'line') {
        if (token.text.length > MAX_LINE_LENGTH || /[^\x20-\x7e]/.test(token.text)) {
          if (failures++ < 3) t.fail(`bad line ${JSON.stringify(token.text)}`);
        }
        parseCallerIdLine(token.text);
      } else if (token.kind === 'event') {
        voiceEventOf(token.code, ['h', 'H', 'P']);
      }
    }
  }
  t.equal(failures, 0);
});

t.test('DLE codec: 30,000 random audio buffers round-trip, split anywhere', async (t) => {
  let failures = 0;
  for (let i = 0; i < 30000; i++) {
    const audio =
      i % 2 === 0
        ? randomStream()
        : Uint8Array.from({ length: int(200) }, () => (random() < 0.2 ? DLE : int(256)));
    const escaped = dleEscape(audio);
    const cut = int(escaped.length + 1);
    const decoder = new DleDecoder();
    const tokens: DleToken[] = [];
    decoder.push(escaped.subarray(0, cut), tokens);
    decoder.push(escaped.subarray(cut), tokens);
    const back = tokens.flatMap((x): (number | string)[] =>
      x.kind === 'audio' ? [...x.bytes] : ['X'],
    );
    if (back.join(',') !== [...audio].join(',') && failures++ < 3) t.fail(`round trip ${i}`);
  }
  t.equal(failures, 0);
});

t.test('caller-ID lines and raw messages: 30,000 random inputs never throw', async (t) => {
  let decoded = 0;
  let badKinds = 0;
  for (let i = 0; i < 30000; i++) {
    const bytes =
      i % 2 === 0
        ? randomStream()
        : mutate(Buffer.from('801601083033323131343035020A35353531323334353637BA', 'hex'));
    if (decodeCallerIdMessage(bytes).ok) decoded++;
    const keys = ['DATE', 'TIME', 'NMBR', 'NAME', 'MESG', 'DDN_NMBR'];
    const key = keys[int(keys.length)]!;
    const value = Buffer.from(bytes).toString(i % 4 === 1 ? 'hex' : 'latin1');
    // The parser sees lines from AtParser: printable, no CR/LF.
    const line = `${key}${random() < 0.5 ? ' = ' : '='}${value}`.replace(/[^\x20-\x7e]/g, '');
    const parsed = parseCallerIdLine(line);
    if (parsed.kind === 'other') badKinds++;
  }
  t.equal(badKinds, 0, 'every KEY=value line is taken as a field or reported invalid');
  t.ok(decoded > 0, `some mutated messages still decode (${decoded})`);
});
