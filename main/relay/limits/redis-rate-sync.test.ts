import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { captureLog, type CapturedLog } from '../../testing/log-capture'
import { rateSyncProbe } from '../../testing/rate-sync-probe'
import { startTcpProxy, type TcpProxy } from '../../testing/tcp-proxy'
import { TEST_REDIS, TEST_REDIS_URL, deleteRedisKeys, redisAnswers, uniqueRedisPrefix } from '../../testing/test-redis'
import { KeyLimits, type LimitedKey } from './key-limits'
import { RedisRateSync } from './redis-rate-sync'

const redisUp = await redisAnswers()

describe.runIf(!redisUp)('client key rates shared through Redis', () => {
  it.skip(`needs a Redis answering PING at ${TEST_REDIS.host}:${TEST_REDIS.port}`, () => {})
})

/**
 * Two limiters, each with its own sync, share one Redis (keys under a prefix of this run's own,
 * deleted after). The clock stands still, so every count falls in one second of the minute; the
 * syncs are driven by hand except where the timer and reconnection are the point.
 */
describe.skipIf(!redisUp)('client key rates shared through Redis', () => {
  const prefix = uniqueRedisPrefix()
  const T = Date.now()
  const clock = (): number => T
  const running: RedisRateSync[] = []
  const proxies: TcpProxy[] = []
  let nextKeyId = 1
  const key = (limits: LimitedKey['limits']): LimitedKey => ({ id: nextKeyId++, name: 'shared', limits })

  /** A limiter and its started sync; the interval is an hour unless given, so only `sync()` moves counts. */
  async function instance(options: { url?: string; intervalMs?: number; log?: CapturedLog; connected?: boolean } = {}): Promise<{ limits: KeyLimits; sync: RedisRateSync; log: CapturedLog }> {
    const limits = new KeyLimits()
    const log = options.log ?? captureLog()
    const sync = new RedisRateSync({ url: options.url ?? TEST_REDIS_URL, prefix, limits, logger: log.logger, now: clock, intervalMs: options.intervalMs ?? 3_600_000 })
    running.push(sync)
    sync.start()
    if (options.connected ?? true) await vi.waitFor(() => expect(sync.sharing).toBe(true))
    return { limits, sync, log }
  }

  const { admitted, others, lines } = rateSyncProbe(clock)

  afterEach(async () => {
    await Promise.all(running.splice(0).map(sync => sync.stop()))
    await Promise.all(proxies.splice(0).map(proxy => proxy.close()))
  })

  afterAll(async () => {
    await deleteRedisKeys(prefix)
  })

  it('holds an rpm of 20 across two instances: 15 requests on one, then 15 on the other → 20 admitted, not 30', async () => {
    const a = await instance()
    const b = await instance()
    const k = key({ rpm: 20 })
    expect(admitted(a.limits, k, 15)).toBe(15)
    await a.sync.sync()
    // B's first request of a key it has not seen goes on its own count; its sync reads the rest.
    expect(admitted(b.limits, k, 1)).toBe(1)
    await b.sync.sync()
    expect(others(b.limits, k.id, 'requests')).toBe(15)
    expect(admitted(b.limits, k, 14)).toBe(4)
    // The refusal's retry-after counts the other instance's requests too: all in this second, so a minute.
    expect(b.limits.admit(k, clock())).toEqual({ limit: 'rpm', value: 20, retryAfterSec: 60 })
    await b.sync.sync()
    await a.sync.sync()
    expect(others(a.limits, k.id, 'requests')).toBe(5)
    expect(admitted(a.limits, k, 1)).toBe(0)
  })

  it('overshoots by at most what the other instance admits between two syncs when requests interleave', async () => {
    const a = await instance()
    const b = await instance()
    const k = key({ rpm: 20 })
    const perSync = 3
    let total = 0
    for (let round = 0; round < 15; round++) {
      total += admitted(a.limits, k, 1) + admitted(b.limits, k, 1)
      if (round % perSync === perSync - 1) await Promise.all([a.sync.sync(), b.sync.sync()])
    }
    expect(total).toBeGreaterThanOrEqual(20)
    // Each instance sees all but the other's last `perSync` requests.
    expect(total).toBeLessThanOrEqual(20 + perSync)
  })

  it('holds a tpm across two instances: tokens finished on either count on both', async () => {
    const a = await instance()
    const b = await instance()
    const k = key({ tpm: 1_000 })
    expect(a.limits.admit(k, clock())).toBeNull()
    a.limits.used(k, clock(), clock(), 600, null)
    await a.sync.sync()
    await b.sync.sync()
    expect(b.limits.admit(k, clock())).toBeNull()
    await b.sync.sync()
    expect(others(b.limits, k.id, 'tokens')).toBe(600)
    b.limits.used(k, clock(), clock(), 500, null)
    // B alone has 500 of 1 000, but with A's 600 the minute is full.
    expect(b.limits.admit(k, clock())).toEqual({ limit: 'tpm', value: 1_000, retryAfterSec: 60 })
    await b.sync.sync()
    await a.sync.sync()
    expect(others(a.limits, k.id, 'tokens')).toBe(500)
    expect(a.limits.admit(k, clock())).toEqual({ limit: 'tpm', value: 1_000, retryAfterSec: 60 })
  })

  it('counts per instance while Redis is cut, with one warning, and shares again once it is back', async () => {
    const proxy = await startTcpProxy(TEST_REDIS)
    proxies.push(proxy)
    // A goes through the proxy on its own timer (reconnection is the point); B syncs by hand.
    const a = await instance({ url: `redis://127.0.0.1:${proxy.port}`, intervalMs: 50 })
    const b = await instance()
    const k = key({ rpm: 10 })
    expect(admitted(a.limits, k, 1)).toBe(1)
    expect(admitted(b.limits, k, 5)).toBe(5)
    await b.sync.sync()
    await vi.waitFor(() => expect(others(a.limits, k.id, 'requests')).toBe(5))

    proxy.cut()
    await vi.waitFor(() => expect(lines(a.log, 40)).toHaveLength(1))
    expect(a.sync.sharing).toBe(false)
    expect(lines(a.log, 40)[0]).toContain('counted per instance')
    // On its own count A has 1 of 10: 9 more go through, where shared it would be 4.
    expect(admitted(a.limits, k, 12)).toBe(9)
    // Several reconnection attempts fail in this time; the outage is still one line.
    await new Promise(resolve => setTimeout(resolve, 800))
    expect(lines(a.log, 40)).toHaveLength(1)

    proxy.restore()
    await vi.waitFor(() => expect(lines(a.log, 30)).toEqual([expect.stringContaining('reachable again')]), { timeout: 10_000 })
    // A pushes the 10 it admitted meanwhile and reads B's 5 again; B reads A's 10.
    await a.sync.sync()
    await b.sync.sync()
    expect(others(a.limits, k.id, 'requests')).toBe(5)
    expect(others(b.limits, k.id, 'requests')).toBe(10)
    expect(admitted(a.limits, k, 1)).toBe(0)
    expect(admitted(b.limits, k, 1)).toBe(0)
    expect(lines(a.log, 40)).toHaveLength(1)
  })

  it('starts without blocking while Redis cannot be reached, admitting on its own count, and connects once it can', async () => {
    const proxy = await startTcpProxy(TEST_REDIS)
    proxies.push(proxy)
    proxy.cut()
    const a = await instance({ url: `redis://127.0.0.1:${proxy.port}`, intervalMs: 50, connected: false })
    const k = key({ rpm: 3 })
    expect(admitted(a.limits, k, 5)).toBe(3)
    await vi.waitFor(() => expect(lines(a.log, 40)).toHaveLength(1))
    proxy.restore()
    await vi.waitFor(() => expect(a.sync.sharing && lines(a.log, 30).length === 1).toBe(true), { timeout: 10_000 })
    // A pushed the 3 it admitted on its own: B's first request goes on B's count, and once B has read them it refuses.
    const b = await instance()
    await vi.waitFor(() => expect(b.limits.admit(k, clock())).toEqual({ limit: 'rpm', value: 3, retryAfterSec: 60 }))
  })

  it('stops at once while Redis cannot be reached', async () => {
    const proxy = await startTcpProxy(TEST_REDIS)
    proxies.push(proxy)
    proxy.cut()
    const a = await instance({ url: `redis://127.0.0.1:${proxy.port}`, intervalMs: 50, connected: false })
    await vi.waitFor(() => expect(lines(a.log, 40)).toHaveLength(1))
    const started = Date.now()
    await a.sync.stop()
    expect(Date.now() - started).toBeLessThan(1_000)
  })
})
