import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';
import { CLINIC_FLOW, makeSandbox, runCli } from '../helpers/spawn-appliance.js';

// About 25 CLI processes: ~20 s at low load on 2 cores, 62-86 s measured at load ~10-18.
// Bounded all the same; tap's default file timeout (120 s) left too little margin.
t.setTimeout(240_000);

/** The line (1-based) where `needle` first occurs in `text`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in the fixture`);
  return text.slice(0, at).split('\n').length;
}

function write(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

t.test('check-config', async (t) => {
  const box = await makeSandbox(t);
  const cases: { name: string; yaml: string; want: RegExp[] }[] = [
    {
      name: 'unknown key',
      yaml: `dataDir: ${box.dataDir}\nweb:\n  port: 8080\n  colour: red\n`,
      want: [
        /unknown-key\.yaml:4:3: web\.colour: unknown key "colour"; valid keys here: enabled, host, port/,
      ],
    },
    {
      name: 'bad values, every one listed',
      yaml: `dataDir: ${box.dataDir}\nweb:\n  port: seventy\nline:\n  answerOnRing: 99\n`,
      want: [
        /bad-values-every-one-listed\.yaml:3:\d+: web\.port: .*integer/,
        /:5:\d+: line\.answerOnRing: .*<= 10/,
      ],
    },
    {
      name: 'web page exposed to the network',
      yaml: `dataDir: ${box.dataDir}\nweb:\n  host: 0.0.0.0\n`,
      want: [/:3:\d+: web\.host: .*0\.0\.0\.0.*loopback/],
    },
    {
      name: 'yaml tab indent',
      yaml: `dataDir: ${box.dataDir}\n\tweb: {}\n`,
      want: [/yaml-tab-indent\.yaml:2:\d+: .*YAML syntax: Tabs/],
    },
    {
      name: 'yaml bad indentation',
      yaml: `dataDir: ${box.dataDir}\nweb:\n  port: 8080\n   host: 127.0.0.1\n`,
      want: [/yaml-bad-indentation\.yaml:[34]:\d+: .*YAML syntax/],
    },
  ];
  // Independent processes: run them at once to keep the file well inside tap's timeout.
  const files = cases.map((c) =>
    write(box.dir, `${c.name.replaceAll(' ', '-').replaceAll(',', '')}.yaml`, c.yaml),
  );
  const [valid, viaOption, missing, ...results] = await Promise.all([
    runCli(['check-config', box.configPath]),
    runCli(['--config', box.configPath, 'check-config']),
    runCli(['check-config', join(box.dir, 'nope.yaml')]),
    ...files.map((file) => runCli(['check-config', file])),
  ]);
  t.equal(valid!.code, 0, 'a valid file exits 0');
  t.match(
    valid!.stdout,
    new RegExp(
      `^${box.configPath}: ok\\ncall\\.flow \\S+clinic\\.yaml: ok \\(flow "[^"]+", \\d+ nodes[^)]*\\)\\n$`,
    ),
    'the config and the flow it answers with are both checked',
  );
  t.equal(viaOption!.code, 0, '--config FILE check-config works too');
  t.equal(missing!.code, 2, 'a missing file exits 2');
  t.match(missing!.stderr, /nope\.yaml does not exist/);
  cases.forEach((c, i) => {
    const res = results[i]!;
    t.equal(res.code, 2, `${c.name}: exit 2`);
    t.equal(res.stdout, '', `${c.name}: nothing on stdout`);
    for (const want of c.want) t.match(res.stderr, want, `${c.name}: ${want}`);
    t.notMatch(res.stderr, /\n\s+at /, `${c.name}: no stack trace`);
  });
});

t.test('check-config checks the flow saved on the web page, which answers the calls', async (t) => {
  const box = await makeSandbox(t);
  const clinic = readFileSync(CLINIC_FLOW, 'utf8');
  mkdirSync(join(box.dataDir, 'flows'), { recursive: true });
  const active = join(box.dataDir, 'flows', 'active.yaml');
  writeFileSync(active, clinic.replace(/^name: .*$/m, 'name: edited-on-the-page'));
  const saved = await runCli(['check-config', box.configPath]);
  t.equal(saved.code, 0, 'a valid saved flow passes');
  t.match(
    saved.stdout,
    `${active} (saved on the web page; answers the calls): ok (flow "edited-on-the-page"`,
  );

  const broken = clinic.replace('next: prescription-callback', 'next: prescripton-callback');
  writeFileSync(active, broken);
  const bad = await runCli(['check-config', box.configPath]);
  t.equal(bad.code, 2, 'a broken saved flow exits 2');
  t.match(bad.stderr, `${active}:${lineOf(broken, 'next: prescripton-callback')}:`);
  t.match(bad.stderr, /"prescripton-callback", which does not exist/);
  t.match(bad.stderr, /answers with call\.flow \(builtin:clinic\) until it is fixed or reverted/);
  t.match(bad.stdout, /call\.flow \S+: ok/, 'call.flow itself was still found valid');

  const brokenConfigured = write(box.dir, 'dangling.yaml', broken);
  const config = write(
    box.dir,
    'with-flow.yaml',
    `dataDir: ${join(box.dir, 'other')}\ncall:\n  flow: ${brokenConfigured}\n`,
  );
  const configured = await runCli(['check-config', config]);
  t.equal(configured.code, 2, 'a broken call.flow exits 2');
  t.match(configured.stderr, `${brokenConfigured}:`);
  t.notMatch(configured.stderr, /\n\s+at /, 'no stack trace');
});

t.test('check-flow', async (t) => {
  const box = await makeSandbox(t);
  const clinic = readFileSync(CLINIC_FLOW, 'utf8');
  const dangling = clinic.replace('next: prescription-callback', 'next: prescripton-callback');
  const file = write(box.dir, 'dangling.yaml', dangling);
  const line = lineOf(dangling, 'next: prescripton-callback');
  const noAnswer = clinic.replace('onNoAnswer: reception-busy', 'onNoAnswer: front-desk-busy');
  const file2 = write(box.dir, 'no-answer.yaml', noAnswer);
  const [ok, res, res2, viaSimulate] = await Promise.all([
    runCli(['check-flow', 'examples/clinic.yaml']),
    runCli(['check-flow', file]),
    runCli(['check-flow', file2]),
    runCli(['--config', box.configPath, 'simulate', '--flow', file, '--dtmf', '0']),
  ]);

  t.equal(ok.code, 0, 'the example flow is valid');
  t.match(
    ok.stdout,
    /^examples\/clinic\.yaml: ok \(\d+ nodes, start "main-menu", person "reception"\)\n$/,
  );

  t.equal(res.code, 2, 'a dangling route exits 2');
  t.match(res.stderr, `${file}:${line}:`, `the message has the line (${line})`);
  t.match(res.stderr, /main-menu/, 'and names the node');
  t.match(res.stderr, /"prescripton-callback", which does not exist/, 'and the missing target');

  t.equal(res2.code, 2, 'a dangling onNoAnswer exits 2');
  t.match(res2.stderr, `${file2}:${lineOf(noAnswer, 'onNoAnswer: front-desk-busy')}:`);
  t.match(res2.stderr, /reception/);
  t.match(res2.stderr, /front-desk-busy/);

  t.equal(viaSimulate.code, 2, 'simulate refuses the broken flow as well');
  t.match(viaSimulate.stderr, `${file}:${line}:`);
});

interface SimResult {
  callId: string;
  route: string;
  topic: string | null;
  endReason: string;
  durationMs: number;
  saved: boolean;
  prompts: { id: string; text: string; outcome: string }[];
  inputs: { kind: string; value: string }[];
  choices: { node: string; option: string; via: string }[];
}

t.test('simulate --json routes each kind of caller', async (t) => {
  const box = await makeSandbox(t);
  const simulate = async (args: string[]): Promise<SimResult> => {
    const res = await runCli([
      '--config',
      box.configPath,
      'simulate',
      '--flow',
      CLINIC_FLOW,
      ...args,
      '--json',
    ]);
    t.equal(res.code, 0, `simulate ${args.join(' ')} exits 0 (stderr: ${res.stderr.trim()})`);
    return JSON.parse(res.stdout) as SimResult;
  };
  const menuReads = (r: SimResult) => r.prompts.filter((p) => p.id === 'main-menu').length;
  // The first call creates the device secret; the others then run at once, as several
  // terminals would, all writing to the same SQLite file.
  const reception = await simulate(['--dtmf', '0']);
  const [appointments, prescriptions, silent, hangup, wrongKey] = await Promise.all([
    simulate(['--dtmf', '1', '--dtmf', '1']),
    simulate(['--say', 'prescriptions']),
    simulate([]),
    simulate(['--hangup-after', '3']),
    simulate(['--dtmf', '9']),
  ]);
  const results = [reception, appointments, prescriptions, silent, hangup, wrongKey];

  t.equal(reception.route, 'transfer:reception', '--dtmf 0 -> reception');
  t.equal(reception.endReason, 'transferred');
  t.same(
    reception.choices.map((c) => [c.node, c.option, c.via]),
    [['main-menu', 'person', 'dtmf']],
  );
  t.equal(reception.prompts[0]?.id, 'disclosure', 'the caller first hears that this is a machine');

  t.equal(appointments.route, 'callback', '--dtmf 1 --dtmf 1 -> callback');
  t.equal(appointments.topic, 'appointments');
  t.same(
    // Later questions (e.g. a time window for the callback) may follow; these two come first.
    appointments.choices.slice(0, 2).map((c) => [c.node, c.option]),
    [
      ['main-menu', 'appointments'],
      ['appointments-menu', 'callback'],
    ],
  );

  t.equal(prescriptions.route, 'callback', '--say prescriptions -> callback');
  t.equal(prescriptions.topic, 'prescriptions');
  t.same(
    prescriptions.choices.map((c) => c.via),
    ['speech'],
  );

  t.equal(silent.route, 'transfer:reception', 'a caller who says nothing ends up with reception');
  t.equal(menuReads(silent), 3, 'after the menu was read once and retried twice');
  t.same(
    silent.prompts.filter((p) => p.id === 'main-menu:retry').map((p) => p.text),
    ['Sorry, I did not hear anything.', 'Sorry, I did not hear anything.'],
  );
  t.same(silent.inputs, []);
  t.same(
    silent.choices.map((c) => [c.node, c.option, c.via]),
    [['main-menu', 'person', 'default']],
  );

  t.equal(hangup.route, 'abandoned', '--hangup-after 3 -> abandoned');
  t.equal(hangup.endReason, 'caller-hangup');
  t.equal(hangup.durationMs, 3000);

  t.equal(wrongKey.route, 'transfer:reception', 'a wrong key and then silence -> reception');
  t.same(
    wrongKey.prompts.filter((p) => p.id === 'main-menu:retry').map((p) => p.text),
    ['Sorry, I did not understand that.', 'Sorry, I did not hear anything.'],
    'first "not understood", then "not heard"',
  );
  t.equal(menuReads(wrongKey), 3);

  // Every call was stored where `linekeeper run` would read it.
  const store = new SqliteCallStore(box.database);
  await store.start();
  t.teardown(() => store.stop());
  const stored = new Map((await store.recentCalls({ limit: 50 })).map((c) => [c.id, c]));
  t.equal(stored.size, results.length, 'one stored record per simulated call');
  for (const r of results) {
    t.equal(r.saved, true);
    t.equal(stored.get(r.callId)?.route, r.route, `${r.callId} stored with route ${r.route}`);
    t.equal(stored.get(r.callId)?.topic, r.topic);
  }
});

t.test('simulate rejects bad arguments with exit 2', async (t) => {
  const box = await makeSandbox(t);
  const [badKey, badSeconds] = await Promise.all([
    runCli(['--config', box.configPath, 'simulate', '--dtmf', 'x', '--json']),
    runCli(['--config', box.configPath, 'simulate', '--hangup-after', 'soon']),
  ]);
  t.equal(badKey.code, 2, '--dtmf x exits 2');
  t.equal(badKey.stdout, '');
  t.match(badKey.stderr, /"x" is not a key; use 0-9, \*, #, A-D/);
  t.equal(badSeconds.code, 2, '--hangup-after soon exits 2');
  t.match(badSeconds.stderr, /--hangup-after "soon" is not a number of seconds/);
  const store = new SqliteCallStore(box.database);
  await store.start();
  t.teardown(() => store.stop());
  t.same(await store.recentCalls({ limit: 5 }), [], 'nothing was stored');
});

t.test('doctor', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'linekeeper-doctor-'));
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  const box = await makeSandbox(t);
  const broken = write(box.dir, 'broken.yaml', `dataDir: ${box.dataDir}\nweb:\n  prot: 8080\n`);
  const [defaults, res] = await Promise.all([
    runCli(['doctor'], { cwd }),
    runCli(['--config', broken, 'doctor'], { cwd }),
  ]);

  // Built-in defaults unless the machine has /etc/linekeeper/config.yaml (then that is checked).
  t.equal(defaults.code, 0, `exit 0 on built-in defaults\n${defaults.stdout}`);
  t.match(defaults.stdout, /^ok\s+config\s+no config file; using built-in defaults$/m);
  t.match(defaults.stdout, new RegExp(`^ok\\s+storage\\s+${cwd}/var/linekeeper\\.db opens`, 'm'));
  t.notMatch(defaults.stdout, /^fail/m);

  t.equal(res.code, 1, 'exit 1 when the config is broken');
  t.match(res.stdout, /^fail\s+config\s+.*broken\.yaml:3:3: web\.prot: unknown key "prot"/m);
  // A flow saved on the web page is what answers; a broken one is a warning (call.flow answers).
  const clinic = readFileSync(CLINIC_FLOW, 'utf8');
  mkdirSync(join(box.dataDir, 'flows'), { recursive: true });
  const active = join(box.dataDir, 'flows', 'active.yaml');
  writeFileSync(active, clinic.replace(/^name: .*$/m, 'name: Saturday line'));
  const saved = await runCli(['--config', box.configPath, 'doctor'], { cwd });
  t.match(saved.stdout, /^ok\s+flow\s+"Saturday line" \(saved on the web page\) is valid$/m);
  writeFileSync(active, clinic.replace('next: prescription-callback', 'next: nowhere'));
  const broken2 = await runCli(['--config', box.configPath, 'doctor'], { cwd });
  t.match(
    broken2.stdout,
    /^warn\s+flow\s+the flow saved on the web page is not usable \(.*nowhere.*\); calls are answered with call\.flow "[^"]+" until it is fixed or reverted on the \/flows page$/m,
  );
});

t.test('run refuses to start on bad input or a taken port', async (t) => {
  const box = await makeSandbox(t);
  const broken = write(box.dir, 'broken.yaml', `dataDir: ${box.dataDir}\nline:\n  driver: fax\n`);
  const blocker = createServer();
  await new Promise<void>((resolve, reject) => {
    blocker.once('error', reject);
    blocker.listen(box.port, '127.0.0.1', resolve);
  });
  t.teardown(() => new Promise((resolve) => blocker.close(resolve)));
  const [missing, bad, taken] = await Promise.all([
    runCli(['--config', join(box.dir, 'nope.yaml'), 'run'], { timeoutMs: 20_000 }),
    runCli(['--config', broken, 'run'], { timeoutMs: 20_000 }),
    runCli(['--config', box.configPath, 'run'], { timeoutMs: 20_000 }),
  ]);

  t.equal(missing.code, 2, 'a missing config exits 2');
  t.match(missing.stderr, /nope\.yaml does not exist/);
  t.equal(bad.code, 2, 'an invalid config exits 2');
  t.match(bad.stderr, /broken\.yaml:3:\d+: line\.driver/);

  t.not(taken.code, 0, 'exits non-zero when the web port is taken');
  t.equal(taken.code, 1, 'a run-time failure is exit 1');
  t.match(taken.stderr, `cannot listen on 127.0.0.1:${box.port}: the port is in use`);
  t.match(taken.stderr, /set web\.port to another port/);
  t.notMatch(taken.stderr, /unexpected error/, 'reported as a known problem');
  t.notMatch(taken.stderr, /\n\s+at /, 'without a stack trace');
});
