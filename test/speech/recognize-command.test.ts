import { Command } from 'commander';
import t from 'tap';
import { registerRecognizeCommand } from '../../src/cli/commands/recognize-command.js';
import { ensureLibvosk } from './support/run-probe.js';

async function run(args: string[]) {
  const program = new Command().exitOverride();
  registerRecognizeCommand(program);
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'linekeeper', 'recognize', ...args]);
    return { stderr, exitCode: process.exitCode };
  } finally {
    process.stderr.write = write;
    process.exitCode = before;
  }
}

t.test('a missing model is reported plainly and exits non-zero', async (t) => {
  // With no libvosk at all the library error would come first; this test is about the model.
  const lib = ensureLibvosk();
  if ('error' in lib) throw new Error(lib.error);
  const r = await run(['--model', '/nonexistent/model', '--phrases', 'yes,no', 'x.wav']);
  t.not(r.exitCode ?? 0, 0);
  t.match(
    r.stderr,
    /speech model at \/nonexistent\/model: no such directory.*scripts\/fetch-model/,
  );
});

t.test('--flow needs --menu, and not together with --phrases', async (t) => {
  const a = await run(['--model', '/m', '--flow', 'examples/clinic.yaml', 'x.wav']);
  t.match(a.stderr, /--flow and --menu go together/);
  t.equal(a.exitCode, 2);
  const b = await run([
    '--model',
    '/m',
    '--flow',
    'examples/clinic.yaml',
    '--menu',
    'nope',
    'x.wav',
  ]);
  t.match(b.stderr, /has no menu "nope"; its menus are: /);
});
