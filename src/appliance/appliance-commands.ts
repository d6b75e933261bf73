/**
 * Operations that remote controls (MQTT command topics, the web page) may ask of the running
 * appliance. Each resolves with a short human-readable result or rejects with a LinekeeperError.
 */
/** `night` treats every business-hours check as closed (holidays, closing early). */
export type OperatingMode = 'day' | 'night';

export interface ApplianceCommands {
  setMode(mode: OperatingMode): Promise<string>;
  /** true: put the line on the front-desk phone now (relay released) until cleared. */
  forceFrontDesk(force: boolean): Promise<string>;
  reloadFlow(): Promise<string>;
}
