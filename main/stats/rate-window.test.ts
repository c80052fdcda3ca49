import { describe, expect, it } from 'vitest'
import { LiveCounters } from './live-counters'
import { RateWindow } from './rate-window'
import { movableClock, FIXED_NOW } from '../testing/factories'

describe('RateWindow', () => {
  it('is 0 with no events', () => {
    expect(new RateWindow().perSecond(FIXED_NOW)).toBe(0)
  })

  it('counts the events of the last window only', () => {
    const rate = new RateWindow(10_000, 64)
    for (let i = 0; i < 20; i++) rate.add(FIXED_NOW + i * 100)
    expect(rate.perSecond(FIXED_NOW + 2_000)).toBe(2)
    // Ten seconds after the first event it has left the window; the 19 others remain.
    expect(rate.perSecond(FIXED_NOW + 10_000)).toBe(1.9)
    expect(rate.perSecond(FIXED_NOW + 11_900)).toBe(0)
  })

  it('keeps bounded memory and still estimates a rate above its capacity', () => {
    const rate = new RateWindow(10_000, 100)
    // 1000 events per second for 5 s: far more than the 100 kept times.
    for (let i = 0; i < 5_000; i++) rate.add(FIXED_NOW + i)
    const estimate = rate.perSecond(FIXED_NOW + 5_000)
    expect(estimate).toBeGreaterThan(900)
    expect(estimate).toBeLessThan(1100)
    expect(rate.perSecond(FIXED_NOW + 20_000)).toBe(0)
  })

  it('reaches LiveCounters.snapshot as requestsPerSecond', () => {
    const clock = movableClock()
    const live = new LiveCounters(clock)
    for (let i = 0; i < 5; i++) {
      live.begin('smart')
      live.end('smart', false)
    }
    expect(live.snapshot()).toMatchObject({ requestsToday: 5, requestsPerSecond: 0.5 })
    clock.set(FIXED_NOW + 10_001)
    expect(live.snapshot()).toMatchObject({ requestsToday: 5, requestsPerSecond: 0 })
  })
})
