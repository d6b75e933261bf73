import t from 'tap';
import { parseFlowText } from '../../src/ivr/parse-flow.js';
import { VirtualClock } from '../../src/shared/virtual-clock.js';
import { runSimulatedCall } from '../helpers/simulated-call.js';

t.test(
  'key 0 reaches reception: disclosure first, then the emergency notice, then the menu',
  async (t) => {
    const { record, prompts } = await runSimulatedCall({ steps: [{ kind: 'dtmf', digits: '0' }] });
    t.equal(record.route, 'transfer:reception');
    t.equal(record.endReason, 'transferred');
    t.same(prompts.slice(0, 3), [
      'disclosure:completed',
      'emergency-notice:completed',
      'main-menu:completed',
    ]);
    t.same(
      record.choices.map((c) => [c.node, c.option, c.via]),
      [['main-menu', 'person', 'dtmf']],
    );
  },
);

t.test('the emergency notice is configurable and can be switched off', async (t) => {
  const { prompts } = await runSimulatedCall(
    { steps: [{ kind: 'dtmf', digits: '0' }] },
    { emergencyNotice: null },
  );
  t.same(prompts.slice(0, 2), ['disclosure:completed', 'main-menu:completed']);
});

t.test('1 then 1 books an appointment callback and says goodbye', async (t) => {
  const { record, prompts } = await runSimulatedCall({
    steps: [
      { kind: 'dtmf', digits: '1' },
      { kind: 'dtmf', digits: '1' },
    ],
  });
  t.equal(record.route, 'callback');
  t.equal(record.topic, 'appointments');
  t.equal(record.endReason, 'appliance-hangup');
  t.equal(prompts.at(-1), 'goodbye:completed');
});

t.test('speech selects options, and "reception" works in any menu', async (t) => {
  const spoken = await runSimulatedCall({
    steps: [{ kind: 'say', text: 'my prescription please' }],
  });
  t.equal(spoken.record.route, 'callback');
  t.equal(spoken.record.topic, 'prescriptions');
  t.equal(spoken.record.choices[0]!.via, 'speech');

  const person = await runSimulatedCall({
    steps: [
      { kind: 'say', text: 'appointments' },
      { kind: 'say', text: 'can I talk to reception' },
    ],
  });
  t.equal(person.record.route, 'transfer:reception');
  t.same(
    person.record.choices.map((c) => c.option),
    ['appointments', 'person'],
  );
});

t.test('with speech off, spoken words are not heard and keys still work', async (t) => {
  const { record } = await runSimulatedCall(
    {
      steps: [
        { kind: 'say', text: 'appointments' },
        { kind: 'dtmf', digits: '3' },
      ],
    },
    { speech: false },
  );
  t.equal(record.route, 'info');
  t.equal(record.topic, 'opening-hours');
});

t.test(
  'silence: the menu is retried with a no-input apology, then a person is offered',
  async (t) => {
    const { record, prompts, events } = await runSimulatedCall({ steps: [] });
    t.equal(record.route, 'transfer:reception');
    t.same(
      prompts.filter((p) => p.startsWith('main-menu')),
      [
        'main-menu:completed',
        'main-menu:retry:completed',
        'main-menu:completed',
        'main-menu:retry:completed',
        'main-menu:completed',
      ],
    );
    const apology = events.find(
      (e) =>
        e.name === 'prompt-played' &&
        (e.payload as { promptId: string }).promptId === 'main-menu:retry',
    );
    t.match((apology!.payload as { text: string }).text, /did not hear/);
    t.same(
      record.choices.map((c) => [c.option, c.via]),
      [['person', 'default']],
    );
  },
);

t.test('a wrong key gets a no-match apology and a retry', async (t) => {
  const { record, events } = await runSimulatedCall({
    steps: [
      { kind: 'dtmf', digits: '9' },
      { kind: 'dtmf', digits: '3' },
    ],
  });
  t.equal(record.route, 'info');
  const texts = events
    .filter((e) => e.name === 'prompt-played')
    .map((e) => (e.payload as { text: string }).text);
  t.ok(texts.some((text) => /did not understand/.test(text)));
});

t.test('unrecognised speech counts as a miss, not as silence', async (t) => {
  const { events } = await runSimulatedCall({
    steps: [
      { kind: 'say', text: 'banana smoothie' },
      { kind: 'dtmf', digits: '3' },
    ],
  });
  const texts = events
    .filter((e) => e.name === 'prompt-played')
    .map((e) => (e.payload as { text: string }).text);
  t.ok(texts.some((text) => /did not understand/.test(text)));
});

t.test('type-ahead: "1" and "1" pressed together skip the next menu prompt', async (t) => {
  const { record, prompts } = await runSimulatedCall({ steps: [{ kind: 'dtmf', digits: '11' }] });
  t.equal(record.route, 'callback');
  t.equal(record.topic, 'appointments');
  t.notOk(prompts.includes('appointments-menu:completed'), 'the second menu was not read out');
});

