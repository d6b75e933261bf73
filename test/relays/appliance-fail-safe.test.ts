import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { Appliance } from '../../src/appliance/appliance.js';
import { parseConfigText } from '../../src/config/load-config.js';
import type { SimulatedLine } from '../../src/line/simulated/simulated-line.js';
import { silentLogger } from '../../src/shared/logger.js';

/** The real composition root on the simulated line and relays, with a real SQLite file. */
async function startAppliance(t: Test) {
  const dir = mkdtempSync(join(tmpdir(), 'lk-failsafe-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = parseConfigText(
    `dataDir: ${dir}/var\nline: { answerOnRing: 1 }\nweb: { enabled: false }\n`,
    'test',
  );
  const appliance = new Appliance(config, silentLogger());
  await appliance.start();
  t.teardown(() => appliance.stop());
  return { appliance, database: join(dir, 'var', 'linekeeper.db') };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<number | null> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (check()) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 1));
  }
  return null;
}

t.test(
  'storage failing under a call puts the line on the front desk within a second',
  async (t) => {
    const { appliance, database } = await startAppliance(t);
    t.equal(appliance.status().relays.lineSelect, 'appliance', 'healthy: the appliance answers');
    // Break storage for real: another connection drops the table the call record goes to.
    const db = new Database(database);
    db.exec('DROP TABLE calls');
    db.close();

    const line = appliance.line() as SimulatedLine;
    let hungUpAt = 0;
    void line.placeCall(
      {
        onAnswered: () =>
          setTimeout(() => {
            hungUpAt = performance.now();
            line.farEndHangsUp();
          }, 20),
        onPromptStarted: () => {},
        onPromptEnded: () => {},
        transferOutcome: () => 'no-answer',
        onHungUp: () => {},
      },
      { number: '5551234' },
    );
    const released = await waitFor(
      () => appliance.status().relays.lineSelect === 'front-desk',
      3000,
    );
    t.ok(released !== null, 'line-select released');
    const latencyMs = performance.now() - hungUpAt;
    t.ok(
      hungUpAt > 0 && latencyMs < 1000,
      `released ${latencyMs.toFixed(1)} ms after the call ended`,
    );
    t.comment(
      `storage failure -> line-select released ${latencyMs.toFixed(1)} ms after the failed save began`,
    );
  },
);

t.test('the line driver going down releases line-select', async (t) => {
  const { appliance } = await startAppliance(t);
  await (appliance.line() as SimulatedLine).stop();
  const released = await waitFor(() => appliance.status().relays.lineSelect === 'front-desk', 1000);
  t.ok(released !== null, `released after ${released?.toFixed(1)} ms`);
});
