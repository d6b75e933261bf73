import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { Appliance } from '../../src/appliance/appliance.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { SimulatedCaller } from '../../src/line/simulated/simulated-caller.js';
import type { SimulatedLine } from '../../src/line/simulated/simulated-line.js';
import { SystemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { editedFlowPaths, FlowFileStore } from '../../src/web/flows/flow-file-store.js';
import { SHORT_FLOW, until } from './flows-fixtures.js';

const EDITED = SHORT_FLOW.replace('dtmf: "1"', 'dtmf: "7"').replace(
  'We open at eight.',
  'Saturdays too.',
);

/** An appliance config in a fresh folder whose call.flow is SHORT_FLOW as a file of its own. */
function configWithFlowFile(t: { teardown: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'linekeeper-flows-appliance-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'flow.yaml'), SHORT_FLOW);
  return parseConfigText(
    `dataDir: ${dir}/var
call: { flow: ${dir}/flow.yaml, emergencyNotice: null }
web: { enabled: false }
guard: { enabled: false }
`,
    'test',
  );
}

/** Places one call and waits until the appliance has counted it. */
async function call(appliance: Appliance, digits: string, thinkMs = 100): Promise<void> {
  const line = appliance.line() as SimulatedLine;
  const before = appliance.status().callsToday;
  const caller = new SimulatedCaller(line, null, new SystemClock(), {
    steps: [{ kind: 'dtmf', digits }],
    thinkMs,
  });
  await line.placeCall(caller, { number: '+49 30 1234567' });
  await until('the call to be stored', async () => appliance.status().callsToday > before);
}

function heard(appliance: Appliance): string[] {
  return (appliance.line() as SimulatedLine).played.map((p) => p.prompt.text);
}

t.test(
  'the appliance runs the edited flow from the next call on, and after a restart',
  async (t) => {
    const config = configWithFlowFile(t);
    const store = new FlowFileStore({ configuredSpec: config.call.flow, dataDir: config.dataDir });
    let appliance = new Appliance(config, silentLogger());
    await appliance.start();
    t.teardown(() => appliance.stop());

    // A call in progress while the flow is saved and reloaded keeps the flow it started with.
    const inProgress = call(appliance, '1', 1500);
    await until('the first call to reach the menu', async () =>
      heard(appliance).includes('Press 1 or say hours.'),
    );
    store.save(EDITED);
    t.match(await appliance.reloadFlow(), 'calls in progress keep the old one');
    await inProgress;
    t.ok(
      heard(appliance).includes('We open at eight.'),
      'the running call finished on the old flow',
    );

    await call(appliance, '7');
    t.equal(heard(appliance).at(-2), 'Saturdays too.', 'the next call runs the edited flow');

    await appliance.stop();
    appliance = new Appliance(config, silentLogger());
    await appliance.start();
    await call(appliance, '7');
    t.equal(
      heard(appliance).at(-2),
      'Saturdays too.',
      'after a restart the edited flow is in effect',
    );

    store.revert();
    await appliance.reloadFlow();
    await call(appliance, '1');
    t.equal(heard(appliance).at(-2), 'We open at eight.', 'reverted: the configured flow again');
  },
);

t.test(
  'an edited flow that no longer passes falls back to call.flow instead of not answering',
  async (t) => {
    const config = configWithFlowFile(t);
    // Edited by hand on the card after it was saved from the page: no longer a flow.
    const { dir: flowsDir, active } = editedFlowPaths(config.dataDir);
    mkdirSync(flowsDir, { recursive: true });
    writeFileSync(active, 'version: 1\nname: broken\nstart: nowhere\nnodes: {}\n');
    const logged: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
    const appliance = new Appliance(config, logger);
    await appliance.start();
    t.teardown(() => appliance.stop());
    t.equal(appliance.status().line.state, 'idle', 'the appliance answers');
    await call(appliance, '1');
    t.ok(heard(appliance).includes('We open at eight.'), 'calls run the configured flow');
    t.match(
      logged.join(''),
      /flow edited on the web page .* is not usable/,
      'and says why, loudly',
    );
  },
);
