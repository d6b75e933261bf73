import t from 'tap';
import { FlowInvalidError } from '../../src/ivr/flow-errors.js';
import { loadFlow, parseFlowText } from '../../src/ivr/parse-flow.js';
import { runSimulatedCall } from '../helpers/simulated-call.js';

const multi = loadFlow(
  new URL('../../examples/clinic-multilingual.yaml', import.meta.url).pathname,
).flow;
// Tuesday 2026-11-24 10:00 in Berlin (open) and 20:00 (closed).
const OPEN = Date.parse('2026-11-24T10:00:00+01:00');
const CLOSED = Date.parse('2026-11-24T20:00:00+01:00');

const texts = (events: { name: string; payload: unknown }[]) =>
  events.filter((e) => e.name === 'prompt-played').map((e) => (e.payload as { text: string }).text);

t.test('language choice by key switches every later prompt and phrase', async (t) => {
  const { record, events } = await runSimulatedCall(
    {
      steps: [
        { kind: 'dtmf', digits: '2' },
        { kind: 'say', text: 'ein Rezept bitte' },
      ],
    },
    { flow: multi, atMs: OPEN, emergencyNotice: null },
  );
  t.equal(record.language, 'de');
  t.equal(record.route, 'callback');
  t.equal(record.topic, 'prescriptions');
  t.ok(
    texts(events).some((x) => x.startsWith('Für Termine')),
    'the menu was read in German',
  );
  t.equal(texts(events).at(-1), 'Vielen Dank für Ihren Anruf. Auf Wiederhören.');
});

t.test('language choice by saying the language, in that language', async (t) => {
  const { record } = await runSimulatedCall(
    {
      steps: [
        { kind: 'say', text: 'español' },
        { kind: 'say', text: 'una cita' },
      ],
    },
    { flow: multi, atMs: OPEN },
  );
  t.equal(record.language, 'es');
  t.equal(record.topic, 'appointments');
});

t.test('the language question is asked in every language, one after another', async (t) => {
  const { prompts } = await runSimulatedCall(
    { steps: [] },
    { flow: multi, atMs: OPEN, emergencyNotice: null },
  );
  t.same(prompts.slice(1, 4), [
    'choose-language:en:completed',
    'choose-language:de:completed',
    'choose-language:es:completed',
  ]);
  const early = await runSimulatedCall(
    { steps: [{ kind: 'dtmf', digits: '1' }] },
    { flow: multi, atMs: OPEN, emergencyNotice: null },
  );
  t.same(
    early.prompts.slice(1, 3),
    ['choose-language:en:completed', 'choose-language:de:interrupted'],
    'a key stops the round of languages',
  );
  t.equal(early.record.choices[0]!.option, 'en');
});

t.test('no language chosen: the call goes on in the first language', async (t) => {
  const { record } = await runSimulatedCall({ steps: [] }, { flow: multi, atMs: OPEN });
  t.equal(record.language, 'en');
  t.same(record.choices[0], {
    node: 'choose-language',
    option: 'en',
    via: 'default',
    atMs: record.choices[0]!.atMs,
  });
});

t.test(
  'closed hours lead to the closed menu; its silence ends politely, not in a transfer',
  async (t) => {
    const closed = await runSimulatedCall(
      {
        steps: [
          { kind: 'dtmf', digits: '1' },
          { kind: 'dtmf', digits: '1' },
        ],
      },
      { flow: multi, atMs: CLOSED },
    );
    t.equal(closed.record.topic, 'after-hours');
    const silent = await runSimulatedCall(
      { steps: [{ kind: 'dtmf', digits: '1' }] },
      { flow: multi, atMs: CLOSED },
    );
    t.equal(silent.record.route, 'hangup');
  },
);

t.test('collect: an extension typed with # is dialled by hook flash', async (t) => {
  const { record, line } = await runSimulatedCall(
    {
      steps: [
        { kind: 'dtmf', digits: '1' },
        { kind: 'dtmf', digits: '9' },
        { kind: 'dtmf', digits: '37#' },
      ],
    },
    { flow: multi, atMs: OPEN },
  );
  t.equal(record.route, 'transfer:extension');
  t.same(record.choices.at(-1)!.option, 'entered');
  t.notMatch(JSON.stringify(record), /37/, 'the entered digits are not kept in the record');
  t.match(
    line.transfers.at(-1),
    { target: 'extension', method: 'hook-flash', extension: '37' },
    'the line was asked to dial them',
  );
  t.equal(line.state(), 'idle');
});

const collectFlow = (extra = '') =>
  parseFlowText(
    `version: 1
name: c
language: en
disclosure: Automated assistant.
start: ask
person: desk
nodes:
  ask:
    type: collect
    prompt: Enter your four digit code.
    into: code
    minDigits: 4
    maxDigits: 4
    pattern: "[0-9]{3}[13579]"
    next: go
${extra}
  go: { type: transfer, target: code-desk, extension: $code, onNoAnswer: bye }
  desk: { type: transfer, target: reception, onNoAnswer: bye }
  bye: { type: hangup }
`,
    'inline',
  ).flow;

