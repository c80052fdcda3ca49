import { z } from 'zod'
import { RequestLogSchema } from './request-log'

/** Page size of `GET /logs` when none is asked for, and the largest allowed. */
export const LOG_PAGE_DEFAULT = 50
export const LOG_PAGE_MAX = 200

/** Where a page of the log ends: the time and id of its last (oldest) row. */
export interface LogCursor {
  time: number
  id: number
}

/** The opaque text of a cursor (`<time>-<id>`). */
export function encodeLogCursor(cursor: LogCursor): string {
  return `${cursor.time}-${cursor.id}`
}

const LogCursorSchema = z
  .string()
  .regex(/^\d{1,16}-\d{1,16}$/, 'must be a nextCursor of this endpoint')
  .transform((text): LogCursor => {
    const dash = text.indexOf('-')
    return { time: Number(text.slice(0, dash)), id: Number(text.slice(dash + 1)) }
  })

const Id = z.coerce.number().int().nonnegative()
const ExactName = z.string().min(1).max(200)

/**
 * Query of `GET /logs`. Filters combine with AND; `from` is inclusive and `to` exclusive (epoch
 * ms); `apiKeyId` / `channelId` 0 mean "none" (requests no key or channel was known for);
 * `model` is the model the client asked for and `upstreamModel` the one that answered, both
 * exact; `status` is `ok` (< 400), `error` (>= 400) or one status code.
 */
export const RequestLogQuerySchema = z.object({
  from: Id.optional(),
  to: Id.optional(),
  apiKeyId: Id.optional(),
  channelId: Id.optional(),
  model: ExactName.optional(),
  upstreamModel: ExactName.optional(),
  status: z.union([z.enum(['ok', 'error']), z.coerce.number().int().min(100).max(599)]).optional(),
  requestId: z.string().min(1).max(64).optional(),
  /** `nextCursor` of the previous page. */
  cursor: LogCursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(LOG_PAGE_MAX).default(LOG_PAGE_DEFAULT)
})
export type RequestLogQuery = z.infer<typeof RequestLogQuerySchema>

/** A log row in a list: no bodies and no attempts (`GET /logs/:id` has them), only how many attempts there were. */
export const RequestLogItemSchema = RequestLogSchema.omit({ attempts: true, requestBody: true, responseBody: true }).extend({
  attemptCount: z.number().int().nonnegative()
})
export type RequestLogItem = z.infer<typeof RequestLogItemSchema>

/**
 * `GET /logs`: newest first (by time, then id). `nextCursor` is null on the last page. There is
 * deliberately no total: a page of one or two filters costs about a millisecond on a million rows,
 * but counting every match of two filters took 150-350 ms there (SQLite; the count cannot stay
 * inside one index), over the 200 ms budget. Exact request counts per window, group, model,
 * channel or client key come from `GET /stats/summary` and `GET /stats/top`.
 */
export const RequestLogPageSchema = z.object({
  items: z.array(RequestLogItemSchema),
  nextCursor: z.string().nullable()
})
export type RequestLogPage = z.infer<typeof RequestLogPageSchema>
