import type { LinekeeperError } from '../../shared/errors.js';
import type { TypedEmitter } from '../../shared/typed-emitter.js';

export interface RingInputEvents {
  /**
   * The ring-detector output changed level. `active` is true while ring voltage is present
   * (after the adapter applied active-low). Opto-coupler detectors pulse at the ring frequency
   * (16-50 Hz) rather than holding a level; the RingDetector makes rings of either.
   */
  edge: { active: boolean; atMs: number };
  error: { error: LinekeeperError };
}

/** The line interface board's ring-detect output, read as a GPIO input with edge events. */
export interface RingInput {
  readonly kind: string;
  readonly events: TypedEmitter<RingInputEvents>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