t.test('barge-in: a key pressed during a menu prompt stops it', async (t) => {
  const flow = parseFlowText(
    `version: 1
name: t
language: en
disclosure: Automated assistant.
start: first
person: desk
nodes:
  first:
    type: menu
    prompt: Short menu.
    options:
      more: { dtmf: "1", next: second }
  second:
    type: menu
    prompt: ${'This is a very long menu prompt that goes on and on. '.repeat(6)}
    options:
      hours: { dtmf: "2", next: bye }
  desk: { type: transfer, target: reception, onNoAnswer: bye }
  bye: { type: hangup }
`,
    'inline',
  ).flow;
  const { record, prompts } = await runSimulatedCall(
    { steps: [{ kind: 'dtmf', digits: '1' }], thinkMs: 500 },
    { flow, emergencyNotice: null },
  );
  t.equal(record.choices[0]!.option, 'more');
  t.ok(
    prompts.includes('second:completed'),
    'the long prompt played in full when nobody interrupted',
  );

  const interrupted = await runSimulatedCall(
    {
      steps: [
        { kind: 'dtmf', digits: '1' },
        { kind: 'dtmf', digits: '2' },
      ],
      thinkMs: 500,
      bargeIn: true,
    },
    { flow, emergencyNotice: null },
  );
  t.same(
    interrupted.record.choices.map((c) => c.option),
    ['more', 'hours'],
  );
  t.same(
    interrupted.prompts.slice(1, 3),
    ['first:interrupted', 'second:interrupted'],
    'both menu prompts were cut short',
  );
  const long = interrupted.line.played.find((p) => p.prompt.id === 'second')!;
  t.ok(
    long.endedAtMs - long.startedAtMs < 1000,
    'the long prompt stopped within the caller reaction time',
  );
});

t.test('the disclosure cannot be skipped: keys pressed during it wait for the menu', async (t) => {
  const { record, prompts } = await runSimulatedCall({
    steps: [{ kind: 'dtmf', digits: '0' }],
    hangupAfterMs: undefined,
  });
  t.equal(prompts[0], 'disclosure:completed');
  t.equal(record.route, 'transfer:reception');
});

t.test(
  'a caller who hangs up mid-menu leaves an abandoned record and no hang-up by us',
  async (t) => {
    const { record, line } = await runSimulatedCall({ steps: [], hangupAfterMs: 15_000 });
    t.equal(record.route, 'abandoned');
    t.equal(record.endReason, 'caller-hangup');
    t.ok(
      record.durationMs >= 15_000 && record.durationMs < 16_000,
      `duration ${record.durationMs}`,
    );
    t.equal(line.state(), 'idle');
    t.equal(
      line.played.at(-1)!.outcome,
      'hangup',
      'the prompt in progress stopped when the caller left',
    );
  },
);

t.test('nobody answers at reception: the caller is offered a callback instead', async (t) => {
  const { record } = await runSimulatedCall({
    steps: [{ kind: 'dtmf', digits: '0' }],
    personAnswers: false,
  });
  t.equal(record.route, 'callback');
  t.equal(record.topic, 'reception');
});

t.test('the maximum call length ends the call politely', async (t) => {
  const { record, prompts } = await runSimulatedCall({ steps: [] }, { maxCallMs: 20_000 });
  t.equal(record.endReason, 'max-duration');
  t.equal(prompts.at(-1), 'max-duration:completed');
  t.ok(record.durationMs < 40_000);
});

t.test('"*" repeats the menu without counting as a mistake', async (t) => {
  const { record, prompts } = await runSimulatedCall({
    steps: [
      { kind: 'dtmf', digits: '*' },
      { kind: 'dtmf', digits: '3' },
    ],
  });
  t.equal(record.route, 'info');
  t.equal(prompts.filter((p) => p === 'main-menu:completed').length, 2);
  t.notOk(prompts.some((p) => p.includes('retry')));
});

t.test('events carry the call id and no raw number', async (t) => {
  const { events } = await runSimulatedCall({ steps: [{ kind: 'dtmf', digits: '0' }] });
  t.same(
    [...new Set(events.map((e) => e.name))],
    ['call-started', 'prompt-played', 'input-received', 'menu-choice', 'routed', 'call-ended'],
  );
  for (const e of events)
    t.equal(
      (e.payload as { callId?: string; record?: { id: string } }).callId ??
        (e.payload as { record: { id: string } }).record.id,
      'test-call',
    );
});

/** A virtual clock whose wall time (now) can be stepped, as NTP steps a real one. */
class SteppedWallClock extends VirtualClock {
  offsetMs = 0;
  override now(): number {
    return super.now() + this.offsetMs;
  }
}

t.test('a wall clock stepped mid-call changes neither the duration nor event times', async (t) => {
  const script = { steps: [{ kind: 'dtmf' as const, digits: '0' }] };
  const startMs = Date.UTC(2026, 10, 24, 9, 0);
  const steady = await runSimulatedCall(script, { clock: new SteppedWallClock(startMs) });
  for (const stepMs of [-3_600_000, 3_600_000]) {
    const clock = new SteppedWallClock(startMs);
    let stepped = false;
    const jumped = await runSimulatedCall(script, {
      clock,
      // Step right after the disclosure: the rest of the call runs on the new wall time.
      onEvent: (name) => {
        if (name === 'prompt-played' && !stepped) {
          stepped = true;
          clock.offsetMs = stepMs;
        }
      },
    });
    const label = stepMs < 0 ? 'back an hour' : 'forward an hour';
    t.ok(stepped, `the clock was stepped ${label} during the call`);
    t.equal(jumped.record.route, steady.record.route, `${label}: same route`);
    t.equal(jumped.record.durationMs, steady.record.durationMs, `${label}: same duration`);
    t.ok(jumped.record.durationMs > 0, `${label}: positive duration`);
    t.equal(
      jumped.record.startedAt.getTime(),
      steady.record.startedAt.getTime(),
      `${label}: start is the wall time at the answer`,
    );
    t.equal(
      jumped.record.endedAt.getTime() - jumped.record.startedAt.getTime(),
      jumped.record.durationMs,
      `${label}: end is start plus duration`,
    );
    t.same(
      jumped.record.choices.map((c) => c.atMs),
      steady.record.choices.map((c) => c.atMs),
      `${label}: choice times count from the answer as before`,
    );
  }
});
