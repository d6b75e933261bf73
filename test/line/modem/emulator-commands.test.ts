import t from 'tap';
import { decodeCallerIdMessage, hexToBytes } from '../../../src/line/modem/caller-id-message.js';
import { callerIdLines, mdmfHex } from '../../../src/line/modem/emulator/caller-id-format.js';
import { splitAtCommands } from '../../../src/line/modem/emulator/emulator-commands.js';

t.test('AT command lines split like a V.250 modem', async (t) => {
  t.same(splitAtCommands('ATE0V1Q0'), ['E0', 'V1', 'Q0']);
  t.same(splitAtCommands('at+fclass=8;+vcid=1'), ['+FCLASS=8', '+VCID=1']);
  t.same(splitAtCommands('ATS0=0&D2I3'), ['S0=0', '&D2', 'I3']);
  t.same(splitAtCommands('AT+VTS=!,2,1'), ['+VTS=!,2,1']);
  t.same(splitAtCommands('AT'), ['']);
  t.equal(splitAtCommands('hello'), undefined);
});

t.test('caller-ID formatting per modem family', async (t) => {
  const cid = { date: '0321', time: '1405', number: '5551234', name: 'ANN' };
  t.same(callerIdLines(cid, 'spaced'), [
    'DATE = 0321',
    'TIME = 1405',
    'NMBR = 5551234',
    'NAME = ANN',
  ]);
  t.same(callerIdLines({ withheld: 'P' }, 'compact'), ['NMBR=P']);
  t.same(decodeCallerIdMessage(hexToBytes(mdmfHex(cid))!), {
    ok: true,
    fields: { date: '0321', time: '1405', number: '5551234', name: 'ANN' },
  });
});
