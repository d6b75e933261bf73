import t from 'tap';
import { classifyUtterance } from '../../src/speech/intents/intent-classifier.js';
import { buildMenuGrammar, UNKNOWN_TOKEN } from '../../src/speech/intents/menu-grammar.js';

const menu = {
  language: 'en',
  options: [
    { name: 'appointments', phrases: ['appointment', 'move my appointment', 'book'] },
    { name: 'prescriptions', phrases: ['prescription', 'repeat prescription'] },
  ],
};

t.test('a menu grammar: phrases normalised, globals, digits, yes/no and [unk]', async (t) => {
  const g = buildMenuGrammar(['Move my Appointment!', 'book', 'book'], 'en');
  t.ok(g.phrases.includes('move my appointment'), 'lower case, no punctuation');
  t.equal(g.phrases.filter((p) => p === 'book').length, 1, 'no duplicates');
  for (const w of ['reception', 'repeat', 'yes', 'no', 'four', 'zero'])
    t.ok(g.phrases.includes(w), `includes ${w}`);
  t.equal(g.phrases.at(-1), UNKNOWN_TOKEN);
  const de = buildMenuGrammar(['Termin'], 'de');
  for (const w of ['termin', 'rezeption', 'ja', 'nein', 'vier'])
    t.ok(de.phrases.includes(w), `de: ${w}`);
  t.notOk(buildMenuGrammar(['book'], 'en', { digits: false }).phrases.includes('four'));
});

t.test('phrases with words the model lacks are dropped and reported', async (t) => {
  const vocabulary = new Set(['book', 'an', 'appointment', 'reception', 'repeat', 'yes', 'no']);
  const g = buildMenuGrammar(['book an appointment', 'physiotherapy'], 'en', {
    knowsWord: (w) => vocabulary.has(w),
  });
  t.ok(g.phrases.includes('book an appointment'));
  t.notOk(g.phrases.includes('physiotherapy'));
  t.ok(g.unknownWords.includes('physiotherapy'));
  t.notOk(g.phrases.includes('say again'), 'a global phrase with an unknown word goes too');
});

t.test('utterances become intents', async (t) => {
  const c = (text: string, conf = 0.9) => classifyUtterance(text, conf, menu);
  t.match(c('i want to move my appointment please'), {
    kind: 'option',
    value: 'appointments',
    action: 'accept',
  });
  t.match(
    c('repeat prescription'),
    { kind: 'option', value: 'prescriptions' },
    'longest phrase wins over "repeat"',
  );
  t.match(c('repeat'), { kind: 'repeat', action: 'accept' });
  t.match(c('reception'), { kind: 'person' });
  t.match(c('four one five'), { kind: 'digits', value: '415' });
  t.match(c('oh four two'), { kind: 'digits', value: '042' });
  t.match(c('four or five'), { kind: 'unknown', action: 'reprompt' }, 'not read as 45');
  t.match(c('yes'), { kind: 'yes' });
  t.match(c('no'), { kind: 'no' });
  t.match(c('[unk]'), { kind: 'unknown', action: 'ignore' });
  t.match(c(''), { kind: 'unknown', action: 'ignore' });
});

t.test('confidence thresholds decide accept, re-prompt or ignore', async (t) => {
  t.equal(classifyUtterance('book', 0.61, menu).action, 'accept');
  t.equal(classifyUtterance('book', 0.45, menu).action, 'reprompt');
  t.equal(classifyUtterance('book', 0.1, menu).action, 'ignore');
  const strict = { accept: 0.95, ignoreBelow: 0.5 };
  t.equal(classifyUtterance('book', 0.9, menu, strict).action, 'reprompt');
});

t.test('French (speech only): grammar words and intents', async (t) => {
  const fr = {
    language: 'fr',
    options: [
      { name: 'appointments', phrases: ['rendez-vous', 'prendre rendez-vous'] },
      { name: 'prescriptions', phrases: ['ordonnance', 'renouveler une ordonnance'] },
    ],
  };
  const g = buildMenuGrammar(['Rendez-vous', 'ordonnance'], 'fr');
  for (const w of [
    'rendez vous',
    'ordonnance',
    'accueil',
    'répéter',
    'oui',
    'non',
    'quatre',
    'zéro',
  ])
    t.ok(g.phrases.includes(w), `includes ${w}`);
  t.notOk(g.phrases.includes('four'), 'no English digits in a French grammar');
  const c = (text: string) => classifyUtterance(text, 0.9, fr);
  t.match(c('un deux trois quatre'), { kind: 'digits', value: '1234', action: 'accept' });
  t.match(c('zéro six'), { kind: 'digits', value: '06' });
  t.match(c('je voudrais prendre un rendez vous'), { kind: 'option', value: 'appointments' });
  t.match(c('rendez-vous'), { kind: 'option', value: 'appointments' }, 'hyphen or not, same words');
  t.match(c('ordonnance'), { kind: 'option', value: 'prescriptions' });
  t.match(c('accueil'), { kind: 'person' });
  t.match(c('répétez'), { kind: 'repeat' });
  t.match(c('oui'), { kind: 'yes' });
  t.match(c('non'), { kind: 'no' });
  t.match(c('un ou deux'), { kind: 'unknown', action: 'reprompt' }, 'not read as 12');
});
