import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SqliteCallLog } from '../../src/storage/sqlite/sqlite-call-log.js';
import { SqliteCallStore } from '../../src/storage/sqlite/sqlite-call-store.js';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { localDay } from '../../src/web/routes/calls-per-hour-chart.js';
import { callRecord } from '../web/web-fixtures.js';

/** Berlin changes clocks on 2026-03-29 (02:00 -> 03:00) and 2026-10-25 (03:00 -> 02:00). */
t.test('calls per local hour on the days the clocks change', async (t) => {
  const savedTz = process.env.TZ;
  process.env.TZ = 'Europe/Berlin';
  const dir = mkdtempSync(join(tmpdir(), 'lk-hours-'));
  const file = join(dir, 'linekeeper.db');
  const store = new SqliteCallStore(file);
  await store.start();
  const db = new SqliteDatabase(file);
  await db.start();
  t.teardown(async () => {
    await db.stop();
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });
  const log = new SqliteCallLog(db);
  const save = (iso: string) => store.saveCall(callRecord({ startedAt: new Date(iso) }));

  // Spring: 01:30 CET and 03:30 CEST are an hour of real time apart, two bars apart.
  await save('2026-03-29T00:30:00Z');
  await save('2026-03-29T01:30:00Z');
  await save('2026-03-28T22:59:59Z'); // 23:59:59 the day before
  const spring = localDay(Date.parse('2026-03-29T10:00:00Z'));
  t.equal(spring.toMs - spring.fromMs, 23 * 3_600_000, 'a 23-hour day');
  const springCounts = log.callsPerLocalHour(spring.fromMs, spring.toMs);
  t.equal(springCounts.length, 24);
  t.equal(springCounts[1], 1, '01:30');
  t.equal(springCounts[2], 0, 'there is no 02:00 that day');
  t.equal(springCounts[3], 1, '03:30');
  t.equal(
    springCounts.reduce((a, b) => a + b, 0),
    2,
    'the evening before is not today',
  );

  // Autumn: 02:30 happens twice (CEST, then CET); both land in the 02 bar.
  await save('2026-10-25T00:30:00Z');
  await save('2026-10-25T01:30:00Z');
  const autumn = localDay(Date.parse('2026-10-25T10:00:00Z'));
  t.equal(autumn.toMs - autumn.fromMs, 25 * 3_600_000, 'a 25-hour day');
  const autumnCounts = log.callsPerLocalHour(autumn.fromMs, autumn.toMs);
  t.equal(autumnCounts[2], 2, 'both 02:30s');
  t.equal(
    autumnCounts.reduce((a, b) => a + b, 0),
    2,
  );
});
