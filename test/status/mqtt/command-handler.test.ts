import t from 'tap';
import { LinekeeperError } from '../../../src/shared/errors.js';
import {
  CommandHandler,
  MAX_COMMAND_BYTES,
  MAX_PENDING_COMMANDS,
} from '../../../src/status/mqtt/command-handler.js';
import { COMMAND_NAMES } from '../../../src/status/mqtt/mqtt-options.js';
import { auditLog, captureLogger, RecordingCommands } from './sink-fixtures.js';

function handler(timeoutMs = 1000) {
  const commands = new RecordingCommands();
  const audit = auditLog();
  const log = captureLogger();
  const h = new CommandHandler({
    commands,
    audit: audit.audit,
    allowed: new Set(COMMAND_NAMES),
    timeoutMs,
    logger: log.logger,
    now: () => new Date('2025-03-01T10:00:00.000Z'),
  });
  return { h, commands, audit, log };
}
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

t.test('a valid command runs and its result is reported and audited', async (t) => {
  const { h, commands, audit } = handler();
  const r = await h.handle('front-desk', json({ force: true, requestId: 'ha.42' }), false);
  t.same(r, {
    command: 'front-desk',
    requestId: 'ha.42',
    ok: true,
    result: 'line on front desk',
    at: '2025-03-01T10:00:00.000Z',
  });
  t.same(commands.calls, ['forceFrontDesk:true']);
  t.same(audit.entries, [
    {
      actor: 'mqtt',
      action: 'command:front-desk',
      detail: 'force=true: line on front desk',
      ok: true,
    },
  ]);
});

t.test('schema errors are listed together, in words, with the requestId echoed', async (t) => {
  const { h, commands } = handler();
  const r = await h.handle('front-desk', json({ force: 'yes', extra: 1, requestId: 'r1' }), false);
  t.equal(r.requestId, 'r1');
  t.same(r.error, {
    code: 'MQTT_COMMAND_INVALID',
    message: 'payload: unknown field "extra"; force: must be a boolean',
  });
  const missing = await h.handle('mode', json({}), false);
  t.equal(missing.error?.message, 'payload: missing field "mode"');
  const array = await h.handle('reload-flow', json([]), false);
  t.equal(array.error?.message, 'payload: must be a object');
  const badId = await h.handle('reload-flow', json({ requestId: 'has space' }), false);
  t.match(badId, {
    requestId: undefined,
    error: { message: 'requestId: must be 1-64 letters, digits or _ . : -' },
  });
  t.same(commands.calls, []);
});

t.test('oversized payloads are refused before parsing', async (t) => {
  const { h } = handler();
  const r = await h.handle('mode', Buffer.alloc(MAX_COMMAND_BYTES + 1, 0x20), false);
  t.match(r.error, { code: 'MQTT_COMMAND_MALFORMED', message: /1025 bytes/ });
});

t.test('odd command names are echoed printable and short', async (t) => {
  const { h, audit } = handler();
  const r = await h.handle(`x\u0000${'y'.repeat(100)}`, json({}), false);
  t.equal(r.command, `x?${'y'.repeat(62)}…`);
  t.equal(audit.entries[0]?.action, `command:x?${'y'.repeat(62)}…`);
});

t.test('an appliance error becomes MQTT_COMMAND_FAILED carrying its code', async (t) => {
  const { h, commands, audit } = handler();
  commands.failWith = new LinekeeperError('FLOW_INVALID', 'flow.yaml:3: unknown node "mian-menu"');
  const r = await h.handle('reload-flow', json({}), false);
  t.same(r.error, {
    code: 'MQTT_COMMAND_FAILED',
    message: 'command "reload-flow" failed: flow.yaml:3: unknown node "mian-menu"',
    causeCode: 'FLOW_INVALID',
  });
  t.match(audit.entries[0], { ok: false, detail: /^refused \(MQTT_COMMAND_FAILED\)/ });
});

t.test('a hung command times out, and the next command still runs', async (t) => {
  const { h, commands } = handler(50);
  commands.hang = true;
  const r = await h.handle('mode', json({ mode: 'night' }), false);
  t.match(r.error, { code: 'MQTT_COMMAND_TIMEOUT', message: /did not finish within 50 ms/ });
  commands.hang = false;
  const next = await h.handle('mode', json({ mode: 'day' }), false);
  t.equal(next.ok, true);
  t.same(commands.calls, ['setMode:night', 'setMode:day']);
});

t.test('commands run one at a time; a flood beyond the limit is refused as busy', async (t) => {
  const { h, commands } = handler(200);
  commands.hang = true;
  const all = Array.from({ length: MAX_PENDING_COMMANDS + 2 }, () =>
    h.handle('mode', json({ mode: 'night' }), false),
  );
  const results = await Promise.all(all);
  const codes = results.map((r) => r.error?.code);
  t.same(codes.filter((c) => c === 'MQTT_COMMAND_BUSY').length, 2);
  t.equal(commands.calls.length, MAX_PENDING_COMMANDS, 'busy ones never reached the appliance');
});

t.test('an audit callback that throws does not lose the result', async (t) => {
  const log = captureLogger();
  const h = new CommandHandler({
    commands: new RecordingCommands(),
    audit: () => {
      throw new Error('disk full');
    },
    allowed: new Set(COMMAND_NAMES),
    timeoutMs: 1000,
    logger: log.logger,
  });
  const r = await h.handle('mode', json({ mode: 'day' }), false);
  t.equal(r.ok, true);
  t.ok(log.lines().some((l) => l.msg === 'audit callback threw'));
});
