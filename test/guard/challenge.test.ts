import t from 'tap';
import type { CallEvents } from '../../src/call/call-events.js';
import type { CallRecord } from '../../src/call/call-record.js';
import { CallSession, CHALLENGE_FAILED_ROUTE } from '../../src/call/call-session.js';
import type { CallerInput } from '../../src/call/caller-input-queue.js';
import { CHALLENGE_PROMPT_ID, runChallenge } from '../../src/guard/challenge.js';
import { type RandomSource, seededRandom } from '../../src/guard/random-source.js';
import {
  BotCaller,
  type BotStrategy,
  HumanCaller,
  heardDigits,
} from '../../src/guard/simulated/challenge-callers.js';
import type { CallActions } from '../../src/ivr/call-actions.js';
import type { Flow } from '../../src/ivr/flow-schema.js';
import { loadFlow, parseFlowText } from '../../src/ivr/parse-flow.js';
import type { SimulatedFarEnd } from '../../src/line/simulated/simulated-line.js';
import { SimulatedLine } from '../../src/line/simulated/simulated-line.js';
import { silentLogger } from '../../src/shared/logger.js';
import { TypedEmitter } from '../../src/shared/typed-emitter.js';
import { VirtualClock } from '../../src/shared/virtual-clock.js';

interface Outcome {
  record: CallRecord;
  prompts: string[];
  texts: string[];
  transfers: number;
}

/** One call through the real CallSession with the challenge in front of the flow. */
async function gatedCall(
  makeFarEnd: (line: SimulatedLine, clock: VirtualClock) => SimulatedFarEnd,
  options: { random?: RandomSource; flow?: Flow; digits?: number } = {},
): Promise<Outcome> {
  const clock = new VirtualClock(Date.UTC(2026, 2, 2, 9));
  const line = new SimulatedLine(clock);
  await line.start();
  const farEnd = makeFarEnd(line, clock);
  let session: Promise<CallRecord> | null = null;
  line.events.on('ring', ({ count }) => {
    if (count !== 2 || session) return;
    session = new CallSession({
      callId: 'c1',
      caller: { hash: 'h', hint: '42', withheld: null },
      flow: options.flow ?? loadFlow('builtin:clinic').flow,
      line,
      recognition: null,
      clock,
      events: new TypedEmitter<CallEvents>(),
      logger: silentLogger(),
      emergencyNotice: 'If this is an emergency, hang up and dial 112.',
      maxCallMs: 600_000,
      challenge: async (call) =>
        (
          await runChallenge(call, {
            digits: options.digits ?? 4,
            attempts: 2,
            timeoutMs: 8000,
            language: 'en',
            random: options.random ?? seededRandom(7),
          })
        ).passed,
    }).run();
  });
  await clock.run(line.placeCall(farEnd, { number: '+15550100142' }));
  const record = await clock.run(session! as Promise<CallRecord>);
  return {
    record,
    prompts: line.played.map((p) => p.prompt.id),
    texts: line.played.map((p) => p.prompt.text),
    transfers: line.transfers.length,
  };
}

t.test(
  'a person hears the digits after the disclosure, presses them and reaches the menu',
  async (t) => {
    const { record, prompts, texts } = await gatedCall(
      (line, clock) => new HumanCaller(line, clock, { menuKeys: ['1', '1'], reactMs: 1500 }),
    );
    t.same(prompts.slice(0, 5), [
      'disclosure',
      'emergency-notice',
      CHALLENGE_PROMPT_ID,
      `${CHALLENGE_PROMPT_ID}:passed`,
      'main-menu',
    ]);
    t.match(texts[2], /press the 4 digits you hear: \d, \d, \d, \d\. Once more: \d, \d, \d, \d\./);
    t.equal(record.route, 'callback', 'the flow runs as usual after the challenge');
    t.equal(record.topic, 'appointments');
  },
);

