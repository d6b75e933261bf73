/**
 * An appliance reduced to its MQTT sink, run as its own process so a test can kill it the way
 * a power cut or an OOM kill would (SIGKILL: no goodbye, the broker must use the Last Will).
 * argv[2]: MqttSinkOptions as JSON. Prints `connected` once the broker accepted it.
 */
import { pino } from 'pino';
import type { MqttSinkOptions } from '../../../src/status/mqtt/mqtt-options.js';
import { MqttStatusSink } from '../../../src/status/mqtt/mqtt-status-sink.js';
import { RecordingCommands, status } from './sink-fixtures.js';

const options = JSON.parse(process.argv[2] ?? '{}') as MqttSinkOptions;
const sink = new MqttStatusSink({
  options,
  commands: new RecordingCommands(),
  audit: () => {},
  logger: pino({ level: 'silent' }),
});
await sink.start();
sink.publishStatus(status({ device: options.deviceId }));
const poll = setInterval(() => {
  const s = sink.stats();
  if (s.connected && s.published >= 1) {
    clearInterval(poll);
    process.stdout.write('connected\n');
  }
}, 10);
// Stay alive until killed.
setInterval(() => {}, 1 << 30);
