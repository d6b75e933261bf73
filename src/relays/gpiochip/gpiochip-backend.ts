import { findHeaderChip, type GpioChipInfo, lineOffset } from '../gpio-chips/gpio-chip-info.js';
import type { OutputLine, RelayBackend } from '../gpio-relays.js';
import type { RelayRole } from '../relays-port.js';
import type { FailSafePlan } from '../watchdog/fail-safe-plan.js';
import { GpiodHeldLine } from './gpiod-held-line.js';
import type { GpiodLine, GpiodTools } from './gpiod-tools.js';

export interface GpiochipBackendOptions {
  tools: GpiodTools;
  activeLow: boolean;
  chipLabels?: readonly string[];
}

/** Relays through the GPIO character device (/dev/gpiochipN), driven by the gpiod tools. */
export class GpiochipBackend implements RelayBackend {
  readonly kind = 'gpiochip';
  readonly #options: GpiochipBackendOptions;
  readonly #lines = new Map<RelayRole, { line: GpiodLine; pidCell: SharedArrayBuffer }>();
  #chip: GpioChipInfo | null = null;

  constructor(options: GpiochipBackendOptions) {
    this.#options = options;
  }

  chip(): GpioChipInfo | null {
    return this.#chip;
  }

  async prepare(): Promise<void> {
    await this.#options.tools.probe();
    const chips = await this.#options.tools.detect();
    this.#chip = findHeaderChip(chips, 'gpiodetect', this.#options.chipLabels);
  }

  async open(role: RelayRole, bcm: number): Promise<OutputLine> {
    if (!this.#chip) throw new Error('GpiochipBackend.open() before prepare()');
    const line: GpiodLine = {
      chip: this.#chip.name,
      offset: lineOffset(this.#chip, role, bcm),
      activeLow: this.#options.activeLow,
    };
    const pidCell = new SharedArrayBuffer(4);
    const held = new GpiodHeldLine(this.#options.tools, line, pidCell);
    await held.write(false);
    this.#lines.set(role, { line, pidCell });
    return held;
  }

  failSafePlan(role: RelayRole): FailSafePlan | null {
    const entry = this.#lines.get(role);
    if (!entry) return null;
    return {
      kind: 'gpiod-reset',
      holderPid: entry.pidCell,
      command: this.#options.tools.gpioset,
      args: this.#options.tools.releaseArgs(entry.line),
    };
  }
}
