import { readFileSync } from 'node:fs';
import t from 'tap';
import { FlowInvalidError } from '../../src/ivr/flow-errors.js';
import { loadFlow, parseFlowText } from '../../src/ivr/parse-flow.js';

const example = readFileSync(new URL('../../examples/clinic.yaml', import.meta.url), 'utf8');

/** A small valid flow; tests break one thing at a time. */
const base = `version: 1
name: Test
language: en
disclosure: You are speaking with an automated assistant.
start: menu
person: desk
nodes:
  menu:
    type: menu
    prompt: Press 1 for hours.
    options:
      hours:
        dtmf: "1"
        speech: [hours]
        next: hours
  hours:
    type: info
    topic: hours
    text: We are open nine to five.
    next: bye
  desk:
    type: transfer
    target: reception
    onNoAnswer: bye
  bye:
    type: hangup
    prompt: Goodbye.
`;

function problems(text: string) {
  try {
    parseFlowText(text, 'flow.yaml');
  } catch (error) {
    if (error instanceof FlowInvalidError) return error.problems;
    throw error;
  }
  throw new Error('expected the flow to be rejected');
}

t.test('the example clinic flow is valid and has no warnings', async (t) => {
  const { flow, warnings } = parseFlowText(example, 'examples/clinic.yaml');
  t.equal(flow.start, 'main-menu');
  t.equal(flow.nodes[flow.person]?.type, 'transfer');
  t.same(warnings, []);
  t.match(flow.disclosure, /automated assistant/);
});

t.test('builtin:clinic resolves to the bundled example', async (t) => {
  t.equal(loadFlow('builtin:clinic').flow.name, 'Example Clinic main line');
});

t.test('a missing flow file names the file and the config key', async (t) => {
  t.throws(() => loadFlow('/nonexistent/flow.yaml'), {
    code: 'FLOW_UNREADABLE',
    message: /does not exist: check call\.flow/,
  });
});

t.test('a dangling route names the missing node and its line', async (t) => {
  const [p, ...rest] = problems(base.replace('next: bye\n  desk', 'next: byebye\n  desk'));
  t.equal(rest.length, 0);
  t.equal(p!.path, 'nodes.hours.next');
  t.equal(p!.line, 20);
  t.match(
    p!.message,
    /routes to "byebye", which does not exist; nodes are: menu, hours, desk, bye/,
  );
});

t.test('start and person must exist; person must be a transfer', async (t) => {
  t.match(
    problems(base.replace('start: menu', 'start: menuu'))[0]!.message,
    /names node "menuu", which does not exist/,
  );
  const [p] = problems(base.replace('person: desk', 'person: hours'));
  t.equal(p!.path, 'person');
  t.match(p!.message, /must name a transfer node/);
});

t.test('the disclosure is required: callers must be told they talk to a machine', async (t) => {
  const [p] = problems(
    base.replace('disclosure: You are speaking with an automated assistant.\n', ''),
  );
  t.match(p!.message, /missing required key "disclosure"/);
});

t.test('an unknown node type lists the valid types', async (t) => {
  const [p] = problems(base.replace('type: info', 'type: infos'));
  t.equal(p!.path, 'nodes.hours.type');
  t.equal(p!.line, 17);
  t.match(
    p!.message,
    /unknown node type "infos"; expected one of: say, menu, collect, hours, language, transfer, callback, info, voicemail, hangup/,
  );
});

t.test('a misspelt key inside a node is reported with its line', async (t) => {
  const [p] = problems(
    base.replace('    onNoAnswer: bye', '    onNoAnswer: bye\n    extention: "12"'),
  );
  t.equal(p!.path, 'nodes.desk.extention');
  t.equal(p!.line, 25);
  t.match(p!.message, /did you mean "extension"/);
});

t.test(
  'menu keys: duplicates, 0 and * are reserved, an option needs a key or phrases',
  async (t) => {
    const dup = base.replace(
      '        next: hours\n',
      '        next: hours\n      again:\n        dtmf: "1"\n        next: bye\n',
    );
    t.match(problems(dup)[0]!.message, /key 1 is already used by option "hours"/);
    t.match(
      problems(base.replace('dtmf: "1"', 'dtmf: "0"'))[0]!.message,
      /key 0 is reserved for reaching a person/,
    );
    t.match(
      problems(base.replace('dtmf: "1"', 'dtmf: "*"'))[0]!.message,
      /key \* is reserved for repeating/,
    );
    const none = base.replace('        dtmf: "1"\n        speech: [hours]\n', '');
    t.match(problems(none)[0]!.message, /neither a dtmf key nor speech phrases/);
    t.match(
      problems(base.replace('dtmf: "1"', 'dtmf: "12"'))[0]!.message,
      /expected one key: 0-9, \*, # or A-D/,
    );
  },
);

t.test('a loop with no exit is an error; an unreachable node is a warning', async (t) => {
  const loop = base
    .replace('person: desk', 'person: desk')
    .replace(
      '  hours:\n    type: info\n    topic: hours\n    text: We are open nine to five.\n    next: bye',
      '  hours:\n    type: say\n    text: Still here.\n    next: again\n  again:\n    type: say\n    text: And again.\n    next: hours',
    );
  const found = problems(loop);
  t.ok(
    found.some((p) => /"hours" is in a loop with no exit/.test(p.message)),
    found.map((p) => p.message).join('\n'),
  );

  const orphan = `${base}  draft:\n    type: say\n    text: Not used yet.\n    next: bye\n`;
  const { warnings } = parseFlowText(orphan, 'flow.yaml');
  t.equal(warnings.length, 1);
  t.match(warnings[0]!.message, /node "draft" is unreachable/);
  t.equal(warnings[0]!.line, 28);
});

t.test('YAML syntax errors carry a line', async (t) => {
  const [p] = problems('version: 1\nname: [broken\n');
  t.match(p!.message, /YAML syntax/);
  t.ok(p!.line);
});

t.test('every problem in a file is reported at once', async (t) => {
  const found = problems(
    base
      .replace('next: bye\n  desk', 'next: nowhere\n  desk')
      .replace('onNoAnswer: bye', 'onNoAnswer: void'),
  );
  t.equal(found.length, 2);
});
