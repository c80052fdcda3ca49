/** Seconds in the window. */
const SECONDS = 60

/**
 * A sum over the last minute, sliding by the second: a ring of 60 per-second buckets, each tagged
 * with the second it holds. Memory stays fixed however busy a key is, and a bucket from an older
 * minute is recognised by its tag, so nothing ever has to sweep the ring.
 */
export class MinuteWindow {
  private readonly amounts = new Float64Array(SECONDS)
  private readonly seconds = new Float64Array(SECONDS).fill(-Infinity)

  /** Adds `amount` at `now` (epoch ms). */
  add(now: number, amount: number): void {
    const second = Math.floor(now / 1000)
    const slot = second % SECONDS
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second
      this.amounts[slot] = 0
    }
    this.amounts[slot] = (this.amounts[slot] as number) + amount
  }

  /** The sum of the 60 seconds up to and including `now`'s second. */
  total(now: number): number {
    const second = Math.floor(now / 1000)
    let sum = 0
    for (let slot = 0; slot < SECONDS; slot++) {
      const at = this.seconds[slot] as number
      if (at > second - SECONDS && at <= second) sum += this.amounts[slot] as number
    }
    return sum
  }

  /**
   * Whole seconds until the sum falls below `limit` as the oldest seconds leave the window; 0 when
   * it already is below (the `retry-after` a refused client gets).
   */
  secondsUntilBelow(now: number, limit: number): number {
    const second = Math.floor(now / 1000)
    let sum = this.total(now)
    if (sum < limit) return 0
    for (let at = second - SECONDS + 1; at <= second; at++) {
      const slot = at % SECONDS
      if (this.seconds[slot] !== at) continue
      sum -= this.amounts[slot] as number
      if (sum < limit) return at + SECONDS - second
    }
    return SECONDS
  }
}
