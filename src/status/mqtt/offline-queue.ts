/**
 * FIFO with a hard size limit. When full, the oldest entry goes: on a clinic's box memory is
 * the scarce thing, and the newest events describe the call that is happening now.
 * A ring buffer, so push and shift stay O(1) however long the broker is away.
 */
export class OfflineQueue<T> {
  readonly limit: number;
  readonly #ring: (T | undefined)[];
  #head = 0;
  #size = 0;
  #dropped = 0;

  constructor(limit: number) {
    this.limit = limit;
    this.#ring = new Array<T | undefined>(limit);
  }

  get size(): number {
    return this.#size;
  }

  /** Total entries dropped since construction. */
  get dropped(): number {
    return this.#dropped;
  }

  push(item: T): void {
    if (this.#size === this.limit) {
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.limit;
      this.#size -= 1;
      this.#dropped += 1;
    }
    this.#ring[(this.#head + this.#size) % this.limit] = item;
    this.#size += 1;
  }

  /**
   * Puts entries back at the front, keeping their order (messages that were in flight when
   * the connection dropped). They are the oldest, so they are the first dropped if full.
   */
  unshiftAll(items: readonly T[]): void {
    for (let i = items.length - 1; i >= 0; i -= 1) {
      if (this.#size === this.limit) {
        this.#dropped += i + 1;
        return;
      }
      this.#head = (this.#head - 1 + this.limit) % this.limit;
      this.#ring[this.#head] = items[i];
      this.#size += 1;
    }
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#ring[this.#head];
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.limit;
    this.#size -= 1;
    return item;
  }
}
