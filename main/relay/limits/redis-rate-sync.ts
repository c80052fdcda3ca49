import { Redis } from 'ioredis'
import { deriveKey } from '../../security/secret-box'
import type { RateKind } from './key-limits'
import { RateSync, type RatePush, type RateRead, type RateSyncDeps } from './rate-sync'

/** Often enough that instances overshoot a shared rate by a quarter second of traffic, rarely enough to cost Redis little. */
const INTERVAL_MS = 250
/** Seconds a per-second counter is kept: the minute it counts toward, and as long again for clock skew between instances. */
const KEY_TTL_SEC = 120
/** A sync that takes longer counts as an outage: Redis is hung or far away. */
const COMMAND_TIMEOUT_MS = 1_000
/** Backoff between reconnection attempts while Redis is away. */
const RETRY_MIN_MS = 100
const RETRY_MAX_MS = 5_000

/** What the sync works with; narrow so tests can hand in their own prefix and clock. */
export interface RedisRateSyncDeps extends RateSyncDeps {
  /** redis:// or rediss:// URL. */
  url: string
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

/**
 * Shares the client keys' rpm and tpm counts through Redis (see RateSync): per-second counters
 * `<prefix><keyId>:<r|t>:<epoch second>` (INCRBY, kept 2 minutes), pushed and read back in one
 * pipeline. Commands fail at once while disconnected, and ioredis reconnects with backoff.
 */
export class RedisRateSync extends RateSync {
  private readonly redis: Redis
  private readonly prefix: string

  constructor(deps: RedisRateSyncDeps) {
    super(deps, deps.intervalMs ?? INTERVAL_MS, 'redis')
    this.prefix = deps.prefix
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

  protected override get connected(): boolean {
    return this.redis.status === 'ready'
  }

  /** Connects in the background. */
  protected override open(): void {
    // A failed first connection is reported by the error event and retried by the retry strategy.
    this.redis.connect().catch(() => undefined)
  }

  protected override async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect())
    else this.redis.disconnect()
  }

  protected override async exchange(pushes: readonly RatePush[], reads: readonly RateRead[]): Promise<ReadonlyArray<readonly number[]>> {
    const pipeline = this.redis.pipeline()
    for (const { keyId, kind, second, amount } of pushes) {
      const name = this.keyName(keyId, kind) + second
      pipeline.incrby(name, amount).expire(name, KEY_TTL_SEC)
    }
    // Read after every push, so the totals include this instance's and the replies come last.
    for (const { keyId, kind, from, through } of reads) {
      const name = this.keyName(keyId, kind)
      pipeline.mget(Array.from({ length: through - from + 1 }, (_, i) => name + (from + i)))
    }
    const results = await pipeline.exec()
    const failed = results?.find(([err]) => err !== null)?.[0]
    if (!results || failed) throw failed ?? new Error('redis pipeline aborted')
    return results.slice(results.length - reads.length).map(([, values]) => (values as Array<string | null>).map(value => Number(value ?? 0)))
  }

  private keyName(keyId: number, kind: RateKind): string {
    return `${this.prefix}${keyId}:${kind === 'requests' ? 'r' : 't'}:`
  }
}
