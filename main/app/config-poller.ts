import type { Logger } from './logger'
import type { ConfigRevision } from '../store/config-revision'

/** What the poller works with; narrow so tests can hand in fakes. */
export interface ConfigPollerDeps {
  revision: Pick<ConfigRevision, 'read'>
  /** The revision the in-memory state was loaded after (read before the first load). */
  applied: string | null
  /** Rebuilds everything held in memory from the database (route table with settings, price book). */
  rebuild: () => Promise<void>
  intervalMs: number
  logger: Logger
}

/**
 * Makes an admin change on one instance take effect on every instance sharing the database: reads
 * the config revision every interval, off the hot path, and rebuilds when it differs from the one
 * last applied. A local change is rebuilt at once by its own handler and then once more here, after
 * the poll sees its revision: harmless (a rebuild keeps balancer and health state), and simpler than
 * proving the local rebuild covered another instance's change published just before it.
 */
export class ConfigPoller {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private applied: string | null
  /** Set while polls fail, so an outage is logged once and its end once. */
  private failing = false

  constructor(private readonly deps: ConfigPollerDeps) {
    this.applied = deps.applied
  }

  /** Polls every interval; the timer never keeps the process alive. */
  start(): void {
    this.timer = setInterval(() => void this.poll(), this.deps.intervalMs)
    this.timer.unref()
  }

  /** Stops the timer and waits for a poll in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }

  /** Reads the revision and rebuilds if it changed; a poll still running is joined, not doubled. */
  poll(): Promise<void> {
    this.running ??= this.check().finally(() => {
      this.running = null
    })
    return this.running
  }

  private async check(): Promise<void> {
    try {
      const revision = await this.deps.revision.read()
      if (revision !== this.applied) {
        // Loaded after the read, so the rebuild holds at least that revision; a failure leaves it unapplied for the next poll.
        await this.deps.rebuild()
        this.applied = revision
      }
      if (this.failing) this.deps.logger.info('configuration polling works again')
      this.failing = false
    } catch (err) {
      if (!this.failing) {
        this.deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'cannot read the configuration revision; other instances\' changes wait until the database answers')
      }
      this.failing = true
    }
  }
}
