import { describe, expect, it } from 'vitest'
import { relayErrors } from '../relay-errors'
import { KeyLimits, monthStartUtc, refusalError, type LimitedKey } from './key-limits'
import { MinuteWindow } from './minute-window'

/** 2026-03-31T23:59:00Z: a minute before a new month. */
const T0 = Date.UTC(2026, 2, 31, 23, 59, 0)
const APRIL = Date.UTC(2026, 3, 1)

const key = (limits: LimitedKey['limits'], id = 1): LimitedKey => ({ id, name: 'laptop', limits })

describe('MinuteWindow', () => {
  it('sums the last 60 seconds and forgets older ones without a sweep', () => {
    const window = new MinuteWindow()
    window.add(T0, 3)
    window.add(T0 + 30_000, 4)
    expect(window.total(T0 + 59_999)).toBe(7)
    expect(window.total(T0 + 60_000)).toBe(4)
    expect(window.total(T0 + 90_000)).toBe(0)
    // The slot of T0 is reused a minute later and starts from zero.
    window.add(T0 + 120_000, 1)
    expect(window.total(T0 + 120_000)).toBe(1)
  })

  it('says how many seconds until the sum falls below a limit', () => {
    const window = new MinuteWindow()
    window.add(T0, 2)
    window.add(T0 + 20_000, 2)
    expect(window.secondsUntilBelow(T0 + 30_000, 5)).toBe(0)
    // 4 ≥ 4: the 2 at T0 leave at T0+60 s, 30 s from now.
    expect(window.secondsUntilBelow(T0 + 30_000, 4)).toBe(30)
    // Below 2 needs both gone: the second pair leaves at T0+80 s.
    expect(window.secondsUntilBelow(T0 + 30_000, 2)).toBe(50)
  })

  it('adds the other instances\' window to the sum and to the seconds until below', () => {
    const own = new MinuteWindow()
    const others = new MinuteWindow()
    own.add(T0 + 20_000, 2)
    others.set(Math.floor(T0 / 1000), 3)
    expect(others.amountAt(Math.floor(T0 / 1000))).toBe(3)
    expect(own.secondsUntilBelow(T0 + 30_000, 6, others)).toBe(0)
    // 5 ≥ 5: the others' 3 at T0 leave 30 s from now.
    expect(own.secondsUntilBelow(T0 + 30_000, 5, others)).toBe(30)
    expect(own.secondsUntilBelow(T0 + 30_000, 5)).toBe(0)
  })
})

