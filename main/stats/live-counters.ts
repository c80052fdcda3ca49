/** Counters shown live in the tray and the dashboard; kept in memory only. */
export interface LiveSnapshot {
  inFlight: number
  requestsToday: number
  errorsToday: number
  inFlightByGroup: Record<string, number>
}

/** Live request counters; "today" restarts at local midnight. */
export class LiveCounters {
  private inFlight = 0
  private readonly byGroup = new Map<string, number>()
  private day: string
  private requests = 0
  private errors = 0

  constructor(private readonly now: () => number) {
    this.day = this.dayOf(now())
  }

  /** A request to `group` started. */
  begin(group: string): void {
    this.inFlight += 1
    this.byGroup.set(group, (this.byGroup.get(group) ?? 0) + 1)
  }

  /** A request to `group` ended, well or not. */
  end(group: string, failed: boolean): void {
    this.inFlight = Math.max(0, this.inFlight - 1)
    const left = (this.byGroup.get(group) ?? 1) - 1
    if (left > 0) this.byGroup.set(group, left)
    else this.byGroup.delete(group)
    this.rollDay()
    this.requests += 1
    if (failed) this.errors += 1
  }

  /** Current values. */
  snapshot(): LiveSnapshot {
    this.rollDay()
    return {
      inFlight: this.inFlight,
      requestsToday: this.requests,
      errorsToday: this.errors,
      inFlightByGroup: Object.fromEntries(this.byGroup)
    }
  }

  private rollDay(): void {
    const today = this.dayOf(this.now())
    if (today !== this.day) {
      this.day = today
      this.requests = 0
      this.errors = 0
    }
  }

  private dayOf(ms: number): string {
    return new Date(ms).toDateString()
  }
}
