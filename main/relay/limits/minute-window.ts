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
    this.set(second, this.amountAt(second) + amount)
  }

  /** What epoch second `second` holds; 0 once its bucket went to a later second. */
  amountAt(second: number): number {
    const slot = second % SECONDS
    return this.seconds[slot] === second ? (this.amounts[slot] as number) : 0
  }

  /** Replaces what epoch second `second` holds (the other instances' count, as read from Redis). */
  set(second: number, amount: number): void {
    const slot = second % SECONDS
    this.seconds[slot] = second
    this.amounts[slot] = amount
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
   * Whole seconds until the sum, with `others` added when given, falls below `limit` as the oldest
   * seconds leave the window; 0 when it already is below (the `retry-after` a refused client gets).
   */
  secondsUntilBelow(now: number, limit: number, others: MinuteWindow | null = null): number {
    const second = Math.floor(now / 1000)
    let sum = this.total(now) + (others?.total(now) ?? 0)
    if (sum < limit) return 0
    for (let at = second - SECONDS + 1; at <= second; at++) {
      sum -= this.amountAt(at) + (others?.amountAt(at) ?? 0)
      if (sum < limit) return at + SECONDS - second
    }
    return SECONDS
  }
}
