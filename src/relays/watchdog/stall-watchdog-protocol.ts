/** Int32 cells shared between the main thread and the watchdog worker. */
export const BEAT = 0;
export const TRIPPED = 1;
export const CELL_COUNT = 2;

export interface StallReport {
  /** How long the main thread had been silent when the worker acted. */
  stalledMs: number;
  /** How long the release itself took on the worker. */
  releaseMs: number;
  ok: boolean;
  detail: string;
}

export type WorkerMessage = { type: 'armed' } | { type: 'tripped'; report: StallReport };
