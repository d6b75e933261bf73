import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { resolveFlowPath } from '../../src/ivr/parse-flow.js';
import { FlowFileStore, flowHash, flowSpecInEffect } from '../../src/web/flows/flow-file-store.js';

function dataDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-flowstore-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('an edited flow takes precedence over call.flow until it is reverted', async (t) => {
  const dir = dataDir(t);
  const store = new FlowFileStore({ configuredSpec: 'builtin:clinic', dataDir: dir });
  const builtin = readFileSync(resolveFlowPath('builtin:clinic'), 'utf8');
  t.equal(flowSpecInEffect('builtin:clinic', dir), 'builtin:clinic');
  t.match(store.inEffect(), { source: 'configured', hash: flowHash(builtin), text: builtin });
  t.equal(store.revert(), null, 'nothing to revert');

  t.same(store.save('one'), { oldHash: flowHash(builtin), newHash: flowHash('one') });
  t.equal(flowSpecInEffect('builtin:clinic', dir), join(dir, 'flows', 'active.yaml'));
  t.match(store.inEffect(), { source: 'edited', text: 'one', file: store.paths.active });
  t.equal(readFileSync(store.paths.previous, 'utf8'), builtin, 'the builtin flow is kept');
  t.equal(statSync(store.paths.active).mode & 0o777, 0o640, 'not world-readable');

  store.save('two');
  t.equal(readFileSync(store.paths.previous, 'utf8'), 'one', 'previous is the last version');
  t.same(readdirSync(store.paths.dir).sort(), ['active.yaml', 'previous.yaml']);

  t.same(store.revert(), { oldHash: flowHash('two'), newHash: flowHash(builtin) });
  t.equal(flowSpecInEffect('builtin:clinic', dir), 'builtin:clinic');
  t.equal(readFileSync(store.paths.previous, 'utf8'), 'two');
  t.ok(store.hasPrevious());
});
