import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger } from '../../app/logger'
import { KeyLimits } from './key-limits'
import { SpendSync } from './spend-sync'

/** 2026-05-20T12:00:00Z. */
const NOW = Date.UTC(2026, 4, 20, 12)
const MAY = Date.UTC(2026, 4, 1)

describe('SpendSync', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('asks for the spend since the start of the UTC month and merges it', async () => {
    const limits = new KeyLimits()
    const costByApiKeySince = vi.fn(async () => new Map([[3, 4.5]]))
    await new SpendSync({ usage: { costByApiKeySince }, limits, logger: createLogger('silent'), now: () => NOW }).refresh()
    expect(costByApiKeySince).toHaveBeenCalledWith(MAY)
    expect(limits.spentThisMonth(3, NOW)).toBe(4.5)
  })

  it('refreshes every interval, logs a failed read and keeps going', async () => {
    vi.useFakeTimers()
    const logger = createLogger('silent')
    const warn = vi.spyOn(logger, 'warn')
    const limits = new KeyLimits()
    const answers = [Promise.reject(new Error('database away')), Promise.resolve(new Map([[3, 2]]))]
    answers[0]?.catch(() => undefined)
    const costByApiKeySince = vi.fn(() => answers.shift() ?? Promise.resolve(new Map<number, number>()))
    const sync = new SpendSync({ usage: { costByApiKeySince }, limits, logger, now: () => NOW, intervalMs: 10_000 })
    sync.start()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(warn).toHaveBeenCalledWith({ err: 'database away' }, 'monthly spend refresh failed')
    expect(limits.spentThisMonth(3, NOW)).toBe(0)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(limits.spentThisMonth(3, NOW)).toBe(2)
    await sync.stop()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(costByApiKeySince).toHaveBeenCalledTimes(2)
  })
})
