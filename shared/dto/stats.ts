import { z } from 'zod'

const Count = z.number().int().nonnegative()

/** Live figures of `GET /api/v1/stats/live` and the `live` events of its stream; memory only, never stored. */
export const LiveStatsSchema = z.object({
  /** Requests being relayed now. */
  inFlight: Count,
  /** Requests finished since local midnight. */
  requestsToday: Count,
  /** Of those, the ones that ended with a status of 400 or more. */
  errorsToday: Count,
  /** Requests being relayed now, by group (model name clients sent); idle groups are left out. */
  inFlightByGroup: z.record(z.string(), Count),
  /** Requests finished per second over the last ~10 s. */
  requestsPerSecond: z.number().nonnegative(),
  /** Log rows dropped since start because the write queue was full (the database was away). */
  droppedLogs: Count
})
export type LiveStats = z.infer<typeof LiveStatsSchema>
