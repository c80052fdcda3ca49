/** Default span of the rate: long enough to smooth bursts, short enough to feel live. */
const WINDOW_MS = 10_000
/** Timestamps kept; the rate is exact up to CAPACITY / window (≈400 requests per second). */
const CAPACITY = 4096

/**
 * Events per second over a sliding window, from the times of the latest events kept in a
 * fixed ring buffer, so memory stays bounded however busy the relay is.
 */
export class RateWindow {
  private readonly times: Float64Array
  private next = 0
  private size = 0

  constructor(
    private readonly windowMs = WINDOW_MS,
    capacity = CAPACITY
  ) {
    this.times = new Float64Array(capacity)
  }

  /** Notes one event at `at` (ms); events are expected in time order. */
  add(at: number): void {
    this.times[this.next] = at
    this.next = (this.next + 1) % this.times.length
    if (this.size < this.times.length) this.size += 1
  }

  /** Events per second in the window ending at `now`, rounded to two decimals. */
  perSecond(now: number): number {
    const capacity = this.times.length
    const from = now - this.windowMs
    let count = 0
    let oldest = now
    // Newest first: the first time outside the window ends the walk, older ones are older still.
    for (let i = 1; i <= this.size; i++) {
      const at = this.times[(this.next - i + capacity) % capacity] ?? 0
      if (at <= from) break
      count += 1
      oldest = at
    }
    if (count === capacity) {
      // Every kept time is inside the window, so more happened than the ring holds: measure the
      // rate over the span the ring covers instead of the whole window.
      return round((count * 1000) / Math.max(now - oldest, 1))
    }
    return round((count * 1000) / this.windowMs)
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
