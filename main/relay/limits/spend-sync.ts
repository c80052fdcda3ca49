import type { Logger } from '../../app/logger'
import type { UsageRepository } from '../../store/repositories/usage.repository'
import { monthStartUtc, type KeyLimits } from './key-limits'

/** Often enough that instances sharing a database overshoot a budget by seconds of spend, rarely enough to cost nothing. */
const INTERVAL_MS = 10_000

/** What the sync works with; narrow so tests can hand in fakes. */
export interface SpendSyncDeps {
  usage: Pick<UsageRepository, 'costByApiKeySince'>
  limits: KeyLimits
  logger: Logger
  now: () => number
  intervalMs?: number
}

/**
 * Keeps the limiter's month-to-date spend in step with the database, off the hot path: seeded
 * before the first request (so budgets survive restarts), then merged every interval (so several
 * instances on one database see each other's spend). Also drops idle keys' minute windows.
 */
export class SpendSync {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private readonly intervalMs: number

  constructor(private readonly deps: SpendSyncDeps) {
    this.intervalMs = deps.intervalMs ?? INTERVAL_MS
  }

  /** Reads this month's spend per key and merges it; rejects when the database cannot answer. */
  async refresh(): Promise<void> {
    const month = monthStartUtc(this.deps.now())
    const totals = await this.deps.usage.costByApiKeySince(month)
    this.deps.limits.mergeSpend(month, totals)
    this.deps.limits.evictIdle(this.deps.now())
  }

  /** Refreshes every interval; the timer never keeps the process alive. */
  start(): void {
    this.timer = setInterval(() => void this.run(), this.intervalMs)
    this.timer.unref()
  }

  /** Stops the timer and waits for a running refresh. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }

  private run(): Promise<void> {
    this.running ??= this.refresh()
      .catch((err: unknown) => {
        // A database away now is not fatal: the local spend goes on counting and the next run catches up.
        this.deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'monthly spend refresh failed')
      })
      .finally(() => {
        this.running = null
      })
    return this.running
  }
}
