import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_SETTINGS } from '@shared/dto/settings'
import { createLogger } from '../app/logger'
import { migrate } from '../store/migrate'
import { RequestLogRepository } from '../store/repositories/request-log.repository'
import { SettingRepository } from '../store/repositories/setting.repository'
import { fixedClock, FIXED_NOW, movableClock, requestLogEntry } from '../testing/factories'
import { createTestDatabase, type TestDatabase } from '../testing/test-db'
import { LogRetention } from './log-retention'

const DAY_MS = 86_400_000
const logger = createLogger('silent')

describe('LogRetention on a real database', () => {
  let db: TestDatabase
  let logs: RequestLogRepository
  let settings: SettingRepository

  beforeAll(async () => {
    db = await createTestDatabase('sqlite')
    await migrate(db.knex, null, fixedClock)
    logs = new RequestLogRepository(db.knex)
    settings = new SettingRepository(db.knex, fixedClock)
  })

  beforeEach(async () => {
    await db.knex('request_logs').delete()
    await db.knex('settings').delete()
  })

  afterAll(async () => {
    await db?.destroy()
  })

  /** One row per day, `days` days, the newest at FIXED_NOW. */
  const seedDaily = (days: number): Promise<void> =>
    logs.insertMany(Array.from({ length: days }, (_, i) => requestLogEntry(i, { time: FIXED_NOW - (days - 1 - i) * DAY_MS })))

  it('deletes rows older than logRetentionDays as the clock moves, in batches', async () => {
    await seedDaily(40)
    const clock = movableClock(FIXED_NOW)
    const retention = new LogRetention({ logs, settings, logger, now: clock, batch: 3 })
    // Default 30 days: the 9 rows more than 30 days old go; the one exactly 30 days old stays.
    expect(await retention.run()).toBe(9)
    expect(await logs.count()).toBe(31)
    expect(await retention.run()).toBe(0)
    clock.set(FIXED_NOW + 5 * DAY_MS)
    expect(await retention.run()).toBe(5)
    await settings.update({ logRetentionDays: 7 })
    expect(await retention.run()).toBe(23)
    const left = await logs.list(100)
    expect(left.map(r => r.time)).toEqual([FIXED_NOW, FIXED_NOW - DAY_MS, FIXED_NOW - 2 * DAY_MS])
  })

  it('keeps at most logMaxRows, the newest', async () => {
    await logs.insertMany(Array.from({ length: 1_200 }, (_, i) => requestLogEntry(i)))
    await settings.update({ logMaxRows: 1_000 })
    const retention = new LogRetention({ logs, settings, logger, now: () => FIXED_NOW, batch: 64 })
    expect(await retention.run()).toBe(200)
    expect(await logs.count()).toBe(1_000)
    expect((await logs.list(1_000, 999))[0]?.requestId).toBe('req-000200')
    expect(DEFAULT_SETTINGS.logMaxRows).toBe(1_000_000)
  })
})

describe('LogRetention scheduling', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  const settings = { getAll: async () => DEFAULT_SETTINGS }

  it('runs once at start, then every interval, and not after stop', async () => {
    vi.useFakeTimers()
    const deleteOldest = vi.fn(async () => 0)
    const retention = new LogRetention({ logs: { deleteOldest }, settings, logger, now: () => FIXED_NOW, intervalMs: 600_000 })
    retention.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(deleteOldest).toHaveBeenCalledTimes(1)
    expect(deleteOldest).toHaveBeenCalledWith({ before: FIXED_NOW - 30 * DAY_MS, keep: 1_000_000, batch: 5000 })
    await vi.advanceTimersByTimeAsync(600_000)
    expect(deleteOldest).toHaveBeenCalledTimes(2)
    await retention.stop()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(1_800_000)
    expect(deleteOldest).toHaveBeenCalledTimes(2)
  })

  it('stop waits for the running batch and starts no further one', async () => {
    let release = (): void => {}
    const deleteOldest = vi.fn(() => new Promise<number>(resolve => (release = () => resolve(10))))
    const retention = new LogRetention({ logs: { deleteOldest }, settings, logger, now: () => FIXED_NOW, batch: 10 })
    const run = retention.run()
    await vi.waitFor(() => expect(deleteOldest).toHaveBeenCalledTimes(1))
    let stopped = false
    const stopping = retention.stop().then(() => (stopped = true))
    await Promise.resolve()
    expect(stopped).toBe(false)
    release()
    await stopping
    // A full batch would normally be followed by another; stopping ended the loop instead.
    expect(await run).toBe(10)
    expect(deleteOldest).toHaveBeenCalledTimes(1)
  })

  it('overlapping runs share one prune, and a failure is logged, not thrown', async () => {
    const deleteOldest = vi.fn(async () => {
      throw new Error('database is away')
    })
    const warn = vi.spyOn(logger, 'warn')
    const retention = new LogRetention({ logs: { deleteOldest }, settings, logger, now: () => FIXED_NOW })
    const [a, b] = await Promise.all([retention.run(), retention.run()])
    expect([a, b]).toEqual([0, 0])
    expect(deleteOldest).toHaveBeenCalledTimes(1)
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: 'database is away' }), 'request log pruning failed')
    warn.mockRestore()
  })
})
