import { describe, expect, it } from 'vitest'
import { at } from '../testing/usage-fixture'
import { csvField, csvFileName, isoAtOffset, seriesCsv } from './usage-csv'

describe('usage CSV', () => {
  it('quotes only fields with a comma, quote or line break, doubling quotes (RFC 4180)', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', ''].map(csvField)).toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\r"', ''])
  })

  it('writes times at the client offset', () => {
    const t = at('2023-11-14T18:30:00Z')
    expect(isoAtOffset(t, 0)).toBe('2023-11-14T18:30:00+00:00')
    expect(isoAtOffset(t, 330)).toBe('2023-11-15T00:00:00+05:30')
    expect(isoAtOffset(t, -300)).toBe('2023-11-14T13:30:00-05:00')
    expect(isoAtOffset(t, -570)).toBe('2023-11-14T09:00:00-09:30')
  })

  it('names the file by the first and last local day of the window', () => {
    const window = { from: at('2023-11-13T22:00:00Z'), to: at('2023-11-15T22:00:00Z') }
    expect(csvFileName({ ...window, tz: 120 })).toBe('cuttle-usage-2023-11-14-2023-11-15.csv')
    expect(csvFileName({ ...window, tz: 0 })).toBe('cuttle-usage-2023-11-13-2023-11-15.csv')
  })

  it('prints small costs without exponent, an empty mean without requests, and the "other" key empty', () => {
    const point = { t: 0, requests: 1, failures: 0, inputTokens: 1, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, cost: 1e-7, unpricedRequests: 0, avgLatencyMs: 12.5 }
    const csv = seriesCsv({
      from: 0,
      to: 3_600_000,
      tz: 0,
      bucket: 'hour',
      groupBy: 'group',
      series: [
        { key: 'a', label: 'a', points: [point] },
        { key: null, label: 'other', points: [{ ...point, requests: 0, inputTokens: 0, cost: 0, avgLatencyMs: null }] }
      ]
    })
    expect(csv.split('\r\n').slice(1)).toEqual(['1970-01-01T00:00:00+00:00,a,a,1,0,1,0,0,0,0.0000001,0,12.5', '1970-01-01T00:00:00+00:00,,other,0,0,0,0,0,0,0,0,', ''])
  })
})
