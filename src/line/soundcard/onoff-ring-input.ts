import { findHeaderChip, sysfsNumber } from '../../relays/gpio-chips/gpio-chip-info.js';
import { readSysfsChips } from '../../relays/gpio-chips/read-sysfs-chips.js';
import { TypedEmitter } from '../../shared/typed-emitter.js';
import type { RingInput, RingInputEvents } from './ring-input-port.js';
import { SoundcardError } from './soundcard-errors.js';

export interface OnoffRingInputOptions {
  /** BCM pin of the line interface's ring-detect output. */
  bcmPin: number;
  /** Opto-coupler outputs usually pull low while ring voltage is present. */
  activeLow: boolean;
  /** Labels of the header GPIO chip; empty means a Raspberry Pi. */
  chipLabels?: readonly string[];
  sysfsRoot?: string;
}

interface OnoffGpio {
  watch(callback: (error: Error | null | undefined, value: number) => void): void;
  unexport(): void;
}

/**
 * The ring-detect input over sysfs GPIO (`onoff`, interrupt-driven edges). The pin's sysfs
 * number is the header chip's base plus the BCM number, read from the kernel (512+ on 6.6),
 * never assumed. Debouncing is left to the RingDetector, which knows ring cadences.
 */
export class OnoffRingInput implements RingInput {
  readonly kind = 'onoff';
  readonly events = new TypedEmitter<RingInputEvents>();
  readonly #options: OnoffRingInputOptions;
  #gpio: OnoffGpio | undefined;

  constructor(options: OnoffRingInputOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const root = this.#options.sysfsRoot ?? '/sys/class/gpio';
    const chips = await readSysfsChips(root);
    const labels = this.#options.chipLabels?.length ? this.#options.chipLabels : undefined;
    const chip = findHeaderChip(chips, root, labels);
    const number = sysfsNumber(chip, 'ring-detect', this.#options.bcmPin);
    const { Gpio } = (await import('onoff')) as unknown as {
      Gpio: new (
        n: number,
        direction: 'in',
        edge: 'both',
        options: { activeLow: boolean },
      ) => OnoffGpio;
    };
    try {
      this.#gpio = new Gpio(number, 'in', 'both', { activeLow: this.#options.activeLow });
    } catch (error) {
      throw new SoundcardError(
        'RING_INPUT_FAILED',
        `ring-detect input BCM ${this.#options.bcmPin} (sysfs gpio${number}) cannot be opened: ${String(error)}; check line.soundcard.ringPin and that linekeeper is in the gpio group`,
        { cause: error },
      );
    }
    this.#gpio.watch((error, value) => {
      if (error) {
        this.events.emit('error', {
          error: new SoundcardError(
            'RING_INPUT_FAILED',
            `ring-detect input failed: ${error.message}`,
            {
              cause: error,
            },
          ),
        });
        return;
      }
      this.events.emit('edge', { active: value === 1, atMs: performance.now() });
    });
  }

  async stop(): Promise<void> {
    this.#gpio?.unexport();
    this.#gpio = undefined;
  }
}
