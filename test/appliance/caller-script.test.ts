import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadCallerScript } from '../../src/appliance/caller-script.js';
import { renderDtmf } from '../../src/audio/dtmf-generator.js';
import { writeWavFile } from '../../src/audio/wav-file.js';
import { loadFlow } from '../../src/ivr/parse-flow.js';
import { runSimulatedCall } from '../helpers/simulated-call.js';

const flow = loadFlow('builtin:clinic').flow;

t.test('a recording with key tones, sent by the caller, is heard as keys', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-script-'));
  // Key 4 at 44.1 kHz stereo with silence around it: the line converts it to 8 kHz mono.
  const tones = renderDtmf('4', { sampleRate: 44100 });
  const padded = new Int16Array(tones.length + 44100);
  padded.set(tones, 22050);
  await writeWavFile(join(dir, 'four.wav'), [padded, padded], { sampleRate: 44100 });
  writeFileSync(
    join(dir, 'call.yaml'),
    'caller: "+44 20 7946 0958"\nsteps:\n  - audio: four.wav\n',
  );
  const script = await loadCallerScript(join(dir, 'call.yaml'));
  t.equal(script.callerNumber, '+44 20 7946 0958');
  const { record, events } = await runSimulatedCall({ steps: script.steps }, { flow });
  t.equal(record.route, 'callback');
  t.equal(record.topic, 'test-results');
  t.ok(
    events.some(
      (e) => e.name === 'input-received' && (e.payload as { value: string }).value === '4',
    ),
    'key 4 detected in the audio',
  );
});

t.test('silence and hang-up steps', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-script-'));
  writeFileSync(join(dir, 'call.yaml'), 'steps:\n  - silence: true\n  - press: "3"\n');
  const quiet = await runSimulatedCall(
    { steps: (await loadCallerScript(join(dir, 'call.yaml'))).steps },
    { flow },
  );
  t.equal(quiet.record.route, 'info', 'silent once, then 3');
  t.ok(
    quiet.events.some(
      (e) =>
        e.name === 'prompt-played' && /did not hear/.test((e.payload as { text: string }).text),
    ),
  );
  writeFileSync(join(dir, 'gone.yaml'), 'steps:\n  - hangup: true\n');
  const gone = await runSimulatedCall(
    { steps: (await loadCallerScript(join(dir, 'gone.yaml'))).steps },
    { flow },
  );
  t.equal(gone.record.route, 'abandoned');
});

t.test('a bad script names the step and line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-script-'));
  writeFileSync(join(dir, 'bad.yaml'), 'steps:\n  - press: "1"\n  - pres: "2"\n');
  await t.rejects(loadCallerScript(join(dir, 'bad.yaml')), {
    message: /bad\.yaml:3:5: steps\[1\]/,
  });
  writeFileSync(join(dir, 'missing.yaml'), 'steps:\n  - audio: nowhere.wav\n');
  await t.rejects(loadCallerScript(join(dir, 'missing.yaml')), { message: /nowhere\.wav/ });
  writeFileSync(join(dir, 'time.yaml'), 'at: next tuesday\nsteps: []\n');
  await t.rejects(loadCallerScript(join(dir, 'time.yaml')), {
    message: /time\.yaml:1:1: at: "next tuesday" is not a date/,
  });
});
