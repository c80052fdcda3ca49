import type { StatsBucket } from '@shared/dto/analytics'

/** One hour / one day in ms. */
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

/** A resolved stats window: hours whose start is in [from, to), seen from a fixed UTC offset. */
export interface StatsWindow {
  from: number
  to: number
  /** The client's offset east of UTC, in ms. */
  tzMs: number
}

const RANGE_DAYS = { today: 1, '7d': 7, '30d': 30 } as const

/** What a stats query says about its window (after validation: either `range` or both `from` and `to`). */
export interface WindowQuery {
  range?: keyof typeof RANGE_DAYS
  from?: number
  to?: number
  /** Minutes east of UTC. */
  tz: number
}

/** Local midnight (as epoch ms) of the day `t` falls in, at `tzMs` east of UTC. */
export function localMidnight(t: number, tzMs: number): number {
  return Math.floor((t + tzMs) / DAY_MS) * DAY_MS - tzMs
}

/**
 * The window of a query at `now`. A range starts at local midnight `days - 1` days ago and ends
 * after the current UTC hour, whose row is still filling. The offset is fixed: a window across a
 * daylight-saving change keeps the offset the client sent.
 */
export function resolveWindow(query: WindowQuery, now: number): StatsWindow {
  const tzMs = query.tz * 60_000
  if (query.from !== undefined && query.to !== undefined) return { from: query.from, to: query.to, tzMs }
  const days = RANGE_DAYS[query.range ?? 'today']
  return { from: localMidnight(now, tzMs) - (days - 1) * DAY_MS, to: Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS, tzMs }
}

/** Size of a bucket in ms. */
export function bucketMs(bucket: StatsBucket): number {
  return bucket === 'hour' ? HOUR_MS : DAY_MS
}

/**
 * How far buckets are shifted from UTC. Day buckets start at local midnight; hour buckets stay on
 * UTC hours, the grain usage is stored in, so a half-hour zone does not move a row's hour half an
 * hour back.
 */
export function bucketOffsetMs(bucket: StatsBucket, window: StatsWindow): number {
  return bucket === 'day' ? window.tzMs : 0
}

/** The bucket start of `t`, as the dialects' `timeBucket` computes it in SQL. */
export function bucketStart(t: number, size: number, offsetMs: number): number {
  return Math.floor((t + offsetMs) / size) * size - offsetMs
}

/**
 * Every bucket start a chart of the window shows, oldest first: from the bucket of the first hour
 * starting in the window to that of the last; none when no hour starts in it.
 */
export function bucketStarts(window: StatsWindow, size: number, offsetMs: number): number[] {
  const firstHour = Math.ceil(window.from / HOUR_MS) * HOUR_MS
  const lastHour = Math.ceil(window.to / HOUR_MS) * HOUR_MS - HOUR_MS
  const starts: number[] = []
  if (lastHour < firstHour) return starts
  const last = bucketStart(lastHour, size, offsetMs)
  for (let t = bucketStart(firstHour, size, offsetMs); t <= last; t += size) starts.push(t)
  return starts
}