describe('KeyLimits', () => {
  it('admits against its own count plus the other instances\' until it forgets theirs', () => {
    const limits = new KeyLimits()
    const k = key({ rpm: 3, tpm: 100 })
    let created = 0
    limits.onNewRate(() => created++)
    expect(limits.admit(k, T0)).toBeNull()
    // One window per limit set, made on the first request, so the other instances' tokens count before this one's.
    expect(created).toBe(2)
    const rates = [...limits.rates()]
    expect(rates.map(({ keyId, kind }) => [keyId, kind])).toEqual([
      [1, 'requests'],
      [1, 'tokens']
    ])
    for (const { rate } of rates) {
      rate.others = new MinuteWindow()
      rate.others.set(Math.floor(T0 / 1000), rate === rates[0]?.rate ? 2 : 0)
    }
    expect(limits.admit(k, T0 + 1_000)).toEqual({ limit: 'rpm', value: 3, retryAfterSec: 59 })
    limits.forgetOthers()
    expect(limits.admit(k, T0 + 1_000)).toBeNull()
    expect(created).toBe(2)
  })

  it('admits an unlimited key always and keeps no window for it', () => {
    const limits = new KeyLimits()
    for (let i = 0; i < 10_000; i++) expect(limits.admit(key({}), T0)).toBeNull()
    limits.used(key({}), T0, T0, 1_000_000, 1_000)
    expect(limits.admit(key({}), T0)).toBeNull()
    expect(limits.trackedKeys).toBe(0)
  })

  it('refuses the request past rpm with the seconds until the oldest one leaves, and admits again after', () => {
    const limits = new KeyLimits()
    const k = key({ rpm: 3 })
    expect([T0, T0 + 10_000, T0 + 20_000].map(t => limits.admit(k, t))).toEqual([null, null, null])
    expect(limits.admit(k, T0 + 25_000)).toEqual({ limit: 'rpm', value: 3, retryAfterSec: 35 })
    // A refused request is not counted: one slot frees when T0 leaves.
    expect(limits.admit(k, T0 + 60_000)).toBeNull()
    expect(limits.admit(k, T0 + 61_000)).toEqual({ limit: 'rpm', value: 3, retryAfterSec: 9 })
  })

  it('counts tokens when requests finish and refuses once the minute holds tpm of them', () => {
    const limits = new KeyLimits()
    const k = key({ tpm: 1_000 })
    expect(limits.admit(k, T0)).toBeNull()
    limits.used(k, T0, T0 + 2_000, 999, null)
    expect(limits.admit(k, T0 + 3_000)).toBeNull()
    limits.used(k, T0, T0 + 4_000, 1, null)
    expect(limits.admit(k, T0 + 5_000)).toEqual({ limit: 'tpm', value: 1_000, retryAfterSec: 57 })
    expect(limits.admit(k, T0 + 62_000)).toBeNull()
  })

  it('refuses a key whose month-to-date spend reached its budget until the next UTC month', () => {
    const limits = new KeyLimits()
    const k = key({ monthlyBudgetUsd: 1 })
    limits.used(k, T0, T0, 100, 0.6)
    expect(limits.admit(k, T0)).toBeNull()
    limits.used(k, T0, T0, 100, 0.4)
    expect(limits.spentThisMonth(k.id, T0)).toBeCloseTo(1, 12)
    expect(limits.admit(k, T0 + 1_000)).toEqual({ limit: 'monthlyBudgetUsd', value: 1, retryAfterSec: null })
    expect(limits.admit(k, APRIL)).toBeNull()
    expect(limits.spentThisMonth(k.id, APRIL)).toBe(0)
  })

  it('books cost in the month the request started, and ignores a late one from a month already over', () => {
    const limits = new KeyLimits()
    const k = key({})
    limits.used(k, APRIL + 1_000, APRIL + 2_000, 10, 0.5)
    limits.used(k, T0, APRIL + 3_000, 10, 0.25)
    expect(limits.spentThisMonth(k.id, APRIL + 4_000)).toBe(0.5)
  })

  it('keeps spend for keys without a budget, so a budget set later starts from the real spend', () => {
    const limits = new KeyLimits()
    limits.used(key({}), T0, T0, 10, 3)
    expect(limits.admit(key({ monthlyBudgetUsd: 2 }), T0)?.limit).toBe('monthlyBudgetUsd')
  })

  it('merges the database spend as the larger of both, and only for the current month', () => {
    const limits = new KeyLimits()
    limits.used(key({}, 1), T0, T0, 10, 5)
    limits.mergeSpend(monthStartUtc(T0), new Map([[1, 4], [2, 7]]))
    expect(limits.spentThisMonth(1, T0)).toBe(5)
    expect(limits.spentThisMonth(2, T0)).toBe(7)
    limits.mergeSpend(monthStartUtc(T0), new Map([[1, 6]]))
    expect(limits.spentThisMonth(1, T0)).toBe(6)
    // A sum of March read after April began is not April's.
    expect(limits.admit(key({}), APRIL)).toBeNull()
    limits.mergeSpend(monthStartUtc(T0), new Map([[1, 9]]))
    expect(limits.spentThisMonth(1, APRIL)).toBe(0)
  })

  it('drops the windows of keys idle for a minute', () => {
    const limits = new KeyLimits()
    limits.admit(key({ rpm: 5 }, 1), T0)
    limits.admit(key({ tpm: 5 }, 2), T0 + 30_000)
    limits.evictIdle(T0 + 60_000)
    expect(limits.trackedKeys).toBe(1)
    limits.evictIdle(T0 + 90_000)
    expect(limits.trackedKeys).toBe(0)
  })

  it('picks the month start in UTC across a year end', () => {
    expect(monthStartUtc(Date.UTC(2026, 11, 31, 23, 59))).toBe(Date.UTC(2026, 11, 1))
    const limits = new KeyLimits()
    limits.used(key({}), Date.UTC(2026, 11, 31), Date.UTC(2026, 11, 31), 1, 2)
    expect(limits.spentThisMonth(1, Date.UTC(2027, 0, 1))).toBe(0)
  })
})

describe('refusalError', () => {
  it('names the limit and gives retry-after for the per-minute ones', () => {
    expect(refusalError('laptop', { limit: 'rpm', value: 60, retryAfterSec: 12 })).toEqual({
      error: relayErrors.overRequestRate('laptop', 60, 12),
      headers: { 'retry-after': '12' }
    })
    const tpm = refusalError('laptop', { limit: 'tpm', value: 100_000, retryAfterSec: 3 })
    expect(tpm.error.message).toBe("API key 'laptop' is over its limit of 100000 tokens per minute. Please try again in 3s.")
    const budget = refusalError('laptop', { limit: 'monthlyBudgetUsd', value: 25, retryAfterSec: null })
    expect(budget).toMatchObject({ error: { status: 429, code: 'insufficient_quota', message: "API key 'laptop' has spent its monthly budget of $25.00." }, headers: {} })
  })
})
