import type { StatsSeries } from '@shared/dto/analytics'

const HEADER = [
  'time_iso',
  'key',
  'label',
  'requests',
  'failures',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cost',
  'unpriced_requests',
  'avg_latency_ms'
]

/** RFC 4180 line ending. */
const CRLF = '\r\n'

/**
 * A series answer as CSV (RFC 4180: CRLF lines, fields with a comma, quote or line break quoted,
 * quotes doubled): one row per bucket and series, oldest bucket first, series in the answer's
 * order; times in ISO 8601 at the client's offset. The "other" series has an empty key.
 */
export function seriesCsv(data: StatsSeries): string {
  const lines = [HEADER.join(',')]
  const buckets = data.series[0]?.points.length ?? 0
  for (let i = 0; i < buckets; i++) {
    for (const s of data.series) {
      const p = s.points[i]
      if (!p) continue
      const fields = [
        isoAtOffset(p.t, data.tz),
        s.key ?? '',
        s.label,
        p.requests,
        p.failures,
        p.inputTokens,
        p.outputTokens,
        p.cacheReadTokens,
        p.cacheWriteTokens,
        decimal(p.cost),
        p.unpricedRequests,
        p.avgLatencyMs === null ? '' : decimal(p.avgLatencyMs)
      ]
      lines.push(fields.map(f => csvField(String(f))).join(','))
    }
  }
  return lines.join(CRLF) + CRLF
}

/** Quotes a field when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A number without exponent notation (costs of a millionth would print as `1e-7`), at most 9 decimals. */
function decimal(n: number): string {
  if (Number.isInteger(n)) return String(n)
  return n.toFixed(9).replace(/0+$/, '')
}

/** `2023-11-14T23:30:00+05:30`: the wall-clock time at `tzMinutes` east of UTC, with that offset. */
export function isoAtOffset(t: number, tzMinutes: number): string {
  const local = new Date(t + tzMinutes * 60_000).toISOString().slice(0, 19)
  const sign = tzMinutes < 0 ? '-' : '+'
  const abs = Math.abs(tzMinutes)
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** `cuttle-usage-<first local day>-<last local day>.csv` of a window. */
export function csvFileName(data: Pick<StatsSeries, 'from' | 'to' | 'tz'>): string {
  const day = (t: number): string => isoAtOffset(t, data.tz).slice(0, 10)
  return `cuttle-usage-${day(data.from)}-${day(data.to - 1)}.csv`
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
