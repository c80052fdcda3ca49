import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PriceSyncResult } from '@shared/dto/price'
import { createLogger } from '../app/logger'
import { FIXED_NOW, movableClock } from '../testing/factories'
import { PriceSyncSchedule } from './price-sync-schedule'

const HOUR = 3_600_000
const RESULT: PriceSyncResult = { prices: 3, added: 1, removed: 0, changed: 2, url: 'http://127.0.0.1/api.json', syncedAt: 0 }

/** A sync that succeeds or fails as told, counting its calls and moving lastSyncedAt like the real one. */
function fakeSync(clock: () => number, lastSyncedAt: number | null) {
  const state = { calls: 0, fail: false, lastSyncedAt }
  return Object.assign(state, {
    async sync(): Promise<PriceSyncResult> {
      state.calls++
      if (state.fail) throw new Error('Could not reach models.dev: offline; the existing 3 prices are kept.')
      state.lastSyncedAt = clock()
      return RESULT
    }
  })
}

describe('PriceSyncSchedule', () => {
  let schedule: PriceSyncSchedule | null = null
  afterEach(async () => {
    await schedule?.stop()
    schedule = null
  })

  function start(sync: ReturnType<typeof fakeSync>, clock: () => number, hours: { value: number }) {
    const logger = createLogger('silent')
    const warn = vi.spyOn(logger, 'warn')
    const debug = vi.spyOn(logger, 'debug')
    const info = vi.spyOn(logger, 'info')
    schedule = new PriceSyncSchedule({ sync, intervalHours: () => hours.value, now: clock, logger, tickMs: 5 })
    schedule.start()
    return { warn, debug, info }
  }

  /** Lets a few ticks pass. */
  const ticks = (): Promise<void> => new Promise(resolve => setTimeout(resolve, 40))

  it('syncs one interval after the last sync, not before, and never when the interval is 0', async () => {
    const clock = movableClock(FIXED_NOW)
    const sync = fakeSync(clock, FIXED_NOW)
    const hours = { value: 0 }
    const { info } = start(sync, clock, hours)
    clock.set(FIXED_NOW + 1000 * HOUR)
    await ticks()
    expect(sync.calls).toBe(0)

    hours.value = 24
    clock.set(FIXED_NOW + 24 * HOUR - 1)
    sync.lastSyncedAt = FIXED_NOW
    await ticks()
    expect(sync.calls).toBe(0)
    clock.set(FIXED_NOW + 24 * HOUR)
    await vi.waitFor(() => expect(sync.calls).toBe(1))
    await ticks()
    expect(sync.calls).toBe(1)
    expect(info).toHaveBeenCalledWith({ prices: 3, added: 1, removed: 0, changed: 2 }, 'models.dev prices synced')
  })

  it('syncs soon when there are no models.dev prices', async () => {
    const clock = movableClock(FIXED_NOW)
    const sync = fakeSync(clock, null)
    start(sync, clock, { value: 24 })
    await vi.waitFor(() => expect(sync.calls).toBe(1))
  })

  it('warns once while failing, retries hourly, and warns again only after a success', async () => {
    const clock = movableClock(FIXED_NOW + 48 * HOUR)
    const sync = fakeSync(clock, FIXED_NOW)
    sync.fail = true
    const { warn, debug } = start(sync, clock, { value: 24 })
    await vi.waitFor(() => expect(sync.calls).toBe(1))
    await ticks()
    // Still failing, but the retry waits an hour.
    expect(sync.calls).toBe(1)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn).toHaveBeenCalledWith({ err: 'Could not reach models.dev: offline; the existing 3 prices are kept.' }, 'scheduled price sync failed; retrying later')

    clock.set(FIXED_NOW + 49 * HOUR)
    await vi.waitFor(() => expect(sync.calls).toBe(2))
    expect(warn).toHaveBeenCalledTimes(1)
    expect(debug).toHaveBeenCalledTimes(1)

    sync.fail = false
    clock.set(FIXED_NOW + 50 * HOUR)
    await vi.waitFor(() => expect(sync.calls).toBe(3))
    sync.fail = true
    clock.set(FIXED_NOW + 74 * HOUR)
    await vi.waitFor(() => expect(sync.calls).toBe(4))
    expect(warn).toHaveBeenCalledTimes(2)
  })
})
