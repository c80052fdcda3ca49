import { describe, expect, it } from 'vitest'
import { HealthRegistry } from './health'

function registry(): { health: HealthRegistry; advance: (ms: number) => void } {
  let now = 1_000_000
  const health = new HealthRegistry(() => now, { baseMs: 1000, maxMs: 8000 })
  return { health, advance: ms => (now += ms) }
}

describe('HealthRegistry', () => {
  it('cools a failing channel with exponential backoff capped at the maximum', () => {
    const { health, advance } = registry()
    const cooldowns: number[] = []
    for (let i = 0; i < 6; i++) {
      health.channelFailed(1, 'HTTP 500')
      const view = health.channelView(1)
      cooldowns.push((view.cooldownUntil ?? 0) - 1_000_000 - i * 10_000)
      expect(view).toMatchObject({ status: 'cooling', reason: 'HTTP 500', consecutiveFailures: i + 1 })
      advance(10_000)
    }
    expect(cooldowns).toEqual([1000, 2000, 4000, 8000, 8000, 8000])
  })

  it('lets exactly one request probe after the cooldown, then closes on success', () => {
    const { health, advance } = registry()
    health.channelFailed(7, 'connect ECONNREFUSED')
    expect(health.channelCooling(7)).toBe(true)
    advance(1000)
    expect(health.channelCooling(7)).toBe(false)
    health.begin(7, null)
    expect(health.channelCooling(7)).toBe(true)
    expect(health.channelView(7).status).toBe('half-open')
    health.succeeded(7, null)
    expect(health.channelCooling(7)).toBe(false)
    expect(health.channelView(7)).toEqual({ status: 'healthy', reason: null, consecutiveFailures: 0, cooldownUntil: null })
  })

  it('a failed probe cools again for longer', () => {
    const { health, advance } = registry()
    health.channelFailed(2, 'HTTP 502')
    advance(1000)
    health.begin(2, null)
    health.channelFailed(2, 'HTTP 502')
    expect(health.channelView(2)).toMatchObject({ status: 'cooling', consecutiveFailures: 2, cooldownUntil: 1_000_000 + 1000 + 2000 })
  })

  it('cools a throttled key for the time the provider asked, independent of the channel', () => {
    const { health, advance } = registry()
    health.keyThrottled(3, 'aaaa', 'HTTP 429', 30_000)
    expect(health.keyCooling(3, 'aaaa')).toBe(true)
    expect(health.keyCooling(3, 'bbbb')).toBe(false)
    expect(health.channelCooling(3)).toBe(false)
    advance(29_999)
    expect(health.keyCooling(3, 'aaaa')).toBe(true)
    advance(1)
    expect(health.keyCooling(3, 'aaaa')).toBe(false)
  })

  it('sets a bad key aside until the channel is reset, whatever succeeds meanwhile', () => {
    const { health, advance } = registry()
    health.keyDisabledBy(4, 'dead', 'HTTP 401: invalid api key')
    advance(3_600_000)
    health.succeeded(4, 'dead')
    expect(health.keyDisabled(4, 'dead')).toBe(true)
    expect(health.keyView(4, 'dead')).toMatchObject({ status: 'disabled', reason: 'HTTP 401: invalid api key', cooldownUntil: null })
    health.channelFailed(4, 'HTTP 500')
    health.reset(4)
    expect(health.keyDisabled(4, 'dead')).toBe(false)
    expect(health.channelView(4).status).toBe('healthy')
  })

  it('reset of one channel leaves the others alone', () => {
    const { health } = registry()
    health.channelFailed(5, 'x')
    health.channelFailed(50, 'y')
    health.reset(5)
    expect(health.channelView(5).status).toBe('healthy')
    expect(health.channelView(50).status).toBe('cooling')
  })
})
