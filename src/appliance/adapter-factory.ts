import type { Config } from '../config/config-schema.js';
import type { Line } from '../line/line-port.js';
import { SimulatedLine } from '../line/simulated/simulated-line.js';
import type { Relays } from '../relays/relays-port.js';
import { SimulatedRelays } from '../relays/simulated/simulated-relays.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Recognizer } from '../speech/recognizer-port.js';
import { SimulatedRecognizer } from '../speech/simulated/simulated-recognizer.js';
import { MemoryStatusSink } from '../status/simulated/memory-status-sink.js';
import type { StatusSink } from '../status/status-sink-port.js';
import type { CallStore } from '../storage/call-store-port.js';
import { SqliteCallStore } from '../storage/sqlite/sqlite-call-store.js';
import { dataPaths } from './paths.js';

/**
 * The one place that maps config to adapters. Hardware adapters are loaded with a lazy import()
 * so that tests and the simulator never load native modules they do not use.
 */
export async function createLine(config: Config, clock: Clock, _logger: Logger): Promise<Line> {
  switch (config.line.driver) {
    case 'simulated':
      return new SimulatedLine(clock);
    case 'modem':
      throw new Error('line.driver "modem" is not wired yet');
  }
}

export function createRecognizer(config: Config): Recognizer | null {
  return config.speech.engine === 'off' ? null : new SimulatedRecognizer();
}

export function createRelays(_config: Config, clock: Clock): Relays {
  return new SimulatedRelays(clock);
}

export async function createStatusSink(_config: Config, _logger: Logger): Promise<StatusSink> {
  return new MemoryStatusSink();
}

export function createCallStore(config: Config): CallStore {
  return new SqliteCallStore(dataPaths(config).database);
}
