import type { Logger } from '../app/logger'
import type { RequestLogRepository } from '../store/repositories/request-log.repository'
import type { SettingRepository } from '../store/repositories/setting.repository'

const DAY_MS = 86_400_000
/** Often enough that the table never grows far past its limits, rarely enough to cost nothing. */
const INTERVAL_MS = 10 * 60_000
/** Rows per DELETE: small enough that no statement locks the table (or SQLite file) for long. */
const BATCH = 5000

/** What the pruner works with; narrow so tests can hand in fakes. */
export interface LogRetentionDeps {
  logs: Pick<RequestLogRepository, 'deleteOldest'>
  settings: Pick<SettingRepository, 'getAll'>
  logger: Logger
  now: () => number
  intervalMs?: number
  batch?: number
}

/**
 * Keeps `request_logs` within `logRetentionDays` and `logMaxRows` (both read on every run, so a
 * settings change applies at the next one), deleting oldest first in bounded batches.
 */
export class LogRetention {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<number> | null = null
  private stopped = false
  private readonly intervalMs: number
  private readonly batch: number

  constructor(private readonly deps: LogRetentionDeps) {
    this.intervalMs = deps.intervalMs ?? INTERVAL_MS
    this.batch = deps.batch ?? BATCH
  }

  /** Prunes once now, then every interval; the timer never keeps the process alive. */
  start(): void {
    this.stopped = false
    this.timer = setInterval(() => void this.run(), this.intervalMs)
    this.timer.unref()
    void this.run()
  }

  /** Prunes now, or joins the prune already running; resolves to the rows deleted. Never rejects. */
  run(): Promise<number> {
    this.running ??= this.prune().finally(() => {
      this.running = null
    })
    return this.running
  }

  /** Stops the timer and waits for a running prune, which ends after its current batch. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }

  private async prune(): Promise<number> {
    if (this.stopped) return 0
    let deleted = 0
    try {
      const settings = await this.deps.settings.getAll()
      const before = this.deps.now() - settings.logRetentionDays * DAY_MS
      const opts = { before, keep: settings.logMaxRows, batch: this.batch }
      while (!this.stopped) {
        const gone = await this.deps.logs.deleteOldest(opts)
        deleted += gone
        if (gone < this.batch) break
      }
      if (deleted > 0) this.deps.logger.info({ deleted, retentionDays: settings.logRetentionDays, maxRows: settings.logMaxRows }, 'old request logs pruned')
    } catch (err) {
      // A database away now is not fatal: the next run catches up.
      this.deps.logger.warn({ err: err instanceof Error ? err.message : String(err), deleted }, 'request log pruning failed')
    }
    return deleted
  }
}
