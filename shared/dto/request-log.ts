import { z } from 'zod'
import { FAILURE_CLASSES } from '../constants/failure-class'
import { ERROR_RULE_ACTIONS } from './error-rule'

/** One try of one channel inside a request: why it was left, or that it answered. */
export const AttemptSchema = z.object({
  channelId: z.number().int(),
  channelName: z.string(),
  upstreamModel: z.string(),
  keyFingerprint: z.string().nullable(),
  baseUrl: z.string(),
  status: z.number().int().nullable(),
  outcome: z.enum(['ok', 'retry', 'fail']),
  /** Class of the failure that made the relay leave this channel (null when it answered). */
  failure: z.enum(FAILURE_CLASSES).nullable().default(null),
  reason: z.string(),
  durationMs: z.number().int(),
  /** The group the channel was tried for: the requested one or one of its fallbacks (absent in older rows). */
  group: z.string().optional(),
  /** The error rule that decided what followed, when one matched instead of the failure table. */
  rule: z.enum(ERROR_RULE_ACTIONS).optional()
})
export type Attempt = z.infer<typeof AttemptSchema>

/** A request as the log keeps it. */
export const RequestLogSchema = z.object({
  id: z.number().int(),
  time: z.number().int(),
  requestId: z.string(),
  apiKeyId: z.number().int().nullable(),
  clientProtocol: z.string(),
  requestedModel: z.string(),
  channelId: z.number().int().nullable(),
  upstreamModel: z.string().nullable(),
  stream: z.boolean(),
  status: z.number().int(),
  attempts: z.array(AttemptSchema),
  latencyMs: z.number().int(),
  firstTokenMs: z.number().int().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  cost: z.number().nullable(),
  error: z.string().nullable(),
  requestBody: z.string().nullable(),
  responseBody: z.string().nullable()
})
export type RequestLog = z.infer<typeof RequestLogSchema>

/** A log row before the database gave it an id. */
export type RequestLogEntry = Omit<RequestLog, 'id'>
