import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { CallRecord } from '../../src/call/call-record.js';
import { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';

function record(id: string, startedAt: number, extra: Partial<CallRecord> = {}): CallRecord {
  return {
    id,
    startedAt: new Date(startedAt),
    endedAt: new Date(startedAt + 30_000),
    durationMs: 30_000,
    callerHash: 'a'.repeat(32),
    callerHint: '42',
    callerWithheld: null,
    route: 'transfer:reception',
    topic: null,
    choices: [{ node: 'main-menu', option: 'person', via: 'dtmf', atMs: 12_000 }],
    endReason: 'transferred',
    flowName: 'Example',
    callbackWindow: null,
    language: 'en',
    lineKind: 'simulated',
    ...extra,
  };
}

function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'lk-store-')), 'sub', 'linekeeper.db');
}

t.test('calls round-trip through a real SQLite file, newest first, with paging', async (t) => {
  const file = tempDb();
  const store = new SqliteCallStore(file);
  await store.start();
  for (let i = 0; i < 5; i++)
    await store.saveCall(
      record(`00000000-0000-0000-0000-00000000000${i}`, 1_700_000_000_000 + i * 1000),
    );
  const page1 = await store.recentCalls({ limit: 2 });
  t.same(
    page1.map((c) => c.id.slice(-1)),
    ['4', '3'],
  );
  const page2 = await store.recentCalls({ limit: 2, before: page1[1]!.id });
  t.same(
    page2.map((c) => c.id.slice(-1)),
    ['2', '1'],
  );
  t.same(page1[0]!.choices, [{ node: 'main-menu', option: 'person', via: 'dtmf', atMs: 12_000 }]);
  t.equal(page1[0]!.startedAt.getTime(), 1_700_000_004_000);
  t.equal(await store.countCallsSince(new Date(1_700_000_002_000)), 3);
  await store.stop();

  const reopened = new SqliteCallStore(file);
  await reopened.start();
  t.equal((await reopened.recentCalls({ limit: 10 })).length, 5, 'data survives a restart');
  await reopened.stop();
});

t.test('another connection sees new calls through the change token', async (t) => {
  const file = tempDb();
  const web = new SqliteCallStore(file);
  const simulator = new SqliteCallStore(file);
  await web.start();
  await simulator.start();
  const before = web.changeToken();
  await simulator.saveCall(record('00000000-0000-0000-0000-000000000001', Date.now()));
  t.not(web.changeToken(), before);
  await web.stop();
  await simulator.stop();
});

t.test('a duplicate call id is refused with a storage error, not silently replaced', async (t) => {
  const store = new SqliteCallStore(tempDb());
  await store.start();
  await store.saveCall(record('00000000-0000-0000-0000-000000000001', 1));
  await t.rejects(store.saveCall(record('00000000-0000-0000-0000-000000000001', 2)), {
    code: 'STORAGE_FAILED',
  });
  await store.stop();
});

t.test('a file that is not a database gives an actionable error', async (t) => {
  const file = tempDb();
  const store = new SqliteCallStore(file);
  await store.start();
  await store.stop();
  writeFileSync(file, Buffer.alloc(8192, 0x41));
  await t.rejects(new SqliteCallStore(file).start(), {
    code: 'STORAGE_CORRUPT',
    message: /is damaged .* restore a backup/,
  });
});

t.test('an unwritable location gives an actionable error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-store-'));
  writeFileSync(join(dir, 'not-a-dir'), 'x');
  await t.rejects(new SqliteCallStore(join(dir, 'not-a-dir', 'var', 'linekeeper.db')).start(), {
    code: 'STORAGE_UNWRITABLE',
    message: /check that dataDir exists and belongs to the linekeeper user/,
  });
});

t.test('a schema from a newer version is refused rather than damaged', async (t) => {
  const file = tempDb();
  const store = new SqliteCallStore(file);
  await store.start();
  await store.stop();
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  db.pragma('user_version = 99');
  db.close();
  await t.rejects(new SqliteCallStore(file).start(), {
    message: /newer than this linekeeper understands/,
  });
});

t.test('committed calls survive kill -9 of the writing process', async (t) => {
  const file = tempDb();
  const storeModule = fileURLToPath(
    new URL('../../dist/storage/sqlite/sqlite-call-store.js', import.meta.url),
  );
  // The child saves calls as fast as it can and prints each id once saveCall has resolved.
  const script = `
    import { SqliteCallStore } from ${JSON.stringify(storeModule)};
    const store = new SqliteCallStore(${JSON.stringify(file)});
    await store.start();
    for (let i = 0; ; i++) {
      const id = '00000000-0000-0000-0000-' + String(i).padStart(12, '0');
      await store.saveCall({ id, startedAt: new Date(), endedAt: new Date(), durationMs: 1, callerHash: null,
        callerHint: null, callerWithheld: 'private', route: 'hangup', topic: null, callbackWindow: null, language: 'en', choices: [],
        endReason: 'appliance-hangup', flowName: 'x', lineKind: 'simulated' });
      process.stdout.write(id + '\\n');
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acknowledged: string[] = [];
  let buffer = '';
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve());
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      acknowledged.push(...lines);
      if (acknowledged.length >= 200) child.kill('SIGKILL');
    });
  });
  t.ok(acknowledged.length >= 200, `${acknowledged.length} calls acknowledged before the kill`);
  const store = new SqliteCallStore(file);
  await store.start();
  const stored = new Set((await store.recentCalls({ limit: 500 })).map((c) => c.id));
  const lost = acknowledged.filter((id) => !stored.has(id));
  t.same(lost, [], 'no acknowledged call is lost');
  await store.stop();
  t.ok(readFileSync(file).length > 0);
});
