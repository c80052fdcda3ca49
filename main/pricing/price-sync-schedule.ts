import type { Logger } from '../app/logger'
import type { PriceSync } from './price-sync'

const HOUR_MS = 3_600_000
/** How often the schedule checks whether a sync is due (the interval is a live setting). */
const TICK_MS = 60_000
/** After a failed sync (offline), the next try comes this soon, or at the interval when shorter. */
const RETRY_MS = HOUR_MS

/** What the schedule works with; narrow so tests can hand in fakes. */
export interface PriceSyncScheduleDeps {
  sync: Pick<PriceSync, 'sync' | 'lastSyncedAt'>
  /** The `priceSyncIntervalHours` setting (0: off), read at every check. */
  intervalHours: () => number
  now: () => number
  logger: Logger
  tickMs?: number
}

/**
 * Syncs the models.dev prices every `priceSyncIntervalHours`, counted from the last seed or sync
 * (so a fresh install waits one interval after seeding, and an app restarted after a long pause
 * syncs soon). A failure is a warning, logged once until a sync succeeds again (an offline laptop
 * would otherwise warn every hour), and never thrown.
 */
export class PriceSyncSchedule {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private lastAttempt = 0
  private failing = false

  constructor(private readonly deps: PriceSyncScheduleDeps) {}

  /** Starts checking; the timer never keeps the process alive. */
  start(): void {
    this.timer = setInterval(() => this.tick(), this.deps.tickMs ?? TICK_MS)
    this.timer.unref()
  }

  /** Stops the schedule and waits for a sync in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }

  private tick(): void {
    const hours = this.deps.intervalHours()
    if (hours <= 0 || this.running !== null) return
    const interval = hours * HOUR_MS
    const now = this.deps.now()
    const last = this.deps.sync.lastSyncedAt ?? 0
    if (now - last < interval || now - this.lastAttempt < Math.min(interval, RETRY_MS)) return
    this.lastAttempt = now
    this.running = this.run().finally(() => {
      this.running = null
    })
  }

  private async run(): Promise<void> {
    try {
      const result = await this.deps.sync.sync()
      this.failing = false
      this.deps.logger.info({ prices: result.prices, added: result.added, removed: result.removed, changed: result.changed }, 'models.dev prices synced')
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      if (this.failing) this.deps.logger.debug({ err: message }, 'scheduled price sync failed again')
      else this.deps.logger.warn({ err: message }, 'scheduled price sync failed; retrying later')
      this.failing = true
    }
  }
}
