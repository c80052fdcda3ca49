import { afterEach, describe, expect, it, vi } from 'vitest'
import { LiveFeed, type LiveFeedSink } from './live-feed'

const TIMING = { intervalMs: 1000, keepaliveMs: 3000 }

function recordingSink(): LiveFeedSink & { log: string[] } {
  const log: string[] = []
  return { log, send: json => log.push(json), keepalive: () => log.push(':'), close: () => log.push('closed') }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('LiveFeed', () => {
  it('sends the value at once, then only changes, at most once per interval', () => {
    vi.useFakeTimers()
    let value = { n: 0 }
    const feed = new LiveFeed(() => value, TIMING)
    const sink = recordingSink()
    feed.subscribe(sink)
    expect(sink.log).toEqual(['{"n":0}'])
    value = { n: 1 }
    value = { n: 2 }
    vi.advanceTimersByTime(999)
    expect(sink.log).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(sink.log).toEqual(['{"n":0}', '{"n":2}'])
    vi.advanceTimersByTime(1000)
    expect(sink.log).toHaveLength(2)
  })

  it('sends a keepalive after keepaliveMs without a message', () => {
    vi.useFakeTimers()
    let value = 0
    const feed = new LiveFeed(() => value, TIMING)
    const sink = recordingSink()
    feed.subscribe(sink)
    vi.advanceTimersByTime(2000)
    value = 1
    vi.advanceTimersByTime(1000)
    // The change at 3 s reset the quiet time: the keepalive comes 3 s later.
    vi.advanceTimersByTime(2000)
    expect(sink.log).toEqual(['0', '1'])
    vi.advanceTimersByTime(1000)
    expect(sink.log).toEqual(['0', '1', ':'])
    vi.advanceTimersByTime(3000)
    expect(sink.log).toEqual(['0', '1', ':', ':'])
  })

  it('clears the timer on unsubscribe, twice is harmless', () => {
    vi.useFakeTimers()
    let value = 0
    const feed = new LiveFeed(() => value, TIMING)
    const sink = recordingSink()
    const unsubscribe = feed.subscribe(sink)
    expect(feed.subscribers).toBe(1)
    expect(vi.getTimerCount()).toBe(1)
    unsubscribe()
    unsubscribe()
    expect(feed.subscribers).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    value = 1
    vi.advanceTimersByTime(5000)
    expect(sink.log).toEqual(['0'])
  })

  it('close ends every subscriber and refuses new ones', () => {
    vi.useFakeTimers()
    const feed = new LiveFeed(() => 0, TIMING)
    const a = recordingSink()
    const b = recordingSink()
    feed.subscribe(a)
    feed.subscribe(b)
    expect(feed.subscribers).toBe(2)
    feed.close()
    expect(feed.subscribers).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    expect(a.log).toEqual(['0', 'closed'])
    const late = recordingSink()
    feed.subscribe(late)
    expect(late.log).toEqual(['closed'])
    expect(feed.subscribers).toBe(0)
  })
})
