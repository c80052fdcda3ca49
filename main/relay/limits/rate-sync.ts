import type { Logger } from '../../app/logger'
import type { KeyLimits, RateKind, RateWindow } from './key-limits'
import { MinuteWindow } from './minute-window'

/** Seconds in the sliding window. */
const WINDOW_SEC = 60
/**
 * A second this far back holds every instance's pushes (each pushes within an interval of at most
 * half a second), so it is not read again: a sync reads only the last few seconds, not the whole
 * minute, for each key.
 */
const SETTLED_SEC = 2

/** Whole units this instance counted at one second of one key's rate, not yet in the shared store. */
export interface RatePush {
  keyId: number
  kind: RateKind
  second: number
  amount: number
}

/** The seconds `from` through `through` (epoch seconds, inclusive) of one key's rate, to read back. */
export interface RateRead {
  keyId: number
  kind: RateKind
  from: number
  through: number
}

/** What every rate sync works with; narrow so tests can hand in their own clock. */
export interface RateSyncDeps {
  limits: KeyLimits
  logger: Logger
  now: () => number
}

/** What the sync remembers of one rate window between runs. */
interface Tracked {
  rate: RateWindow
  /** What this instance has added to the shared store, per second; the rest of `rate.own` is still to push. */
  pushed: MinuteWindow
  /**
   * Second of the last push that went through: counts are only ever added at the current second,
   * so nothing earlier is left to push and a sync looks at a second or two, not the whole minute.
   */
  pushedFrom: number
  /** Latest second whose total is settled and already read; -Infinity to read the whole minute. */
  readThrough: number
}

/**
 * Shares the client keys' rpm and tpm counts between instances through a store they all reach
 * (Redis, or the database), off the hot path: every interval it adds what this instance counted
 * since the last push to per-second counters and reads the recent seconds' totals back; the
 * totals less this instance's own pushes become the windows' `others`, which admission adds to
 * its own counts. An instance therefore sees another's requests up to one interval (plus a round
 * trip) late: the shared limit is exceeded by at most what the other instances admit in that time.
 *
 * When the store fails, the others' counts are dropped, so each instance allows the full rate on
 * its own, with one warning per outage and one info line when the store is back. What is not yet
 * pushed is `own` less `pushed`, within the window's fixed 60 buckets: an outage costs no memory,
 * counts older than a minute are simply never pushed, and the rest goes out once the store is back.
 *
 * Subclasses say how one exchange (the pushes, then the reads) talks to their store.
 */
export abstract class RateSync {
  private tracked = new Map<string, Tracked>()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  /** A sync was asked for out of turn and has not started yet. */
  private wanted = false
  private down = false
  private stopping = false

  /** `store` names the shared store in the outage lines ("redis", "database"). */
  protected constructor(
    protected readonly deps: RateSyncDeps,
    private readonly intervalMs: number,
    private readonly store: string
  ) {}

  /**
   * Adds `pushes` to the shared counters, then answers each of `reads` with the totals of its
   * seconds in order (every instance's, this one's included); rejects when the store fails.
   */
  protected abstract exchange(pushes: readonly RatePush[], reads: readonly RateRead[]): Promise<ReadonlyArray<readonly number[]>>

  /** Whether the store can be asked right now; while it cannot, a sync is skipped rather than failed. */
  protected get connected(): boolean {
    return true
  }

  /** Called once on start, before the first sync (a connection made in the background). */
  protected open(): void {}

  /** Called once on stop, after the last sync. */
  protected async close(): Promise<void> {}

  /** Syncs every interval; the timer does not keep the process alive. */
  start(): void {
    this.open()
    this.timer = setInterval(() => void this.run(), this.intervalMs)
    this.timer.unref()
    // A key new to this instance is admitted on its own count until the others' are read: read them now.
    this.deps.limits.onNewRate(() => this.soon())
  }

  /** Whether the counts are shared right now: the store can be asked, and the last sync went through. */
  get sharing(): boolean {
    return this.connected && !this.down
  }

