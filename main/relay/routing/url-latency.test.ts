import { describe, expect, it } from 'vitest'
import { UrlLatency } from './url-latency'

describe('UrlLatency', () => {
  const urls = ['https://a.example', 'https://b.example', 'https://c.example']

  it('tries unmeasured URLs first, then the lowest moving average', () => {
    const latency = new UrlLatency(() => 0)
    expect(latency.order(1, urls)).toEqual(urls)
    latency.observe(1, urls[0] ?? '', 300)
    latency.observe(1, urls[1] ?? '', 100)
    expect(latency.order(1, urls)).toEqual(['https://c.example', 'https://b.example', 'https://a.example'])
    latency.observe(1, urls[2] ?? '', 200)
    expect(latency.order(1, urls)).toEqual(['https://b.example', 'https://c.example', 'https://a.example'])
  })

  it('moves with recent traffic but is not thrown by one spike', () => {
    const latency = new UrlLatency(() => 0)
    latency.observe(1, 'x', 100)
    latency.observe(1, 'x', 1000)
    expect(latency.latencyOf(1, 'x')).toBe(370)
    for (let i = 0; i < 20; i++) latency.observe(1, 'x', 50)
    expect(latency.latencyOf(1, 'x')).toBe(50)
  })

  it('puts an unreachable URL last for 30 s, and back when it answers again', () => {
    let now = 0
    const latency = new UrlLatency(() => now)
    latency.observe(2, urls[0] ?? '', 10)
    latency.observe(2, urls[1] ?? '', 500)
    latency.observe(2, urls[2] ?? '', 900)
    latency.unreachable(2, urls[0] ?? '')
    expect(latency.order(2, urls)[2]).toBe('https://a.example')
    now = 30_001
    expect(latency.order(2, urls)[0]).toBe('https://a.example')
    latency.unreachable(2, urls[0] ?? '')
    latency.observe(2, urls[0] ?? '', 10)
    expect(latency.order(2, urls)[0]).toBe('https://a.example')
  })

  it('keeps channels apart', () => {
    const latency = new UrlLatency(() => 0)
    latency.observe(1, 'u', 10)
    expect(latency.latencyOf(2, 'u')).toBeNull()
  })
})
