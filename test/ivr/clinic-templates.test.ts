import t from 'tap';
import { loadFlow } from '../../src/ivr/parse-flow.js';
import type { CallerScript } from '../../src/line/simulated/simulated-caller.js';
import { runSimulatedCall } from '../helpers/simulated-call.js';

const path = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;
const english = loadFlow(path('clinic.yaml')).flow;

const press = (digits: string) => ({ kind: 'dtmf' as const, digits });
const say = (text: string) => ({ kind: 'say' as const, text });

/** Every way through the English template, with where each must end. */
const scenarios: {
  name: string;
  script: CallerScript;
  route: string;
  topic?: string | null;
  window?: string | null;
}[] = [
  { name: '0 -> reception', script: { steps: [press('0')] }, route: 'transfer:reception' },
  {
    name: '"reception" -> reception',
    script: { steps: [say('reception')] },
    route: 'transfer:reception',
  },
  {
    name: '1, 1, 1 -> appointment callback in the morning',
    script: { steps: [press('1'), press('1'), press('1')] },
    route: 'callback',
    topic: 'appointments',
    window: 'morning',
  },
  {
    name: 'speech: appointment, call me back, afternoon',
    script: { steps: [say('I would like an appointment'), say('call me back'), say('afternoon')] },
    route: 'callback',
    topic: 'appointments',
    window: 'afternoon',
  },
  {
    name: '1, 1, silence -> callback any time',
    script: { steps: [press('1'), press('1')] },
    route: 'callback',
    topic: 'appointments',
    window: 'any',
  },
  {
    name: '1, 0 -> reception from the appointments menu',
    script: { steps: [press('1'), press('0')] },
    route: 'transfer:reception',
  },
  {
    name: '1 then silence -> reception',
    script: { steps: [press('1')] },
    route: 'transfer:reception',
  },
  {
    name: '2 -> prescription callback',
    script: { steps: [press('2')] },
    route: 'callback',
    topic: 'prescriptions',
  },
  {
    name: '"refill" -> prescription callback',
    script: { steps: [say('refill')] },
    route: 'callback',
    topic: 'prescriptions',
  },
  {
    name: '3 -> opening hours',
    script: { steps: [press('3')] },
    route: 'info',
    topic: 'opening-hours',
  },
  {
    name: '"when are you open" -> opening hours',
    script: { steps: [say('when are you open')] },
    route: 'info',
    topic: 'opening-hours',
  },
  {
    name: '4 -> test results callback',
    script: { steps: [press('4')] },
    route: 'callback',
    topic: 'test-results',
  },
  {
    name: '"lab results" -> test results callback',
    script: { steps: [say('my lab results')] },
    route: 'callback',
    topic: 'test-results',
  },
  {
    name: 'silence -> reception after retries',
    script: { steps: [] },
    route: 'transfer:reception',
  },
  {
    name: 'wrong keys -> reception after retries',
    script: { steps: [press('7'), press('8'), press('9')] },
    route: 'transfer:reception',
  },
  {
    name: 'gibberish, then 3',
    script: { steps: [say('banana'), press('3')] },
    route: 'info',
    topic: 'opening-hours',
  },
  {
    name: '*, then 2',
    script: { steps: [press('*'), press('2')] },
    route: 'callback',
    topic: 'prescriptions',
  },
  {
    name: 'hang-up during the disclosure',
    script: { steps: [], hangupAfterMs: 2000 },
    route: 'abandoned',
  },
  {
    name: 'hang-up during the menu',
    script: { steps: [], hangupAfterMs: 20_000 },
    route: 'abandoned',
  },
  {
    name: 'hang-up during the callback confirmation',
    script: { steps: [press('2')], hangupAfterMs: 30_000 },
    route: 'callback',
    topic: 'prescriptions',
  },
  {
    name: 'reception does not answer -> callback',
    script: { steps: [press('0')], personAnswers: false },
    route: 'callback',
    topic: 'reception',
  },
  {
    name: 'type-ahead 11 2 -> appointment callback afternoon',
    script: { steps: [press('112')] },
    route: 'callback',
    topic: 'appointments',
    window: 'afternoon',
  },
  {
    name: 'barge-in: 4 during the menu',
    script: { steps: [press('4')], bargeIn: true },
    route: 'callback',
    topic: 'test-results',
  },
];

const visited = new Set<string>();

for (const s of scenarios) {
  t.test(s.name, async (t) => {
    const { record, events } = await runSimulatedCall(s.script, { flow: english });
    t.equal(record.route, s.route);
    if (s.topic !== undefined) t.equal(record.topic, s.topic);
    if (s.window !== undefined) t.equal(record.callbackWindow, s.window);
    for (const e of events) {
      if (e.name === 'prompt-played')
        visited.add((e.payload as { promptId: string }).promptId.split(':')[0]!);
    }
    if (s.route === 'abandoned') t.equal(record.endReason, 'caller-hangup');
  });
}

t.test('the scenarios above reach every node of the English template', async (t) => {
  const missing = Object.keys(english.nodes).filter((id) => !visited.has(id));
  t.same(missing, [], 'nodes no scenario reached');
});

for (const [file, press0, topicBySpeech] of [
  ['clinic-de.yaml', 'Einen Moment bitte', ['ich möchte einen Befund', 'test-results']],
  ['clinic-es.yaml', 'Un momento', ['necesito una cita', 'appointments']],
] as const) {
  t.test(`${file}: valid, key 0 reaches reception in its language, speech works`, async (t) => {
    const { flow, warnings } = loadFlow(path(file));
    t.same(warnings, []);
    const person = await runSimulatedCall({ steps: [press('0')] }, { flow });
    t.equal(person.record.route, 'transfer:reception');
    t.ok(
      person.events.some(
        (e) =>
          e.name === 'prompt-played' && (e.payload as { text: string }).text.startsWith(press0),
      ),
    );
    const spoken = await runSimulatedCall({ steps: [say(topicBySpeech[0])] }, { flow });
    t.equal(spoken.record.topic, topicBySpeech[1]);
    const persona = await runSimulatedCall(
      { steps: [say(file.includes('-de') ? 'Rezeption bitte' : 'quiero hablar con una persona')] },
      { flow },
    );
    t.equal(
      persona.record.route,
      'transfer:reception',
      'the language’s own word for a person works',
    );
  });
}