t.test('a person who mishears once gets new digits and a second go', async (t) => {
  let wrongOnce = true;
  const { record, prompts, texts } = await gatedCall((line, clock) => {
    const human = new HumanCaller(line, clock, { menuKeys: ['0'], reactMs: 900 });
    const original = human.onPromptEnded.bind(human);
    human.onPromptEnded = (prompt, outcome) => {
      if (prompt.id === CHALLENGE_PROMPT_ID && wrongOnce) {
        wrongOnce = false;
        const heard = heardDigits(prompt.text)!;
        const wrong = heard.replace(/^./, (d) => String((Number(d) + 1) % 10));
        void clock.sleep(900).then(() => {
          for (const [i, d] of [...wrong].entries())
            void clock.sleep(i * 200).then(() => line.farEndPresses(d as '1'));
        });
        return;
      }
      original(prompt, outcome);
    };
    return human;
  });
  const asks = prompts.flatMap((p, i) => (p === CHALLENGE_PROMPT_ID ? [texts[i]] : []));
  t.equal(asks.length, 2);
  t.not(heardDigits(asks[0]!), heardDigits(asks[1]!), 'each attempt has its own digits');
  t.ok(prompts.includes(`${CHALLENGE_PROMPT_ID}:retry`));
  t.equal(record.route, 'transfer:reception');
});

for (const strategy of ['silent', 'fixed', 'random', 'spam', 'replay'] as BotStrategy[]) {
  t.test(`a bot that is ${strategy} never reaches a menu or a person`, async (t) => {
    const { record, prompts, transfers } = await gatedCall(
      (line, clock) =>
        new BotCaller(line, clock, {
          strategy,
          random: seededRandom(99),
          // "fixed" tries the person key; "replay" the digits of an earlier call's challenge.
          keys: strategy === 'fixed' ? '0000' : '3721',
        }),
      { random: seededRandom(1234) },
    );
    t.equal(record.route, CHALLENGE_FAILED_ROUTE);
    t.equal(transfers, 0, 'nobody at the front desk was rung');
    t.same(
      prompts.filter((p) => !p.startsWith(CHALLENGE_PROMPT_ID)),
      ['disclosure', 'emergency-notice'],
      'only the disclosure and the emergency notice were played',
    );
    t.ok(prompts.includes(`${CHALLENGE_PROMPT_ID}:failed`));
  });
}

t.test('a flow that starts with a transfer is gated too', async (t) => {
  const flow = parseFlowText(
    `version: 1
name: straight-through
language: en
disclosure: You are speaking with an automated assistant; nothing is recorded.
start: reception
person: reception
nodes:
  reception:
    type: transfer
    target: reception
    onNoAnswer: bye
  bye:
    type: hangup
`,
    'straight.yaml',
  ).flow;
  const bot = await gatedCall(
    (line, clock) =>
      new BotCaller(line, clock, { strategy: 'silent', random: seededRandom(1), keys: '' }),
    { flow },
  );
  t.equal(bot.transfers, 0);
  t.equal(bot.record.route, CHALLENGE_FAILED_ROUTE);
  const person = await gatedCall(
    (line, clock) => new HumanCaller(line, clock, { menuKeys: [], reactMs: 1200 }),
    { flow },
  );
  t.equal(person.transfers, 1);
  t.equal(person.record.route, 'transfer:reception');
});

/** Just enough of a call for the challenge: answers come from `answer` per attempt. */
function scriptedActions(
  answer: (asked: string) => CallerInput[],
  duringPrompt: CallerInput[] = [],
): CallActions {
  let queue: CallerInput[] = [];
  let typedAhead: CallerInput[] = [];
  return {
    say: async (id, text) => {
      if (id === CHALLENGE_PROMPT_ID) {
        typedAhead = [...duringPrompt];
        queue = answer(text);
      }
      return 'completed';
    },
    hasTypeAhead: () => typedAhead.length > 0,
    clearTypeAhead: () => {
      typedAhead = [];
    },
    waitForInput: async () => queue.shift() ?? null,
    listenFor: () => {},
    transfer: async () => 'failed',
    recordVoicemail: async () => 'disabled',
    recordChoice: () => {},
    recordRoute: () => {},
    recordLanguage: () => {},
    nowEpochMs: () => 0,
    nightMode: () => false,
  };
}

