import type { Knex } from 'knex'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createKnex } from '../../store/knex'
import { MIGRATIONS } from '../../store/migrations'
import { RateCountRepository } from '../../store/repositories/rate-count.repository'
import { captureLog, type CapturedLog } from '../../testing/log-capture'
import { rateSyncProbe } from '../../testing/rate-sync-probe'
import { startTcpProxy, type TcpProxy } from '../../testing/tcp-proxy'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../../testing/test-db'
import { DbRateSync } from './db-rate-sync'
import { KeyLimits, type LimitedKey } from './key-limits'

const servers = testDatabaseClients().filter(client => client !== 'sqlite')

describe.runIf(servers.length === 0)('client key rates shared through the database', () => {
  it.skip('needs CUTTLE_TEST_PG_URL or CUTTLE_TEST_MYSQL_URL', () => {})
})

/**
 * Two limiters, each with its own sync, share one migrated database, as two instances without
 * Redis would. The clock stands still, so every count falls in one second of the minute; the
 * syncs are driven by hand except where the timer and the outage are the point.
 */
describe.each(servers)('client key rates shared through the database on %s', client => {
  let db: TestDatabase
  const T = Date.now()
  const clock = (): number => T
  const running: DbRateSync[] = []
  const proxies: TcpProxy[] = []
  const knexes: Knex[] = []
  let nextKeyId = 1
  const key = (limits: LimitedKey['limits']): LimitedKey => ({ id: nextKeyId++, name: 'shared', limits })

  beforeAll(async () => {
    db = await createTestDatabase(client)
    for (const migration of MIGRATIONS) await migration.up(db.knex)
  })

  afterEach(async () => {
    await Promise.all(running.splice(0).map(sync => sync.stop()))
    await Promise.all(proxies.splice(0).map(proxy => proxy.close()))
    await Promise.all(knexes.splice(0).map(knex => knex.destroy()))
  })

  afterAll(async () => {
    await db?.destroy()
  })

  /** A limiter and its started sync on `knex`; the interval is an hour unless given, so only `sync()` moves counts. */
  function instance(options: { knex?: Knex; intervalMs?: number } = {}): { limits: KeyLimits; sync: DbRateSync; log: CapturedLog } {
    const limits = new KeyLimits()
    const log = captureLog()
    const counts = new RateCountRepository(options.knex ?? db.knex)
    const sync = new DbRateSync({ counts, limits, logger: log.logger, now: clock, intervalMs: options.intervalMs ?? 3_600_000 })
    running.push(sync)
    sync.start()
    return { limits, sync, log }
  }

  /** A knex on the test database through a proxy the test can cut. */
  async function proxiedKnex(): Promise<{ knex: Knex; proxy: TcpProxy }> {
    const url = new URL(db.dbUrl ?? '')
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) })
    proxies.push(proxy)
    url.hostname = '127.0.0.1'
    url.port = String(proxy.port)
    const knex = createKnex({ client: client === 'postgres' ? 'postgres' : 'mysql', url: url.toString() })
    knexes.push(knex)
    return { knex, proxy }
  }

  const { admitted, others, lines } = rateSyncProbe(clock)

  it('holds an rpm of 20 across two instances: 15 requests on one, then 15 on the other → 20 admitted, not 30', async () => {
    const a = instance()
    const b = instance()
    const k = key({ rpm: 20 })
    expect(admitted(a.limits, k, 15)).toBe(15)
    await a.sync.sync()
    // B's first request of a key it has not seen goes on its own count; its sync reads the rest.
    expect(admitted(b.limits, k, 1)).toBe(1)
    await b.sync.sync()
    expect(others(b.limits, k.id, 'requests')).toBe(15)
    expect(admitted(b.limits, k, 14)).toBe(4)
    expect(b.limits.admit(k, clock())).toEqual({ limit: 'rpm', value: 20, retryAfterSec: 60 })
    await b.sync.sync()
    await a.sync.sync()
    expect(others(a.limits, k.id, 'requests')).toBe(5)
    expect(admitted(a.limits, k, 1)).toBe(0)
  })

  it('overshoots by at most what the other instance admits between two syncs when requests interleave', async () => {
    const a = instance()
    const b = instance()
    const k = key({ rpm: 20 })
    const perSync = 3
    let total = 0
    for (let round = 0; round < 15; round++) {
      total += admitted(a.limits, k, 1) + admitted(b.limits, k, 1)
      if (round % perSync === perSync - 1) await Promise.all([a.sync.sync(), b.sync.sync()])
    }
    expect(total).toBeGreaterThanOrEqual(20)
    expect(total).toBeLessThanOrEqual(20 + perSync)
  })

  it('holds a tpm across two instances: tokens finished on either count on both', async () => {
    const a = instance()
    const b = instance()
    const k = key({ tpm: 1_000 })
    expect(a.limits.admit(k, clock())).toBeNull()
    a.limits.used(k, clock(), clock(), 600, null)
    await a.sync.sync()
    await b.sync.sync()
    expect(b.limits.admit(k, clock())).toBeNull()
    await b.sync.sync()
    expect(others(b.limits, k.id, 'tokens')).toBe(600)
    b.limits.used(k, clock(), clock(), 500, null)
    expect(b.limits.admit(k, clock())).toEqual({ limit: 'tpm', value: 1_000, retryAfterSec: 60 })
    await b.sync.sync()
    await a.sync.sync()
    expect(others(a.limits, k.id, 'tokens')).toBe(500)
    expect(a.limits.admit(k, clock())).toEqual({ limit: 'tpm', value: 1_000, retryAfterSec: 60 })
  })

  it('counts per instance while the database is cut, with one warning, and shares again once it is back', async () => {
    const { knex, proxy } = await proxiedKnex()
    // A goes through the proxy on its own timer (the outage and its end are the point); B syncs by hand.
    const a = instance({ knex, intervalMs: 50 })
    const b = instance()
    const k = key({ rpm: 10 })
    expect(admitted(a.limits, k, 1)).toBe(1)
    expect(admitted(b.limits, k, 5)).toBe(5)
    await b.sync.sync()
    await vi.waitFor(() => expect(others(a.limits, k.id, 'requests')).toBe(5))

    proxy.cut()
    await vi.waitFor(() => expect(lines(a.log, 40)).toHaveLength(1))
    expect(a.sync.sharing).toBe(false)
    expect(lines(a.log, 40)[0]).toBe('database unreachable: client key rpm and tpm are counted per instance until it is back')
    // On its own count A has 1 of 10: 9 more go through, where shared it would be 4.
    expect(admitted(a.limits, k, 12)).toBe(9)
    // Many syncs fail in this time; the outage is still one line.
    await new Promise(resolve => setTimeout(resolve, 800))
    expect(lines(a.log, 40)).toHaveLength(1)

    proxy.restore()
    await vi.waitFor(() => expect(lines(a.log, 30)).toEqual(['database reachable again: client key rpm and tpm are shared between instances']), { timeout: 10_000 })
    // A pushed the 10 it admitted meanwhile and read B's 5 again; B reads A's 10.
    await a.sync.sync()
    await b.sync.sync()
    expect(others(a.limits, k.id, 'requests')).toBe(5)
    expect(others(b.limits, k.id, 'requests')).toBe(10)
    expect(admitted(a.limits, k, 1)).toBe(0)
    expect(admitted(b.limits, k, 1)).toBe(0)
    expect(lines(a.log, 40)).toHaveLength(1)
  })

  it('deletes rows older than two minutes as it syncs', async () => {
    const counts = new RateCountRepository(db.knex)
    const second = Math.floor(T / 1000)
    await counts.add([
      { apiKeyId: 999, kind: 'r', second: second - 121, count: 1 },
      { apiKeyId: 999, kind: 'r', second: second - 60, count: 1 }
    ])
    const a = instance()
    expect(admitted(a.limits, key({ rpm: 5 }), 1)).toBe(1)
    await a.sync.sync()
    expect((await counts.since([999], 0)).map(row => row.second)).toEqual([second - 60])
  })
})
