import type { RateCount, RateCountRepository } from '../../store/repositories/rate-count.repository'
import type { RateKind } from './key-limits'
import { RateSync, type RatePush, type RateRead, type RateSyncDeps } from './rate-sync'

/** Often enough that instances overshoot a shared rate by half a second of traffic, rarely enough to cost the database little. */
const INTERVAL_MS = 500
/** Seconds a row is kept: the minute it counts toward, and as long again for clock skew between instances. */
const KEEP_SEC = 120
/** How often old rows are deleted; every instance does it, so it needs no coordination. */
const PRUNE_EVERY_MS = 10_000
/** Rows deleted per prune at most (about): a backlog goes in steps rather than one long statement. */
const PRUNE_BATCH = 5_000
/** A sync that takes longer counts as an outage: the database is hung or far away. */
const TIMEOUT_MS = 1_000

/** What the sync works with; narrow so tests can hand in their own repository and clock. */
export interface DbRateSyncDeps extends RateSyncDeps {
  counts: Pick<RateCountRepository, 'add' | 'since' | 'prune'>
  intervalMs?: number
}

/** `work`, or a rejection once it has taken `ms`; `work` itself goes on. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const kindCode = (kind: RateKind): RateCount['kind'] => (kind === 'requests' ? 'r' : 't')

/**
 * Shares the client keys' rpm and tpm counts through the database (see RateSync), for instances
 * on one PostgreSQL or MariaDB database without Redis: each sync adds the new per-second counts
 * to `rate_counts` (an additive upsert, in one transaction), then reads the tracked keys' rows of
 * the seconds it still needs. A sync that fails or takes over a second is an outage; the database
 * is not asked again until the slow statement has settled, so a hung database cannot pile
 * statements up in the pool the requests' writes share.
 */
export class DbRateSync extends RateSync {
  private readonly counts: DbRateSyncDeps['counts']
  /** The statements of the last sync while they run, which may be after the sync gave up on them. */
  private inFlight: Promise<void> | null = null
  private prunedAt = -Infinity

  constructor(deps: DbRateSyncDeps) {
    super(deps, deps.intervalMs ?? INTERVAL_MS, 'database')
    this.counts = deps.counts
  }

  protected override async close(): Promise<void> {
    // The database closes after this in the shutdown: let a slow statement end first.
    await this.inFlight
  }

  protected override async exchange(pushes: readonly RatePush[], reads: readonly RateRead[]): Promise<ReadonlyArray<readonly number[]>> {
    if (this.inFlight) throw new Error('the previous sync is still waiting for the database')
    const work = this.writeAndRead(pushes, reads)
    this.inFlight = work
      .then(
        () => undefined,
        () => undefined
      )
      .then(() => {
        this.inFlight = null
      })
    return withTimeout(work, TIMEOUT_MS)
  }

  private async writeAndRead(pushes: readonly RatePush[], reads: readonly RateRead[]): Promise<number[][]> {
    await this.counts.add(pushes.map(push => ({ apiKeyId: push.keyId, kind: kindCode(push.kind), second: push.second, count: push.amount })))
    const from = Math.min(...reads.map(read => read.from))
    const stored = new Map<string, number>()
    for (const row of await this.counts.since([...new Set(reads.map(read => read.keyId))], from)) stored.set(`${row.apiKeyId}:${row.kind}:${row.second}`, row.count)
    const totals = reads.map(({ keyId, kind, from: first, through }) =>
      Array.from({ length: through - first + 1 }, (_, i) => stored.get(`${keyId}:${kindCode(kind)}:${first + i}`) ?? 0)
    )
    await this.pruneNowAndThen()
    return totals
  }

  private async pruneNowAndThen(): Promise<void> {
    const now = this.deps.now()
    if (now - this.prunedAt < PRUNE_EVERY_MS) return
    this.prunedAt = now
    await this.counts.prune(Math.floor(now / 1000) - KEEP_SEC, PRUNE_BATCH)
  }
}