t.test('guessing passes about once in 10^digits attempts, and digits are uniform', async (t) => {
  const guesser = seededRandom(5);
  const digitsSeen = new Array<number>(10).fill(0);
  let passed = 0;
  const trials = 4000;
  const random = seededRandom(77);
  for (let i = 0; i < trials; i++) {
    const actions = scriptedActions((text) => {
      for (const d of heardDigits(text)!) digitsSeen[Number(d)]!++;
      const guess = String(Math.floor(guesser() * 100)).padStart(2, '0');
      return [...guess].map((d) => ({ kind: 'dtmf', value: d as '1', atMs: 0 }));
    });
    const result = await runChallenge(actions, {
      digits: 2,
      attempts: 1,
      timeoutMs: 1000,
      language: 'en',
      random,
    });
    if (result.passed) passed++;
  }
  // Expected 40 of 4000; a binomial 99.9 % interval is roughly 22..62.
  t.ok(passed > 20 && passed < 65, `${passed} of ${trials} two-digit guesses passed`);
  for (const count of digitsSeen) t.ok(count > 650 && count < 950, `digit count ${count} of 8000`);
});

t.test('spoken digits pass when speech is on; other words do not', async (t) => {
  const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
  const spoken = (text: string) => [...heardDigits(text)!].map((d) => words[Number(d)]).join(' ');
  const options = {
    digits: 3,
    attempts: 1,
    timeoutMs: 1000,
    language: 'en',
    random: seededRandom(3),
    speech: true,
  };
  const ok = await runChallenge(
    scriptedActions((text) => [{ kind: 'speech', value: spoken(text), confidence: 0.9, atMs: 0 }]),
    options,
  );
  t.same(ok, { passed: true, attempts: 1, via: 'speech' });
  const no = await runChallenge(
    scriptedActions(() => [
      { kind: 'speech', value: 'reception please', confidence: 0.9, atMs: 0 },
    ]),
    options,
  );
  t.equal(no.passed, false);
});

t.test('the challenge speaks the caller’s language', async (t) => {
  const asked: string[] = [];
  await runChallenge(
    scriptedActions((text) => {
      asked.push(text);
      return [];
    }),
    { digits: 3, attempts: 1, timeoutMs: 1000, language: 'de', random: seededRandom(3) },
  );
  t.match(asked[0], /drücken Sie bitte die 3 Ziffern, die Sie hören: \d, \d, \d\./);
});

const key = (value: string): CallerInput => ({ kind: 'dtmf', value: value as '1', atMs: 0 });
const options = {
  digits: 4,
  attempts: 1,
  timeoutMs: 1000,
  language: 'en',
  random: seededRandom(11),
};

t.test('the right digits fail when keys were pressed while they were read out', async (t) => {
  const right = (text: string) => [...heardDigits(text)!].map(key);
  t.equal((await runChallenge(scriptedActions(right), options)).passed, true, 'control: passes');
  t.equal((await runChallenge(scriptedActions(right, [key('5')]), options)).passed, false);
});

t.test('extra keys after the answer fail it; a closing # does not', async (t) => {
  const extra = (text: string) => [...[...heardDigits(text)!].map(key), key('3')];
  t.equal((await runChallenge(scriptedActions(extra), options)).passed, false);
  const hash = (text: string) => [...[...heardDigits(text)!].map(key), key('#')];
  t.equal((await runChallenge(scriptedActions(hash), options)).passed, true);
  const short = (text: string) => [...[...heardDigits(text)!.slice(0, 3)].map(key), key('#')];
  t.equal((await runChallenge(scriptedActions(short), options)).passed, false, 'too few digits');
});
