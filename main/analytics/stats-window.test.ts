import { describe, expect, it } from 'vitest'
import { ANALYTICS_NOW, at } from '../testing/usage-fixture'
import { bucketStart, bucketStarts, DAY_MS, HOUR_MS, resolveWindow, type WindowQuery } from './stats-window'

describe('resolveWindow at 2023-11-14T22:13:20Z', () => {
  const END = at('2023-11-14T23:00:00Z')
  it.each<[string, WindowQuery, string]>([
    ['today at UTC', { range: 'today', tz: 0 }, '2023-11-14T00:00:00Z'],
    // 00:13 on Nov 15 local: today began two hours ago.
    ['today at UTC+2', { range: 'today', tz: 120 }, '2023-11-14T22:00:00Z'],
    ['today at UTC-5', { range: 'today', tz: -300 }, '2023-11-14T05:00:00Z'],
    // 03:43 on Nov 15 local; midnight was 18:30Z.
    ['today at UTC+5:30', { range: 'today', tz: 330 }, '2023-11-14T18:30:00Z'],
    ['today at UTC+14', { range: 'today', tz: 840 }, '2023-11-14T10:00:00Z'],
    ['today at UTC-12', { range: 'today', tz: -720 }, '2023-11-14T12:00:00Z'],
    ['7 days at UTC+5:30', { range: '7d', tz: 330 }, '2023-11-08T18:30:00Z'],
    ['30 days at UTC-5', { range: '30d', tz: -300 }, '2023-10-16T05:00:00Z'],
    ['no range: today', { tz: 60 }, '2023-11-13T23:00:00Z']
  ])('%s', (_label, query, from) => {
    expect(resolveWindow(query, ANALYTICS_NOW)).toEqual({ from: at(from), to: END, tzMs: query.tz * 60_000 })
  })

  it('keeps an explicit window as given', () => {
    expect(resolveWindow({ from: 5, to: 10, tz: -300 }, ANALYTICS_NOW)).toEqual({ from: 5, to: 10, tzMs: -18_000_000 })
  })
})

describe('buckets', () => {
  it('puts an hour in the local day its start belongs to (UTC+5:30: 18:00Z is 23:30 the day before)', () => {
    const offset = 330 * 60_000
    expect(bucketStart(at('2023-11-14T18:00:00Z'), DAY_MS, offset)).toBe(at('2023-11-13T18:30:00Z'))
    expect(bucketStart(at('2023-11-14T19:00:00Z'), DAY_MS, offset)).toBe(at('2023-11-14T18:30:00Z'))
  })

  it('spans the buckets of the first and last hour starting in the window', () => {
    const window = { from: at('2023-11-14T18:30:00Z'), to: at('2023-11-14T23:00:00Z'), tzMs: 330 * 60_000 }
    expect(bucketStarts(window, HOUR_MS, 0)).toEqual(['19', '20', '21', '22'].map(h => at(`2023-11-14T${h}:00:00Z`)))
    expect(bucketStarts(window, DAY_MS, window.tzMs)).toEqual([at('2023-11-14T18:30:00Z')])
    expect(bucketStarts({ ...window, to: at('2023-11-14T19:00:00Z') }, HOUR_MS, 0)).toEqual([])
  })
})
