import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Appliance } from '../../src/appliance/appliance.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/shared/logger.js';

t.test('Vosk without a model: the appliance starts, answers by keys and says why', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-speech-'));
  const config = parseConfigText(
    `dataDir: ${dir}/var\nspeech: { engine: vosk, modelPath: ${dir}/no-model }\nweb: { enabled: false }\n`,
    'test',
  );
  const appliance = new Appliance(config, silentLogger());
  await appliance.start();
  t.teardown(() => appliance.stop());
  const { speech, relays } = appliance.status();
  t.equal(speech.kind, 'vosk');
  t.equal(speech.state, 'failed');
  t.match(speech.detail, /key menus only/);
  t.equal(relays.lineSelect, 'appliance', 'the line is still answered');
});
