import type { Config } from '../../config/config-schema.js';
import type { Flow } from '../../ivr/flow-schema.js';
import type { PromptLibrary } from '../../prompts/prompt-library.js';
import type { SettingsStore } from './settings-store.js';

/** Restarting the appliance from the page. */
export interface RestartControl {
  /** Under systemd (Restart=always) the service comes back by itself; by hand it does not. */
  supervised: boolean;
  /**
   * Stops the appliance (the line goes to the front desk first) and exits so that systemd
   * starts it again. Injected, so tests record the request instead of ending the test runner.
   */
  request(): void;
}

/** What the settings, system and prompts pages need from the appliance. */
export interface SystemPagesDeps {
  /** The configuration the process runs with (config file and settings file as read at start). */
  running: Config;
  settings: SettingsStore;
  /** The flow calls are answered with now. */
  flow: () => Flow;
  /** Prompt audio: the rendered voice, and forgetting a prompt after an upload or re-render. */
  prompts: Pick<PromptLibrary, 'synthesized' | 'forget'>;
  /** `<dataDir>/recordings`: where uploads go (`<language>/<prompt id>.wav`). */
  recordingsDir: string;
  dataDir: string;
  startedAtMs: number;
  /** The MQTT status sink's own view of its connection. */
  mqtt: () => { state: 'ok' | 'degraded' | 'off'; detail: string };
  /** SHA-256 fingerprint of the page's TLS certificate; null over plain HTTP. */
  tlsFingerprint: string | null;
  restart: RestartControl;
}
