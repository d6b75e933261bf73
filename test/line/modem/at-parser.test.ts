import t from 'tap';
import { AtParser, MAX_LINE_LENGTH, type ModemToken } from '../../../src/line/modem/at-parser.js';
import { loadTranscript, transcriptBytes } from './helpers/transcripts.js';

/** Parses with the parser armed for voice data after the Nth CONNECT, like the driver does. */
function parse(chunks: Uint8Array[]): ModemToken[] {
  const parser = new AtParser();
  parser.expectVoiceData();
  const out: ModemToken[] = [];
  for (const chunk of chunks) parser.parse(chunk, out);
  return normalise(out);
}

/** Audio token boundaries depend on chunking; merge adjacent audio so streams compare. */
function normalise(tokens: ModemToken[]): ModemToken[] {
  const merged: ModemToken[] = [];
  for (const token of tokens) {
    const last = merged[merged.length - 1];
    if (token.kind === 'audio' && last?.kind === 'audio') {
      merged[merged.length - 1] = {
        kind: 'audio',
        bytes: Uint8Array.from([...last.bytes, ...token.bytes]),
      };
    } else {
      merged.push(token);
    }
  }
  return merged;
}

t.test('USR transcript: lines, voice data, events, back to commands', async (t) => {
  const tokens = parse([loadTranscript('usr-5637-incoming-call.at')]);
  t.same(tokens, [
    { kind: 'line', text: 'RING' },
    { kind: 'line', text: 'DATE = 0321' },
    { kind: 'line', text: 'TIME = 1405' },
    { kind: 'line', text: 'NMBR = 5551234567' },
    { kind: 'line', text: 'NAME = JOHN DOE' },
    { kind: 'line', text: 'RING' },
    { kind: 'line', text: 'OK' },
    { kind: 'line', text: 'CONNECT' },
    { kind: 'audio', bytes: Uint8Array.of(0x80, 0x81, 0x7f, 0x10, 0x80) },
    { kind: 'event', code: '5' },
    { kind: 'audio', bytes: Uint8Array.of(0x80, 0x80) },
    { kind: 'event', code: 'b' },
    { kind: 'audio', bytes: Uint8Array.of(0x80) },
    { kind: 'end-of-data' },
    { kind: 'line', text: 'OK' },
  ]);
});

t.test('Conexant transcript: start/stop DTMF, SUB, extension pickup', async (t) => {
  const tokens = parse([loadTranscript('conexant-incoming-call.at')]);
  const events = tokens.filter((x) => x.kind === 'event').map((x) => (x as { code: string }).code);
  t.same(events, ['/', '7', '~', 'P']);
  const audio = tokens
    .filter((x) => x.kind === 'audio')
    .flatMap((x) => [...(x as { bytes: Uint8Array }).bytes]);
  t.same(audio, [0x80, 0x80, 0x80, 0x10, 0x10, 0x80]);
  t.same(tokens[tokens.length - 1], { kind: 'line', text: 'OK' });
});

t.test('splitting any transcript at every position gives the same tokens', async (t) => {
  for (const name of [
    'usr-5637-incoming-call.at',
    'conexant-incoming-call.at',
    'withheld-and-hex.at',
    'garbage.at',
  ]) {
    const bytes = loadTranscript(name);
    const whole = parse([bytes]);
    let mismatches = 0;
    for (let cut = 0; cut <= bytes.length; cut++) {
      const split = parse([bytes.subarray(0, cut), bytes.subarray(cut)]);
      if (JSON.stringify(split) !== JSON.stringify(whole)) mismatches++;
    }
    const single = parse([...bytes].map((b) => Uint8Array.of(b)));
    t.equal(mismatches, 0, `${name}: two-chunk splits`);
    t.same(single, whole, `${name}: one byte at a time`);
  }
});

t.test('garbage is dropped and the real result codes still come through', async (t) => {
  const tokens = parse([loadTranscript('garbage.at')]);
  const lines = tokens.filter((x) => x.kind === 'line').map((x) => (x as { text: string }).text);
  t.same(
    lines,
    ['OK', '[2J', 'RING', 'RING'],
    'noise bytes vanish inside lines; RI<xff>NG is still RING',
  );
  t.notOk(
    tokens.some((x) => x.kind === 'audio'),
    'no audio in command mode',
  );
});

t.test('an endless line is cut at the limit instead of growing', async (t) => {
  const parser = new AtParser();
  const tokens = parser.parse(Buffer.alloc(MAX_LINE_LENGTH * 3 + 10, 0x41));
  t.equal(tokens.length, 3);
  t.ok(
    tokens.every(
      (x) => x.kind === 'line' && x.truncated === true && x.text.length === MAX_LINE_LENGTH,
    ),
  );
});

t.test(
  'CONNECT switches to voice data only when armed, and the LF after it is framing',
  async (t) => {
    const bytes = transcriptBytes('<CR><LF>CONNECT<CR><LF><LF><x80><DLE><ETX><CR><LF>OK<CR><LF>');
    const unarmed = new AtParser().parse(bytes);
    t.same(unarmed, [
      { kind: 'line', text: 'CONNECT' },
      { kind: 'line', text: 'OK' },
    ]);
    const parser = new AtParser();
    parser.expectVoiceData();
    t.same(normalise(parser.parse(bytes)), [
      { kind: 'line', text: 'CONNECT' },
      { kind: 'audio', bytes: Uint8Array.of(0x0a, 0x80) },
      { kind: 'end-of-data' },
      { kind: 'line', text: 'OK' },
    ]);
    t.equal(parser.mode, 'command');
  },
);

t.test('commandMode() abandons a voice stream the modem never closed', async (t) => {
  const parser = new AtParser();
  parser.expectVoiceData();
  parser.parse(transcriptBytes('CONNECT<CR><LF><x80><x80><DLE>'));
  t.equal(parser.mode, 'voice-data');
  parser.commandMode();
  t.same(parser.parse(transcriptBytes('OK<CR>')), [{ kind: 'line', text: 'OK' }]);
});

t.test('works as a stream Transform', async (t) => {
  const parser = new AtParser();
  const seen: ModemToken[] = [];
  parser.on('data', (token: ModemToken) => seen.push(token));
  parser.write(transcriptBytes('<CR><LF>RI'));
  parser.write(transcriptBytes('NG<CR><LF><DLE>R'));
  parser.end();
  await new Promise((resolve) => parser.on('end', resolve));
  t.same(seen, [
    { kind: 'line', text: 'RING' },
    { kind: 'event', code: 'R' },
  ]);
});