  /** Stops the timer, waits for a running sync and lets the subclass close its connection. */
  async stop(): Promise<void> {
    this.stopping = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
    await this.close()
  }

  /** Syncs now, after the one running if any; a failure is handled as the timer's would be (outage warning). */
  async sync(): Promise<void> {
    await this.running
    await this.run()
  }

  /** Marks the store unreachable: the others' counts are dropped, and the outage is reported once. */
  protected markDown(reason: string): void {
    if (this.down || this.stopping) return
    this.down = true
    this.deps.limits.forgetOthers()
    // Read the whole minute again once back: the others' counts were just dropped.
    for (const entry of this.tracked.values()) entry.readThrough = -Infinity
    this.deps.logger.warn({ err: reason }, `${this.store} unreachable: client key rpm and tpm are counted per instance until it is back`)
  }

  /** Pushes this instance's new counts and reads the others'; rejects when the store fails. */
  private async pushAndRead(): Promise<void> {
    if (!this.connected) return
    const second = Math.floor(this.deps.now() / 1000)
    const oldest = second - WINDOW_SEC + 1
    const pushes: RatePush[] = []
    const pushedTo: MinuteWindow[] = []
    const reads: RateRead[] = []
    const readInto: Tracked[] = []
    const tracked = new Map<string, Tracked>()
    for (const { keyId, kind, rate } of this.deps.limits.rates()) {
      const name = `${keyId}:${kind}`
      let entry = this.tracked.get(name)
      // A window dropped and made again (idle key) starts with nothing pushed and nothing read.
      if (entry?.rate !== rate) entry = { rate, pushed: new MinuteWindow(), pushedFrom: -Infinity, readThrough: -Infinity }
      tracked.set(name, entry)
      for (let at = Math.max(oldest, entry.pushedFrom); at <= second; at++) {
        // Whole units only (integer counters); a fraction would wait for the next push.
        const amount = Math.floor(rate.own.amountAt(at) - entry.pushed.amountAt(at))
        if (amount <= 0) continue
        pushes.push({ keyId, kind, second: at, amount })
        pushedTo.push(entry.pushed)
      }
      reads.push({ keyId, kind, from: Math.max(oldest, entry.readThrough + 1), through: second })
      readInto.push(entry)
    }
    // Windows gone from the limiter (idle keys) are forgotten here too.
    this.tracked = tracked
    if (reads.length === 0) return
    const totals = await this.exchange(pushes, reads)
    pushes.forEach(({ second: at, amount }, i) => {
      const pushed = pushedTo[i] as MinuteWindow
      pushed.set(at, pushed.amountAt(at) + amount)
    })
    readInto.forEach((entry, i) => {
      const { from } = reads[i] as RateRead
      const others = (entry.rate.others ??= new MinuteWindow())
      totals[i]?.forEach((total, offset) => others.set(from + offset, Math.max(0, total - entry.pushed.amountAt(from + offset))))
      entry.pushedFrom = second
      entry.readThrough = second - SETTLED_SEC
    })
  }

  /** Syncs without waiting for the interval, right after a running sync if there is one. */
  private soon(): void {
    if (this.stopping || this.wanted) return
    this.wanted = true
    // Not inside the admission that asked: its new window is in place by then, and its request goes on first.
    setImmediate(() => void this.run())
  }

  /** Runs one sync at a time. */
  private run(): Promise<void> {
    if (this.running) return this.running
    this.wanted = false
    this.running = this.pushAndRead()
      .then(() => this.markUp())
      .catch((err: unknown) => this.markDown(err instanceof Error ? err.message : String(err)))
      .finally(() => {
        this.running = null
        if (this.wanted && !this.stopping) void this.run()
      })
    return this.running
  }

  private markUp(): void {
    if (!this.down || !this.connected) return
    this.down = false
    this.deps.logger.info(`${this.store} reachable again: client key rpm and tpm are shared between instances`)
  }
}
