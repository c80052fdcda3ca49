import { RateWindow } from './rate-window'

/** Counters shown live in the tray and the dashboard; kept in memory only. */
export interface LiveSnapshot {
  inFlight: number
  requestsToday: number
  errorsToday: number
  inFlightByGroup: Record<string, number>
  /** Requests finished per second over the last ~10 s. */
  requestsPerSecond: number
}

/** Live request counters; "today" restarts at local midnight. */
export class LiveCounters {
  private inFlight = 0
  private readonly byGroup = new Map<string, number>()
  private day: string
  /** [start, end) of `day` in ms: inside it the day cannot have changed, so no date is formatted. */
  private dayStart = 0
  private dayEnd = 0
  private requests = 0
  private errors = 0
  private readonly rate = new RateWindow()

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
    this.rate.add(this.rollDay())
    this.requests += 1
    if (failed) this.errors += 1
  }

  /** Current values. */
  snapshot(): LiveSnapshot {
    const now = this.rollDay()
    return {
      inFlight: this.inFlight,
      requestsToday: this.requests,
      errorsToday: this.errors,
      inFlightByGroup: Object.fromEntries(this.byGroup),
      requestsPerSecond: this.rate.perSecond(now)
    }
  }

  /** Starts a new day when midnight has passed; returns the time it read, so callers need not read it again. */
  private rollDay(): number {
    const now = this.now()
    if (now >= this.dayStart && now < this.dayEnd) return now
    const today = this.dayOf(now)
    if (today !== this.day) {
      this.day = today
      this.requests = 0
      this.errors = 0
    }
    return now
  }

  /** The local day of `ms`; also remembers that day's bounds (local midnights, so DST is right). */
  private dayOf(ms: number): string {
    const date = new Date(ms)
    this.dayStart = new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime()
    this.dayEnd = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime()
    return date.toDateString()
  }
}
