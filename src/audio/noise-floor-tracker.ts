/**
 * Background level of a telephone line by minimum statistics: the quietest short-term level
 * seen over the last few seconds. Speech has pauses (between words, in stop consonants) far
 * more often than every couple of seconds, so the minimum over that span sits on the line's
 * noise, hum and quantisation floor whether or not someone is talking; it follows a quieter
 * line at once and a noisier one within one span. Allocation-free; levels in dB.
 */
export class NoiseFloorTracker {
  readonly #subMins: Float64Array;
  readonly #framesPerSub: number;
  readonly #lowestDb: number;
  #sub = 0;
  #inSub = 0;
  #current = Number.POSITIVE_INFINITY;

  /** `frames` per span in `subWindows` parts; the floor never goes below `lowestDb`. */
  constructor(frames: number, subWindows: number, lowestDb: number) {
    this.#framesPerSub = Math.max(1, Math.round(frames / subWindows));
    this.#subMins = new Float64Array(subWindows).fill(Number.POSITIVE_INFINITY);
    this.#lowestDb = lowestDb;
  }

  /** Adds one frame's smoothed level (dB). */
  push(levelDb: number): void {
    if (levelDb < this.#current) this.#current = levelDb;
    if (++this.#inSub === this.#framesPerSub) {
      this.#subMins[this.#sub] = this.#current;
      this.#sub = (this.#sub + 1) % this.#subMins.length;
      this.#inSub = 0;
      this.#current = Number.POSITIVE_INFINITY;
    }
  }

  /** Current floor estimate in dB; `lowestDb` before any frame. */
  get floorDb(): number {
    let min = this.#current;
    const subs = this.#subMins;
    for (let i = 0; i < subs.length; i++) if (subs[i]! < min) min = subs[i]!;
    return Number.isFinite(min) ? Math.max(min, this.#lowestDb) : this.#lowestDb;
  }

  reset(): void {
    this.#subMins.fill(Number.POSITIVE_INFINITY);
    this.#sub = 0;
    this.#inSub = 0;
    this.#current = Number.POSITIVE_INFINITY;
  }
}
