import type { Logger } from '../app/logger'
import type { RouteTableStore } from '../relay/routing/route-table-store'
import type { ChannelRepository } from '../store/repositories/channel.repository'
import type { ModelSync } from './model-sync'

const HOUR_MS = 3_600_000

/** What the schedule works with; narrow so tests can hand in fakes. */
export interface ModelSyncSchedulerDeps {
  sync: Pick<ModelSync, 'sync'>
  channels: Pick<ChannelRepository, 'list'>
  /** Carries the live settings (`modelSyncIntervalHours`). */
  routes: Pick<RouteTableStore, 'current'>
  logger: Logger
  now: () => number
  /** How often it checks whether a round is due (default 1 s). */
  tickMs?: number
}

/**
 * Syncs and applies the models of every enabled channel with `autoSync`, one channel after the
 * other, every `modelSyncIntervalHours` (0 = off). The interval is a live setting, so a cheap
 * in-memory check runs every second; the first round runs at the first check after start. A
 * failing channel is logged as a warning and the round goes on.
 */
export class ModelSyncScheduler {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private lastRun: number | null = null
  private abort = new AbortController()

  constructor(private readonly deps: ModelSyncSchedulerDeps) {}

  /** Starts checking; the timer never keeps the process alive. */
  start(): void {
    this.abort = new AbortController()
    this.timer = setInterval(() => this.tick(), this.deps.tickMs ?? 1_000)
    this.timer.unref()
  }

  /** Stops the schedule, aborts provider calls in flight and waits for the round to end. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.abort.abort()
    await this.running
  }

  /** One round over every enabled channel with `autoSync`. Never rejects. */
  async syncAll(): Promise<void> {
    const { logger } = this.deps
    let channels
    try {
      channels = (await this.deps.channels.list()).filter(channel => channel.enabled && channel.autoSync)
    } catch (err) {
      logger.warn({ err: messageOf(err) }, 'model sync skipped: the channels could not be read')
      return
    }
    for (const channel of channels) {
      if (this.abort.signal.aborted) return
      try {
        const result = await this.deps.sync.sync(channel.id, true, this.abort.signal)
        if (result && result.added.length > 0) {
          logger.info({ channel: channel.name, added: result.added, groups: result.groupsChanged.map(g => g.name) }, 'models synced')
        }
      } catch (err) {
        // Stopped mid-call at shutdown: not a provider failure worth a warning.
        if (this.abort.signal.aborted) return
        logger.warn({ channel: channel.name, err: messageOf(err) }, 'model sync failed')
      }
    }
  }

  private tick(): void {
    const hours = this.deps.routes.current().settings.modelSyncIntervalHours
    const now = this.deps.now()
    if (hours === 0 || this.running !== null) return
    if (this.lastRun !== null && now - this.lastRun < hours * HOUR_MS) return
    this.lastRun = now
    this.running = this.syncAll().finally(() => {
      this.running = null
    })
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