t.test('collect: stops at maxDigits, accepts spoken digits, checks the pattern', async (t) => {
  const keys = await runSimulatedCall(
    { steps: [{ kind: 'dtmf', digits: '1235' }] },
    { flow: collectFlow(), emergencyNotice: null },
  );
  t.equal(keys.record.route, 'transfer:code-desk');
  const spoken = await runSimulatedCall(
    { steps: [{ kind: 'say', text: 'one two three five' }] },
    { flow: collectFlow(), emergencyNotice: null },
  );
  t.equal(spoken.record.route, 'transfer:code-desk');
  const wrong = await runSimulatedCall(
    {
      steps: [
        { kind: 'dtmf', digits: '1234' },
        { kind: 'dtmf', digits: '1237' },
      ],
    },
    { flow: collectFlow(), emergencyNotice: null },
  );
  t.equal(
    wrong.record.route,
    'transfer:code-desk',
    'an even last digit fails the pattern, then a good entry passes',
  );
  t.ok(texts(wrong.events).some((x) => /did not understand/.test(x)));
});

t.test(
  'collect: too short, a pause ends entry; "reception" reaches a person; * starts over',
  async (t) => {
    const short = await runSimulatedCall(
      { steps: [{ kind: 'dtmf', digits: '12' }] },
      { flow: collectFlow(), emergencyNotice: null },
    );
    t.equal(short.record.route, 'transfer:reception', 'after the retries, a person');
    const person = await runSimulatedCall(
      { steps: [{ kind: 'say', text: 'reception please' }] },
      { flow: collectFlow(), emergencyNotice: null },
    );
    t.same(
      person.record.choices.map((c) => c.option),
      ['person'],
    );
    const restart = await runSimulatedCall(
      {
        steps: [
          { kind: 'dtmf', digits: '12*' },
          { kind: 'dtmf', digits: '9999' },
        ],
      },
      { flow: collectFlow(), emergencyNotice: null },
    );
    t.equal(restart.record.route, 'transfer:code-desk');
  },
);

t.test('callback time window: chosen, or "any" when the caller does not choose', async (t) => {
  const chosen = await runSimulatedCall({
    steps: [
      { kind: 'dtmf', digits: '1' },
      { kind: 'dtmf', digits: '1' },
      { kind: 'say', text: 'in the afternoon' },
    ],
  });
  t.equal(chosen.record.callbackWindow, 'afternoon');
  const none = await runSimulatedCall({
    steps: [
      { kind: 'dtmf', digits: '1' },
      { kind: 'dtmf', digits: '1' },
    ],
  });
  t.equal(none.record.route, 'callback');
  t.equal(none.record.callbackWindow, 'any');
});

function problems(text: string) {
  try {
    parseFlowText(text, 'flow.yaml');
  } catch (error) {
    if (error instanceof FlowInvalidError)
      return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

const twoLanguages = (body: string) => `version: 1
name: x
language: en
languages: [en, de]
disclosure: { en: Automated assistant., de: Automatischer Assistent. }
start: lang
person: desk
nodes:
  lang:
    type: language
    prompt: { en: Press 1., de: Drücken Sie 2. }
    options: { en: { dtmf: "1" }, de: { dtmf: "2" } }
    next: desk
  desk: { type: transfer, target: reception, onNoAnswer: bye }
${body}`;

t.test('content checks: translations, time tables, patterns and variables', async (t) => {
  t.same(problems(twoLanguages('  bye: { type: hangup, prompt: { en: Bye. } }\n')), [
    'nodes.bye.prompt: has no de version; this flow speaks en, de',
  ]);
  t.same(
    problems(
      twoLanguages('  bye: { type: hangup, prompt: { en: Bye., de: Tschüss., fr: Salut. } }\n'),
    ),
    ["nodes.bye.prompt: has a fr version, but the flow's languages are en, de"],
  );
  t.same(problems(twoLanguages('  bye: { type: hangup }\n')), []);
  const hours = (tz: string, range: string, day = '2026-12-25') =>
    problems(
      `version: 1\nname: h\nlanguage: en\ndisclosure: A.\nstart: h\nperson: desk\nnodes:\n  h: { type: hours, timezone: ${tz}, weekly: { mon: ["${range}"] }, holidays: ["${day}"], open: desk, closed: bye }\n  desk: { type: transfer, target: r, onNoAnswer: bye }\n  bye: { type: hangup }\n`,
    );
  t.match(hours('Mars/Olympus', '08:00-12:00'), [
    /nodes\.h\.timezone: "Mars\/Olympus" is not a time zone/,
  ]);
  t.match(hours('Europe/Madrid', '12:00-08:00'), [
    /nodes\.h\.weekly\.mon\[0\]: "12:00-08:00" ends before it starts/,
  ]);
  t.match(hours('Europe/Madrid', '08:00-12:00', '2026-02-30'), [/"2026-02-30" is not a real date/]);
  t.match(hours('Europe/Madrid', '8:00-12:00'), [/expected a time range like 08:00-12:30/]);
  t.match(
    problems(
      `version: 1\nname: c\nlanguage: en\ndisclosure: A.\nstart: c\nperson: desk\nnodes:\n  c: { type: collect, prompt: P., into: x, maxDigits: 2, minDigits: 3, pattern: "[", next: desk }\n  desk: { type: transfer, target: r, extension: $y, onNoAnswer: bye }\n  bye: { type: hangup }\n`,
    ),
    [
      /minDigits: is more than maxDigits/,
      /pattern: is not a valid regular expression/,
      /extension: uses \$y, but no collect node sets "y"/,
    ],
  );
});
