import { Redis } from 'ioredis'
import type { Logger } from '../../app/logger'
import { deriveKey } from '../../security/secret-box'
import type { KeyLimits, RateKind, RateWindow } from './key-limits'
import { MinuteWindow } from './minute-window'

/** Often enough that instances overshoot a shared rate by a quarter second of traffic, rarely enough to cost Redis little. */
const INTERVAL_MS = 250
/** Seconds a per-second counter is kept: the minute it counts toward, and as long again for clock skew between instances. */
const KEY_TTL_SEC = 120
/** Seconds in the sliding window. */
const WINDOW_SEC = 60
/**
 * A second this far back holds every instance's pushes (each pushes within an interval), so it is
 * not read again: a sync reads only the last few seconds, not the whole minute, for each key.
 */
const SETTLED_SEC = 2
/** A sync that takes longer counts as an outage: Redis is hung or far away. */
const COMMAND_TIMEOUT_MS = 1_000
/** Backoff between reconnection attempts while Redis is away. */
const RETRY_MIN_MS = 100
const RETRY_MAX_MS = 5_000

/** What the sync works with; narrow so tests can hand in their own prefix and clock. */
export interface RedisRateSyncDeps {
  /** redis:// or rediss:// URL. */
  url: string
  limits: KeyLimits
  logger: Logger
  now: () => number
  intervalMs?: number
  /** Start of every Redis key written: `rateKeyPrefix` of the master secret. */
  prefix: string
}

/**
 * The start of the Redis keys, from the master secret: instances on one database share the secret
 * and so their counts, while deployments that share a Redis but not a database (whose key ids
 * mean different keys) stay apart. Derived, so the secret itself never reaches Redis.
 */
export function rateKeyPrefix(master: Buffer): string {
  return `cuttle:rl:${deriveKey(master, 'redis-rate-keys').toString('hex').slice(0, 16)}:`
}

/** What the sync remembers of one rate window between runs. */
interface Tracked {
  rate: RateWindow
  /** What this instance has added to Redis, per second; the rest of `rate.own` is still to push. */
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
 * Shares the client keys' rpm and tpm counts between instances through Redis, off the hot path:
 * every interval it adds what this instance counted since the last push to per-second counters
 * (`<prefix><keyId>:<r|t>:<epoch second>`, INCRBY, kept 2 minutes) and reads the recent seconds'
 * totals back, all in one pipeline; the totals less this instance's own pushes become the
 * windows' `others`, which admission adds to its own counts. An instance therefore sees another's
 * requests up to one interval (plus a round trip) late: the shared limit is exceeded by at most
 * what the other instances admit in that time.
 *
 * When Redis is unreachable the others' counts are dropped, so each instance allows the full rate
 * on its own, with one warning per outage and one info line when Redis is back. What is not yet
 * pushed is `own` less `pushed`, within the window's fixed 60 buckets: an outage costs no memory,
 * counts older than a minute are simply never pushed, and the rest goes out on reconnection.
 */
export class RedisRateSync {
  private readonly redis: Redis
  private readonly intervalMs: number
  private tracked = new Map<string, Tracked>()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  /** A sync was asked for out of turn and has not started yet. */
  private wanted = false
  private down = false
  private stopping = false

  constructor(private readonly deps: RedisRateSyncDeps) {
    this.intervalMs = deps.intervalMs ?? INTERVAL_MS
    this.redis = new Redis(deps.url, {
      lazyConnect: true,
      // Commands fail at once while disconnected instead of queueing: a sync is skipped, never delayed.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: COMMAND_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: attempt => Math.min(RETRY_MIN_MS * 2 ** attempt, RETRY_MAX_MS)
    })
    // Every failed (re)connection emits one; the outage is reported once, not per attempt.
    this.redis.on('error', (err: Error) => this.markDown(err.message))
    this.redis.on('close', () => this.markDown('connection closed'))
  }

  /** Connects in the background and syncs every interval; the timer does not keep the process alive. */
  start(): void {
    // A failed first connection is reported by the error event and retried by the retry strategy.
    this.redis.connect().catch(() => undefined)
    this.timer = setInterval(() => void this.run(), this.intervalMs)
    this.timer.unref()
    // A key new to this instance is admitted on its own count until the others' are read: read them now.
    this.deps.limits.onNewRate(() => this.soon())
  }

