import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { checkFlowForConfig } from '../../src/appliance/flow-config-check.js';
import { renderTone } from '../../src/audio/tone-generator.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { FlowInvalidError } from '../../src/ivr/flow-errors.js';
import { parseFlowText } from '../../src/ivr/parse-flow.js';
import { NumberSealer } from '../../src/privacy/number-sealer.js';
import { silentLogger } from '../../src/shared/logger.js';
import { VirtualClock } from '../../src/shared/virtual-clock.js';
import { PurgeJob } from '../../src/storage/purge-job.js';
import { MemoryVoicemailStore } from '../../src/storage/simulated/memory-voicemail-store.js';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { SqliteVoicemailStore } from '../../src/storage/sqlite/sqlite-voicemail-store.js';
import { runSimulatedCall } from '../helpers/simulated-call.js';

const flowText = (disclosure: string) => `version: 1
name: vm
language: en
disclosure: ${disclosure}
start: menu
person: desk
nodes:
  menu:
    type: menu
    prompt: Press 1 to leave a message.
    options:
      message: { dtmf: "1", next: leave }
  leave:
    type: voicemail
    prompt: After the beep, leave your message. It is kept encrypted for 14 days. Press hash when done.
    maxSeconds: 20
    next: bye
  desk: { type: transfer, target: reception, onNoAnswer: leave }
  bye: { type: hangup, prompt: Goodbye. }
`;
const flow = parseFlowText(
  flowText('Automated assistant. Messages you leave are kept for 14 days.'),
  'vm.yaml',
);
// Three seconds of a voice-like tone as the caller's message.
const message = renderTone({ components: [{ hz: 440, dbm0: -15 }] }, 3000);

t.test(
  'a message is recorded after the prompt and the beep, until the caller hangs up',
  async (t) => {
    const store = new MemoryVoicemailStore();
    const { record, prompts } = await runSimulatedCall(
      {
        steps: [
          { kind: 'dtmf', digits: '1' },
          { kind: 'audio', samples: message },
          { kind: 'hangup' },
        ],
      },
      { flow: flow.flow, emergencyNotice: null, voicemail: store },
    );
    t.equal(record.route, 'voicemail');
    t.ok(
      prompts.includes('leave:completed') && prompts.includes('voicemail-beep:completed'),
      'prompt, then beep',
    );
    t.equal(store.messages.length, 1);
    const kept = store.messages[0]!;
    t.ok(kept.durationMs >= 3000, `the whole message was kept (${kept.durationMs} ms)`);
  },
);

t.test('voicemail off: the node records nothing and the call goes on', async (t) => {
  const { record } = await runSimulatedCall(
    {
      steps: [
        { kind: 'dtmf', digits: '1' },
        { kind: 'audio', samples: message },
      ],
    },
    { flow: flow.flow, emergencyNotice: null, voicemail: null },
  );
  t.equal(record.route, 'hangup');
});

t.test('a flow with voicemail is refused when the config has voicemail off', async (t) => {
  t.throws(() => checkFlowForConfig(flow, parseConfigText('', 'x')), FlowInvalidError);
  t.doesNotThrow(() =>
    checkFlowForConfig(flow, parseConfigText('call: { voicemail: { enabled: true } }', 'x')),
  );
});

t.test(
  'a disclosure that says nothing is recorded cannot sit in a flow with voicemail',
  async (t) => {
    t.throws(
      () => parseFlowText(flowText('Automated assistant. Nothing you say is recorded.'), 'vm.yaml'),
      {
        message: /disclosure: says nothing is recorded, but node "leave" records voicemail/,
      },
    );
  },
);

t.test(
  'stored messages are sealed on disk, readable back, and purged when they expire',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-vm-'));
    const db = new SqliteDatabase(join(dir, 'linekeeper.db'));
    await db.start();
    t.teardown(() => db.stop());
    const sealer = new NumberSealer(Buffer.alloc(32, 7), 'linekeeper voicemail v1');
    const store = new SqliteVoicemailStore({
      db,
      sealer,
      dir: join(dir, 'voicemail'),
      retentionMs: 14 * 86_400_000,
    });
    const now = Date.parse('2026-11-24T10:00:00Z');
    const saved = await store.save({
      callId: 'c1',
      caller: { hash: 'h'.repeat(32), hint: '42', withheld: null },
      samples: message,
      createdAtMs: now,
    });
    const files = readdirSync(join(dir, 'voicemail'));
    t.same(files, [`${saved.id}.vm`]);
    const bytes = readFileSync(join(dir, 'voicemail', files[0]!));
    t.notOk(bytes.includes(Buffer.from('RIFF')), 'no WAV header in clear: the file is encrypted');
    t.same(Array.from(await store.audio(saved.id)).slice(0, 50), Array.from(message).slice(0, 50));
    t.equal(store.list(now).length, 1);

    const clock = new VirtualClock(now + 15 * 86_400_000);
    const purge = new PurgeJob({
      db,
      policy: {
        calls: 90,
        callEvents: 30,
        callbacks: 7,
        voicemails: 14,
        guardBlocks: 7,
        auditLog: 365,
      },
      clock,
      logger: silentLogger(),
    });
    purge.runOnce(clock.now());
    t.equal(store.list(clock.now()).length, 0, 'expired message gone from the database');
    t.same(readdirSync(join(dir, 'voicemail')), [], 'and its file deleted');
  },
);
