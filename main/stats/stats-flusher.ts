import type { Knex } from 'knex'
import type { Logger } from '../app/logger'
import type { Repositories } from '../store/repositories'
import type { StatsRecorder } from './stats-recorder'

/**
 * Writes the recorder's batches every interval in one transaction (usage upserts and log rows
 * together, so a crash never leaves half a batch). A failed write is put back and retried.
 */
export class StatsFlusher {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Knex,
    private readonly repos: Repositories,
    private readonly recorder: StatsRecorder,
    private readonly intervalMs: number,
    private readonly logger: Logger
  ) {}

  /** Starts the periodic flush. */
  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs)
    this.timer.unref()
  }

  /** Writes what is pending now; flushes never overlap. */
  flush(): Promise<void> {
    this.running = this.running.then(() => this.writeBatch())
    return this.running
  }

  /** Stops the timer and writes the last batch. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.flush()
  }

  private async writeBatch(): Promise<void> {
    if (!this.recorder.pending) return
    const batch = this.recorder.takeBatch()
    try {
      await this.db.transaction(async trx => {
        await this.repos.usage.add(batch.usage, trx)
        await this.repos.requestLogs.insertMany(batch.logs, trx)
      })
    } catch (err) {
      this.recorder.restore(batch)
      this.logger.warn({ err: describe(err), pendingLogs: batch.logs.length }, 'stats flush failed; will retry')
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
