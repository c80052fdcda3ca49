import type { STATS_RANGES } from '@shared/dto/analytics'

/** A window the dashboard offers: today, or the last 7 / 30 local days. */
export type StatsRange = (typeof STATS_RANGES)[number]

/** The windows of the range picker, in order (the contract's list is a zod value; only its type is imported). */
export const RANGES: readonly StatsRange[] = ['today', '7d', '30d']

/** Days a range spans. */
export const RANGE_DAYS: Record<StatsRange, number> = { today: 1, '7d': 7, '30d': 30 }

/** `value` if it names a range (from the address bar), else today. */
export function rangeOf(value: unknown): StatsRange {
  return RANGES.find(r => r === value) ?? 'today'
}

/** The browser's offset in minutes east of UTC, as the stats endpoints take it. */
export function browserTz(): number {
  return -new Date().getTimezoneOffset()
}
