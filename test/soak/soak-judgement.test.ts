import t from 'tap';
import { botOutcome } from '../../src/soak/bot-burst.js';
import { judge } from '../../src/soak/call-verdict.js';
import type { FaultRecord } from '../../src/soak/fault-injector.js';
import { FlowEditor, staleFlowCalls } from '../../src/soak/flow-editor.js';
import type { CallResult } from '../../src/soak/place-call.js';
import { RecentCalls } from '../../src/soak/recent-calls.js';
import { flatness } from '../../src/soak/soak-report.js';
import type { CallView } from '../../src/web/call-view.js';

const view = (route: string): CallView => ({
  id: 'c1',
  startedAt: new Date(0).toISOString(),
  durationSeconds: 3,
  caller: '…07',
  route,
  topic: null,
  endReason: 'appliance-hangup',
  choices: [],
});

t.test('bot calls are told apart by record and the stages the status showed', async (t) => {
  const none = new Set<string>();
  t.equal(botOutcome(null, none), 'not-answered');
  t.equal(botOutcome(view('abandoned'), none), 'hung-up');
  t.equal(botOutcome(view('transfer:reception'), none), 'admitted');
  t.equal(botOutcome(view('refused:challenge'), new Set(['guard-challenge'])), 'challenge-failed');
  t.equal(botOutcome(view('abandoned'), new Set(['guard-challenge'])), 'challenge-failed');
  t.equal(botOutcome(view('refused:blocked'), none), 'refused');
  t.equal(botOutcome(view('refused:caller-limit'), none), 'refused');
  t.equal(
    botOutcome(view('callback'), new Set(['guard-challenge', 'guard-challenge:passed'])),
    'passed-challenge',
  );
  t.equal(
    botOutcome(view('info'), new Set(['guard-challenge'])),
    'passed-challenge',
    'a challenged bot that reached a route got past the challenge',
  );
});

const call = (route: string, extra: Partial<CallResult> = {}): CallResult => ({
  index: 0,
  plan: {
    script: 'key-callback',
    number: '0301234000107',
    repeat: false,
    actAfterMs: 500,
    extensionBusy: false,
  },
  expected: ['callback'],
  ringAt: 1000,
  answeredAt: 3000,
  endedAt: 9000,
  frontDesk: false,
  record: view(route),
  ...extra,
});
const fault = (kind: FaultRecord['kind']): FaultRecord => ({
  kind,
  injectedAt: 2000,
  failSafeAt: null,
  clearedAt: 4000,
  recoveredAt: 5000,
});

t.test('a clock jump excuses nothing; a modem fault excuses a cut call', async (t) => {
  t.equal(judge(call('hangup'), [fault('clock-jump')]).verdict, 'misrouted');
  t.equal(judge(call('hangup'), [fault('modem-unplug')]).verdict, 'recorded');
  t.equal(judge(call('callback'), [fault('clock-jump')]).verdict, 'routed');
  t.equal(
    judge(call('refused:challenge', { challenged: true }), []).verdict,
    'challenged',
    'a new caller stopped at the challenge is not a misroute',
  );
  t.equal(judge(call('callback', { record: null }), []).verdict, 'lost');
});

t.test('RSS flatness is measured per process after its warm-up', async (t) => {
  const timeline = [
    ...Array.from({ length: 30 }, (_, k) => ({ atS: k * 10, pid: 1, rssKb: 100_000 + k * 10 })),
    { atS: 300, pid: 2, rssKb: 50_000 },
  ];
  const [first, ...rest] = flatness(timeline);
  t.same(rest, [], 'a process that did not outlive its warm-up says nothing');
  t.equal(first?.pid, 1);
  t.equal(first?.minKb, 100_120, 'samples from the first two minutes are left out');
  t.equal(first?.maxKb, 100_290);
});

t.test('a call is checked against the flow versions that may have been in effect', async (t) => {
  // soak until 100; a save of e1 sent at 100, acknowledged at 110; a save of e2 sent at 200
  // whose answer never came (a kill), settled as e2 by the editor at 300.
  const segments = [
    { from: 0, names: new Set(['soak']) },
    { from: 100, names: new Set(['soak', 'soak-e1']) },
    { from: 110, names: new Set(['soak-e1']) },
    { from: 200, names: new Set(['soak-e1', 'soak-e2']) },
    { from: 300, names: new Set(['soak-e2']) },
  ];
  const editor = new FlowEditor({
    url: () => null,
    setupCode: () => null,
    activeFault: () => null,
  });
  editor.segments.splice(0, editor.segments.length, ...segments);
  const flows: Record<string, string> = {
    early: 'soak',
    overlapping: 'soak-e1',
    after: 'soak-e1',
    stale: 'soak',
    unsure: 'soak-e2',
    late: 'soak-e1',
  };
  const at = (index: number, recordId: string, ringAt: number, answeredAt: number | null) => ({
    index,
    recordId,
    ringAt,
    answeredAt,
  });
  const result = staleFlowCalls(
    [
      at(1, 'early', 10, 20),
      at(2, 'overlapping', 95, 105 - 1000),
      at(3, 'after', 150, 160 - 1000),
      at(4, 'stale', 150, 160 - 1000),
      at(5, 'unsure', 210, 220 - 1000),
      at(6, 'late', 5000, 5010 - 1000),
      at(7, 'unanswered', 10, null),
    ],
    editor,
    (id) => flows[id],
  );
  t.equal(result.checked, 6, 'every answered call with a record is checked');
  t.same(
    result.stale.map((c) => [c.index, c.flow]),
    [
      [4, 'soak'],
      [6, 'soak-e1'],
    ],
    'the old flow after an acknowledged save is stale; an unacknowledged save may have taken effect',
  );
});

t.test('calls from one number are counted within the per-caller window', async (t) => {
  // The week run's call 35: one number called nine times in six minutes (the pool of earlier
  // callers was small), and the ninth was refused by the limit, as configured.
  let now = 0;
  const calls = new RecentCalls(15 * 60_000, () => now);
  for (let i = 0; i < 8; i++) {
    t.equal(calls.recent('a'), i);
    calls.add('a');
    now += 20_000;
  }
  t.equal(calls.recent('a'), 8, 'the ninth call is past a limit of 8');
  t.equal(calls.recent('b'), 0);
  now += 15 * 60_000;
  t.equal(calls.recent('a'), 0, 'the window slides');
});
