import t from 'tap';
import { findRawNumber } from '../../../src/status/mqtt/raw-number-guard.js';

t.test('finds numbers in the shapes people and exchanges write them', async (t) => {
  for (const number of [
    '+44 20 7946 0958',
    '020 7946 0958',
    '02079460958',
    '(020) 7946-0958',
    '+1 (555) 010-0199',
    '555.010.0199',
    '5550100',
    'tel:+15550100199',
    '0049/30/1234567',
    'call back on 0171 2345678 please',
  ]) {
    t.ok(findRawNumber({ detail: number }), number);
  }
});

t.test('says where the number is, and why', async (t) => {
  t.same(
    findRawNumber({ record: { choices: [{ option: 'ok' }, { option: 'ring 07700 900123' }] } }),
    {
      path: 'record.choices[1].option',
      reason: 'contains a 11-digit run that looks like a phone number',
    },
  );
  t.same(findRawNumber('5550100'), {
    path: '(value)',
    reason: 'contains a 7-digit run that looks like a phone number',
  });
});

t.test('fields named as numbers are refused whatever they hold', async (t) => {
  t.match(findRawNumber({ caller: { callerNumber: 'withheld' } }), { path: 'caller.callerNumber' });
  t.match(findRawNumber({ phone: 'x' }), { path: 'phone' });
  t.equal(findRawNumber({ phone: null, number: '' }), null, 'empty ones are fine');
});

t.test('leaves alone what only looks numeric', async (t) => {
  const clean = {
    hash: '9f2c4e1ab7d3508c6e2f9a1b4c7d0e3f',
    digitHeavyHash: '1234567ab7654321c9876543d1234567',
    longHexRun: '12345678901234567890123456789012',
    uuid: '12345678-1234-4234-8234-123456789012',
    callId: 'call-1712345678901',
    hint: '58',
    at: '2025-03-01T09:30:00.000Z',
    date: '2025-03-01',
    time: '09:30:15',
    version: '2.0.11',
    broker: 'connected to 192.168.100.200:1883',
    device: '/dev/ttyACM0',
    route: 'transfer:reception',
    prompt: 'press 1 for appointments, 2 for results',
    durationMs: 123456789,
    atMs: 1712345678901,
    when: new Date(),
  };
  t.equal(findRawNumber(clean), null);
});
