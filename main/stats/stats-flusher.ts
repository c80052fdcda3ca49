import type { Knex } from 'knex'
import type { Logger } from '../app/logger'
import type { Repositories } from '../store/repositories'
import type { StatsRecorder } from './stats-recorder'

/** Log rows per INSERT statement. */
const LOG_SLICE = 200

/** Resolves after the event loop has run what was waiting (I/O callbacks included). */
const yieldToEventLoop = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

/**
 * Writes the recorder's batches every interval in one transaction (usage upserts and log rows
 * together, so a crash never leaves half a batch). A failed write is put back and retried.
 * SQLite runs each statement synchronously on the event loop, so log rows go in slices with the
 * loop let through in between: a relayed request waits for one statement at most, not a batch.
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
        for (let i = 0; i < batch.logs.length; i += LOG_SLICE) {
          if (i > 0) await yieldToEventLoop()
          await this.repos.requestLogs.insertMany(batch.logs.slice(i, i + LOG_SLICE), trx)
        }
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
