import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ConfigInvalidError } from '../../src/config/config-errors.js';
import { loadConfig, parseConfigText } from '../../src/config/load-config.js';

function problemsOf(text: string) {
  try {
    parseConfigText(text, 'config.yaml');
  } catch (error) {
    if (error instanceof ConfigInvalidError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

t.test(
  'defaults run on a laptop: simulated line, MQTT off, web on 127.0.0.1:8080, data in ./var',
  async (t) => {
    const config = parseConfigText('', 'empty.yaml');
    t.equal(config.line.driver, 'simulated');
    t.equal(config.mqtt.enabled, false);
    t.equal(config.web.host, '127.0.0.1');
    t.equal(config.web.port, 8080);
    t.equal(config.dataDir, './var');
    t.equal(config.call.flow, 'builtin:clinic');
  },
);

t.test(
  'no file at the default path means built-in defaults; an explicit missing file is an error',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-config-'));
    t.throws(() => loadConfig(join(dir, 'nope.yaml')), {
      code: 'CONFIG_NOT_FOUND',
      message: /nope\.yaml does not exist/,
    });
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'web:\n  port: 9090\n');
    const loaded = loadConfig(file);
    t.equal(loaded.source, file);
    t.equal(loaded.config.web.port, 9090);
    t.equal(
      loaded.config.web.host,
      '127.0.0.1',
      'unset keys in a partial section keep their defaults',
    );
  },
);

t.test(
  'an unknown key is an error naming the key, its line and the valid keys, with a suggestion',
  async (t) => {
    const [problem, ...rest] = problemsOf('web:\n  prot: 8080\n');
    t.equal(rest.length, 0);
    t.equal(problem!.path, 'web.prot');
    t.equal(problem!.line, 2);
    t.match(
      problem!.message,
      /unknown key "prot" \(did you mean "port"\?\); valid keys here: enabled, host, port/,
    );
  },
);

t.test('a bad enum value names the value and the valid ones', async (t) => {
  const [problem] = problemsOf('line:\n  driver: moden\n');
  t.equal(problem!.path, 'line.driver');
  t.equal(problem!.line, 2);
  t.match(problem!.message, /"moden" is not valid; expected one of: "simulated", "modem"/);
});

t.test(
  'a number out of range and a wrong type are reported together, each on its line',
  async (t) => {
    const problems = problemsOf('web:\n  port: 70000\nline:\n  answerOnRing: two\n');
    t.same(
      problems.map((p) => [p.path, p.line]),
      [
        ['line.answerOnRing', 4],
        ['web.port', 2],
      ].sort(),
      'both problems at once',
    );
    t.match(
      problems.find((p) => p.path === 'web.port')!.message,
      /70000 is not valid: must be <= 65535/,
    );
    t.match(
      problems.find((p) => p.path === 'line.answerOnRing')!.message,
      /"two" is not valid: expected integer/,
    );
  },
);

t.test('broken YAML gives the line and column of the syntax error', async (t) => {
  const [problem] = problemsOf('web:\n  port: 8080\n   host: [unclosed\n');
  t.match(problem!.message, /YAML syntax/);
  t.ok(problem!.line !== undefined && problem!.line >= 2, `line reported (${problem!.line})`);
});

t.test('duplicate keys are rejected rather than silently overwritten', async (t) => {
  const [problem] = problemsOf('web:\n  port: 8080\n  port: 8081\n');
  t.match(problem!.message, /YAML syntax: .*unique/i);
});

t.test('a list instead of a mapping is explained', async (t) => {
  const [problem] = problemsOf('- web\n- line\n');
  t.match(problem!.message, /must be a mapping/);
});

t.test('the admin page reaches the LAN only over HTTPS', async (t) => {
  const [problem] = problemsOf('web:\n  host: 0.0.0.0\n');
  t.equal(problem!.path, 'web.host');
  t.equal(problem!.line, 2);
  t.match(
    problem!.message,
    /serve the admin page .* over plain HTTP; set web\.https\.enabled: true/,
  );
  t.doesNotThrow(() => parseConfigText('web:\n  host: 0.0.0.0\n  https: { enabled: true }\n', 'x'));
  t.doesNotThrow(() => parseConfigText('web:\n  host: ::1\n', 'x'));
  t.doesNotThrow(
    () => parseConfigText('web:\n  host: 0.0.0.0\n  enabled: false\n', 'x'),
    'fine when the page is off',
  );
});

t.test('a pattern failure explains the expected form', async (t) => {
  const [problem] = problemsOf('device:\n  id: Front Desk!\n');
  t.match(problem!.message, /expected Device id used in MQTT topics/);
});

t.test('a wrong config version is an error with the supported version', async (t) => {
  const [problem] = problemsOf('version: 2\n');
  t.equal(problem!.path, 'version');
  t.match(problem!.message, /expected one of: 1/);
});

t.test(
  'the error message of the thrown error lists file:line: key: message for each problem',
  async (t) => {
    t.throws(() => parseConfigText('web:\n  prot: 1\n', '/etc/linekeeper/config.yaml'), {
      message: /^\/etc\/linekeeper\/config\.yaml:2:3: web\.prot: unknown key/,
    });
  },
);

t.test('examples/config.yaml is valid and documents exactly the defaults', async (t) => {
  const file = new URL('../../examples/config.yaml', import.meta.url).pathname;
  t.same(loadConfig(file).config, parseConfigText('', 'defaults'));
});
