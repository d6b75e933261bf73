import t from 'tap';
import { AtParser } from '../../../src/line/modem/at-parser.js';
import { CallerIdAssembler, parseCallerIdLine } from '../../../src/line/modem/caller-id.js';
import { decodeCallerIdMessage, hexToBytes } from '../../../src/line/modem/caller-id-message.js';
import { mdmfHex } from '../../../src/line/modem/emulator/caller-id-format.js';
import { loadTranscript } from './helpers/transcripts.js';

const at = new Date('2026-03-21T14:05:00Z');

function assemble(lines: string[]) {
  const assembler = new CallerIdAssembler();
  for (const line of lines) {
    const parsed = parseCallerIdLine(line);
    if (parsed.kind === 'field') assembler.add(parsed.fields);
  }
  return assembler.take(at);
}

t.test('USR style, spaces around =, all four fields', async (t) => {
  t.same(assemble(['DATE = 0321', 'TIME = 1405', 'NMBR = 5551234567', 'NAME = JOHN DOE']), {
    receivedAt: at,
    number: '5551234567',
    name: 'JOHN DOE',
  });
});

t.test('Conexant style, no spaces, missing DATE and NAME', async (t) => {
  t.same(assemble(['TIME=0930', 'NMBR=0123456789']), { receivedAt: at, number: '0123456789' });
});

t.test('withheld and unavailable numbers', async (t) => {
  t.same(assemble(['NMBR = P']), { receivedAt: at, withheld: 'private' });
  t.same(assemble(['NMBR=O', 'NAME=O']), { receivedAt: at, withheld: 'unavailable' });
  t.same(assemble(['NMBR = PRIVATE', 'NAME = P']), { receivedAt: at, withheld: 'private' });
  t.same(
    assemble(['DATE = 0321', 'TIME = 1405']),
    { receivedAt: at, withheld: 'unavailable' },
    'no NMBR line',
  );
});

t.test('numbers keep digits and + * # only', async (t) => {
  t.same(assemble(['NMBR = +44 (20) 7946-0958']), { receivedAt: at, number: '+442079460958' });
  t.same(assemble(['DDN_NMBR= 5550100']), { receivedAt: at, number: '5550100' });
});

t.test('nothing gathered gives undefined, and take() clears', async (t) => {
  const assembler = new CallerIdAssembler();
  t.equal(assembler.take(at), undefined);
  assembler.add({ number: '1' });
  t.ok(assembler.take(at));
  t.equal(assembler.take(at), undefined);
});

t.test('unformatted MDMF in hex, with and without spaces, checksum checked', async (t) => {
  const hex = mdmfHex({ date: '0321', time: '1405', number: '5551234567', name: 'JOHN DOE' });
  t.same(assemble([`MESG = ${hex}`]), { receivedAt: at, number: '5551234567', name: 'JOHN DOE' });
  const spaced = hex.replace(/(..)/g, '$1 ').trim();
  t.same(assemble([`MESG=${spaced}`]), { receivedAt: at, number: '5551234567', name: 'JOHN DOE' });
  const withheld = mdmfHex({ withheld: 'P' });
  t.same(assemble([`MESG = ${withheld}`]), { receivedAt: at, withheld: 'private' });
  const corrupted = `${hex.slice(0, 10)}${hex[10] === '0' ? '1' : '0'}${hex.slice(11)}`;
  t.same(parseCallerIdLine(`MESG = ${corrupted}`), {
    kind: 'invalid',
    reason: 'checksum mismatch (line noise during caller ID)',
  });
  const noChecksum = hex.slice(0, -2);
  t.same(assemble([`MESG = ${noChecksum}`]), {
    receivedAt: at,
    number: '5551234567',
    name: 'JOHN DOE',
  });
  t.same(parseCallerIdLine('MESG = 80ZZ'), { kind: 'invalid', reason: 'MESG is not hexadecimal' });
});

t.test('SDMF and malformed messages', async (t) => {
  const sdmf = [0x04, 0x12, ...Buffer.from('03211405'), ...Buffer.from('5551234567')];
  const sum = sdmf.reduce((a, b) => (a + b) & 0xff, 0);
  const bytes = Uint8Array.from([...sdmf, (0x100 - sum) & 0xff]);
  t.same(decodeCallerIdMessage(bytes), {
    ok: true,
    fields: { date: '0321', time: '1405', number: '5551234567' },
  });
  t.same(decodeCallerIdMessage(Uint8Array.of(0x80)), {
    ok: false,
    reason: 'message shorter than its header',
  });
  t.match(decodeCallerIdMessage(Uint8Array.of(0x80, 9, 1)), { ok: false, reason: /says 9 bytes/ });
  t.match(decodeCallerIdMessage(Uint8Array.of(0x80, 3, 2, 9, 0x31)), {
    ok: false,
    reason: /runs past/,
  });
  t.match(decodeCallerIdMessage(Uint8Array.of(0x33, 0)), {
    ok: false,
    reason: /unknown message type/,
  });
  t.equal(hexToBytes('abc'), undefined);
});

t.test('fixture: withheld, out of area and hex calls in one transcript', async (t) => {
  const lines = new AtParser()
    .parse(loadTranscript('withheld-and-hex.at'))
    .flatMap((x) => (x.kind === 'line' ? [x.text] : []));
  const calls: unknown[] = [];
  const assembler = new CallerIdAssembler();
  for (const line of lines) {
    if (line === 'RING') {
      const cid = assembler.take(at);
      if (cid) calls.push(cid);
      continue;
    }
    const parsed = parseCallerIdLine(line);
    if (parsed.kind === 'field') assembler.add(parsed.fields);
  }
  const last = assembler.take(at);
  if (last) calls.push(last);
  t.same(calls, [
    { receivedAt: at, withheld: 'private' },
    { receivedAt: at, withheld: 'unavailable' },
    { receivedAt: at, number: '5551234567' },
  ]);
});

t.test('lines that are not caller ID are left alone', async (t) => {
  for (const line of ['RING', 'OK', 'NMBR', 'NUMBER = 5', ''])
    t.same(parseCallerIdLine(line), { kind: 'other' });
  t.same(
    parseCallerIdLine('DATE = 21st March'),
    { kind: 'field', fields: {} },
    'bad date ignored, not fatal',
  );
});
