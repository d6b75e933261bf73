import t from 'tap';
import { toWireEvent, toWireStatus } from '../../../src/status/mqtt/wire-payloads.js';
import { callRecord, status } from './sink-fixtures.js';

const now = new Date('2025-03-01T10:00:00.000Z');

t.test('fields not on the allow-list never reach the wire', async (t) => {
  const leaky = {
    ...status(),
    secretDebug: 'x',
    line: { kind: 'modem', state: 'idle', rawNumber: '1' },
  };
  const wire = toWireStatus(leaky as never);
  t.notOk('secretDebug' in wire);
  t.same(wire.line, { kind: 'modem', state: 'idle' });
  const record = { ...callRecord('c-9'), callerNumber: '+15550100199' };
  const ended = toWireEvent('call-ended', { record } as never, 3, now);
  t.notMatch(JSON.stringify(ended), /callerNumber|5550100199/);
});

t.test('event envelope and shapes', async (t) => {
  t.same(toWireEvent('routed', { callId: 'c-1', route: 'callback', atMs: 12 }, 7, now), {
    event: 'routed',
    seq: 7,
    sentAt: '2025-03-01T10:00:00.000Z',
    callId: 'c-1',
    route: 'callback',
    atMs: 12,
  });
  t.same(
    toWireEvent(
      'input-received',
      { callId: 'c-1', kind: 'dtmf', value: '0207946', atMs: 5 },
      1,
      now,
    ),
    {
      event: 'input-received',
      seq: 1,
      sentAt: '2025-03-01T10:00:00.000Z',
      callId: 'c-1',
      kind: 'dtmf',
      atMs: 5,
    },
  );
  const ended = toWireEvent('call-ended', { record: callRecord('c-2') }, 2, now);
  t.match(ended, {
    callId: 'c-2',
    record: {
      id: 'c-2',
      startedAt: '2025-03-01T09:30:00.000Z',
      caller: { hash: /^[0-9a-f]+$/, hint: '58', withheld: null },
      topic: null,
      choices: [{ node: 'main-menu', option: 'appointments', via: 'dtmf', atMs: 4200 }],
    },
  });
  const bad = toWireEvent(
    'call-started',
    { callId: 'c', caller: { hash: null, hint: null, withheld: 'private' }, at: new Date('x') },
    1,
    now,
  );
  t.equal(bad.at, 'invalid-date', 'a broken Date does not throw inside a call');
});
