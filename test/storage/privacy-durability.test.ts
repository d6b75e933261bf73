import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { NumberSealer } from '../../src/privacy/number-sealer.js';
import { SqliteCallbackStore } from '../../src/storage/sqlite/sqlite-callback-store.js';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';

const dist = (path: string) => fileURLToPath(new URL(`../../dist/${path}`, import.meta.url));

t.test(
  'acknowledged callback requests survive kill -9 of the writer and still decrypt',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-kill-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'linekeeper.db');
    const secret = randomBytes(32).toString('hex');
    const script = `
    import { SqliteDatabase } from ${JSON.stringify(dist('storage/sqlite/sqlite-database.js'))};
    import { SqliteCallbackStore } from ${JSON.stringify(dist('storage/sqlite/sqlite-callback-store.js'))};
    import { NumberSealer } from ${JSON.stringify(dist('privacy/number-sealer.js'))};
    const db = new SqliteDatabase(${JSON.stringify(file)});
    await db.start();
    const store = new SqliteCallbackStore(db, new NumberSealer(Buffer.from('${secret}', 'hex')));
    for (let i = 0; ; i++) {
      const number = '+4930' + String(i).padStart(7, '0');
      const r = store.add({ callId: 'c' + i, number, callerHash: 'h' + i, callerHint: number.slice(-2),
        topic: null, window: null, language: 'en', createdAtMs: Date.now(), retentionMs: 86400000 });
      process.stdout.write(r.id + ' ' + number + '\\n');
    }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged = new Map<string, string>();
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () => resolve());
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          const [id, number] = line.split(' ');
          acknowledged.set(id!, number!);
        }
        if (acknowledged.size >= 200) child.kill('SIGKILL');
      });
    });
    t.ok(acknowledged.size >= 200, `${acknowledged.size} requests acknowledged before the kill`);
    const db = new SqliteDatabase(file);
    await db.start();
    const open = new SqliteCallbackStore(db, new NumberSealer(Buffer.from(secret, 'hex'))).open(0);
    const stored = new Map(open.map((c) => [c.id, c.number]));
    const lost = [...acknowledged].filter(([id, number]) => stored.get(id) !== number);
    t.same(lost, [], 'every acknowledged request is there, with its number');
    await db.stop();
  },
);

t.test('a full file system (a tiny tmpfs) gives STORAGE_FULL, not a crash', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    t.pass(
      'skipped: cannot mount a tmpfs here (needs root); privacy-tables.test.ts covers SQLITE_FULL',
    );
    return;
  }
  t.teardown(() => {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  const db = new SqliteDatabase(join(dir, 'linekeeper.db'));
  await db.start();
  const store = new SqliteCallbackStore(db, new NumberSealer(randomBytes(32)));
  let saved = 0;
  let failure: unknown = null;
  try {
    for (; saved < 100_000; saved++) {
      store.add({
        callId: `c${saved}`,
        number: `+4930${String(saved).padStart(7, '0')}`,
        callerHash: randomBytes(16).toString('hex'),
        callerHint: '00',
        topic: 'appointments',
        window: null,
        language: 'en',
        createdAtMs: Date.now(),
        retentionMs: 86_400_000,
      });
    }
  } catch (error) {
    failure = error;
  }
  t.ok(saved > 0, `${saved} requests fitted before the disk was full: ${String(failure)}`);
  t.match(failure, {
    code: 'STORAGE_FULL',
    message: /the disk holding .*linekeeper\.db is full; free space .* or move dataDir/,
  });
  const readable = store.open(0).length;
  t.equal(readable, saved, 'everything saved before the failure is still readable');
  await db.stop();
});