  /** Whether the counts are shared right now: connected, and the last sync went through. */
  get sharing(): boolean {
    return this.redis.status === 'ready' && !this.down
  }

  /** Stops the timer, waits for a running sync and closes the connection. */
  async stop(): Promise<void> {
    this.stopping = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect())
    else this.redis.disconnect()
  }

  /** Syncs now, after the one running if any; a failure is handled as the timer's would be (outage warning). */
  async sync(): Promise<void> {
    await this.running
    await this.run()
  }

  /** Pushes this instance's new counts and reads the others'; rejects when Redis fails the pipeline. */
  private async pushAndRead(): Promise<void> {
    if (this.redis.status !== 'ready') return
    const second = Math.floor(this.deps.now() / 1000)
    const oldest = second - WINDOW_SEC + 1
    const pipeline = this.redis.pipeline()
    const pushes: Array<{ pushed: MinuteWindow; at: number; amount: number }> = []
    const reads: Array<{ tracked: Tracked; from: number; keys: string[] }> = []
    const tracked = new Map<string, Tracked>()
    for (const { keyId, kind, rate } of this.deps.limits.rates()) {
      const name = this.keyName(keyId, kind)
      let entry = this.tracked.get(name)
      // A window dropped and made again (idle key) starts with nothing pushed and nothing read.
      if (entry?.rate !== rate) entry = { rate, pushed: new MinuteWindow(), pushedFrom: -Infinity, readThrough: -Infinity }
      tracked.set(name, entry)
      for (let at = Math.max(oldest, entry.pushedFrom); at <= second; at++) {
        // Whole units only (INCRBY); a fraction would wait for the next push.
        const amount = Math.floor(rate.own.amountAt(at) - entry.pushed.amountAt(at))
        if (amount <= 0) continue
        pipeline.incrby(name + at, amount).expire(name + at, KEY_TTL_SEC)
        pushes.push({ pushed: entry.pushed, at, amount })
      }
      const from = Math.max(oldest, entry.readThrough + 1)
      reads.push({ tracked: entry, from, keys: Array.from({ length: second - from + 1 }, (_, i) => name + (from + i)) })
    }
    // Read after every push, so the totals include this instance's and the replies come last.
    for (const { keys } of reads) pipeline.mget(keys)
    // Windows gone from the limiter (idle keys) are forgotten here too.
    this.tracked = tracked
    if (reads.length === 0) return
    const results = await pipeline.exec()
    const failed = results?.find(([err]) => err !== null)?.[0]
    if (!results || failed) throw failed ?? new Error('redis pipeline aborted')
    for (const { pushed, at, amount } of pushes) pushed.set(at, pushed.amountAt(at) + amount)
    for (const { tracked: entry } of reads) entry.pushedFrom = second
    const totals = results.slice(results.length - reads.length)
    reads.forEach(({ tracked: entry, from }, i) => {
      const values = totals[i]?.[1] as Array<string | null>
      const others = (entry.rate.others ??= new MinuteWindow())
      values.forEach((value, offset) => others.set(from + offset, Math.max(0, Number(value ?? 0) - entry.pushed.amountAt(from + offset))))
      entry.readThrough = second - SETTLED_SEC
    })
  }

  private keyName(keyId: number, kind: RateKind): string {
    return `${this.deps.prefix}${keyId}:${kind === 'requests' ? 'r' : 't'}:`
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

  private markDown(reason: string): void {
    if (this.down || this.stopping) return
    this.down = true
    this.deps.limits.forgetOthers()
    // Read the whole minute again once back: the others' counts were just dropped.
    for (const entry of this.tracked.values()) entry.readThrough = -Infinity
    this.deps.logger.warn({ err: reason }, 'redis unreachable: client key rpm and tpm are counted per instance until it is back')
  }

  private markUp(): void {
    if (!this.down || this.redis.status !== 'ready') return
    this.down = false
    this.deps.logger.info('redis reachable again: client key rpm and tpm are shared between instances')
  }
}
