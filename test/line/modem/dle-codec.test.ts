import t from 'tap';
import {
  DLE,
  DleDecoder,
  type DleToken,
  dleControl,
  dleEscape,
  ETX,
  SUB,
} from '../../../src/line/modem/dle-codec.js';

function decodeAll(chunks: Uint8Array[]): { tokens: DleToken[]; consumed: number[] } {
  const decoder = new DleDecoder();
  const tokens: DleToken[] = [];
  const consumed = chunks.map((chunk) => decoder.push(chunk, tokens));
  return { tokens, consumed };
}

function audioOf(tokens: DleToken[]): number[] {
  return tokens.flatMap((token) => (token.kind === 'audio' ? [...token.bytes] : []));
}

t.test('escaping doubles every DLE and nothing else', async (t) => {
  t.same([...dleEscape(Uint8Array.of(1, DLE, 2, DLE, DLE))], [1, DLE, DLE, 2, DLE, DLE, DLE, DLE]);
  const plain = Uint8Array.of(1, 2, 3);
  t.equal(dleEscape(plain), plain, 'no copy when there is no DLE');
  t.same([...dleControl(ETX)], [DLE, ETX]);
  t.same([...dleControl('!')], [DLE, 0x21]);
});

t.test('every byte value survives escape then decode', async (t) => {
  const all = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
  const { tokens } = decodeAll([dleEscape(all)]);
  t.same(audioOf(tokens), [...all]);
  t.notOk(tokens.some((token) => token.kind !== 'audio'));
});

t.test('events, SUB and end of data', async (t) => {
  const stream = Uint8Array.of(0x80, DLE, 0x35, DLE, SUB, 0x81, DLE, 0x62, DLE, ETX, 0x4f, 0x4b);
  const { tokens, consumed } = decodeAll([stream]);
  t.same(tokens, [
    { kind: 'audio', bytes: Uint8Array.of(0x80) },
    { kind: 'event', code: '5' },
    { kind: 'audio', bytes: Uint8Array.of(DLE, DLE, 0x81) },
    { kind: 'event', code: 'b' },
    { kind: 'end-of-data' },
  ]);
  t.equal(consumed[0], 10, 'stops right after <DLE><ETX> so the rest is parsed as commands');
});

t.test('a DLE split from its partner across chunks decodes the same', async (t) => {
  const stream = Uint8Array.of(1, DLE, DLE, 2, DLE, 0x37, 3, DLE, SUB, 4);
  const whole = audioOf(decodeAll([stream]).tokens);
  for (let cut = 0; cut <= stream.length; cut++) {
    const { tokens } = decodeAll([stream.subarray(0, cut), stream.subarray(cut)]);
    t.same(audioOf(tokens), whole, `cut at ${cut}`);
    t.same(
      tokens.filter((x) => x.kind === 'event'),
      [{ kind: 'event', code: '7' }],
      `event kept at cut ${cut}`,
    );
  }
});
