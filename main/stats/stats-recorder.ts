import type { RequestLogEntry } from '@shared/dto/request-log'
import { uncachedInput } from '../relay/canonical/usage'
import { usageKey, type UsageDelta } from '../store/repositories/usage.repository'
import type { RequestOutcome } from './request-outcome'

const HOUR_MS = 3_600_000

/** What one flush writes. */
export interface StatsBatch {
  usage: UsageDelta[]
  logs: RequestLogEntry[]
}

/**
 * In-memory aggregation for the hot path: `record` only adds numbers to a map and pushes a log
 * row onto a bounded queue. The flusher takes batches out and gives them back when a write fails.
 */
export class StatsRecorder {
  private usage = new Map<string, UsageDelta>()
  private logs: RequestLogEntry[] = []
  private droppedLogs = 0

  constructor(private readonly logQueueLimit: number) {}

  /** Adds one finished request. */
  record(outcome: RequestOutcome): void {
    const failed = outcome.status >= 400
    const hour = Math.floor(outcome.time / HOUR_MS) * HOUR_MS
    this.addUsage({
      hour,
      apiKeyId: outcome.apiKeyId ?? 0,
      channelId: outcome.channelId ?? 0,
      model: outcome.requestedModel,
      upstreamModel: outcome.upstreamModel ?? '',
      requests: 1,
      failures: failed ? 1 : 0,
      inputTokens: uncachedInput(outcome.usage),
      outputTokens: outcome.usage.outputTotal,
      cacheReadTokens: outcome.usage.cacheRead,
      cacheWriteTokens: outcome.usage.cacheWrite,
      cost: outcome.cost ?? 0,
      // Tokens were used but no price was known: the sum of cost leaves them out, and says so.
      unpricedRequests: outcome.cost === null && outcome.usage.inputTotal + outcome.usage.outputTotal > 0 ? 1 : 0,
      latencyMsSum: outcome.latencyMs,
      firstTokenMsSum: outcome.firstTokenMs ?? 0,
      firstTokenCount: outcome.firstTokenMs === null ? 0 : 1
    })
    this.pushLogs([toLogEntry(outcome)])
  }

  /** Takes everything recorded since the last batch. */
  takeBatch(): StatsBatch {
    const batch = { usage: [...this.usage.values()], logs: this.logs }
    this.usage = new Map()
    this.logs = []
    return batch
  }

  /** Puts back a batch whose write failed, ahead of what arrived since. */
  restore(batch: StatsBatch): void {
    for (const delta of batch.usage) this.addUsage(delta)
    const newer = this.logs
    this.logs = []
    this.pushLogs(batch.logs)
    this.pushLogs(newer)
  }

  /** Log rows dropped because the queue was full (the database was away too long). */
  get dropped(): number {
    return this.droppedLogs
  }

  /** Whether anything waits to be written. */
  get pending(): boolean {
    return this.usage.size > 0 || this.logs.length > 0
  }

  private addUsage(delta: UsageDelta): void {
    const key = usageKey(delta)
    const current = this.usage.get(key)
    if (!current) {
      this.usage.set(key, { ...delta })
      return
    }
    current.requests += delta.requests
    current.failures += delta.failures
    current.inputTokens += delta.inputTokens
    current.outputTokens += delta.outputTokens
    current.cacheReadTokens += delta.cacheReadTokens
    current.cacheWriteTokens += delta.cacheWriteTokens
    current.cost += delta.cost
    current.unpricedRequests += delta.unpricedRequests
    current.latencyMsSum += delta.latencyMsSum
    current.firstTokenMsSum += delta.firstTokenMsSum
    current.firstTokenCount += delta.firstTokenCount
  }

  private pushLogs(entries: readonly RequestLogEntry[]): void {
    const room = Math.max(0, this.logQueueLimit - this.logs.length)
    this.logs.push(...entries.slice(0, room))
    this.droppedLogs += Math.max(0, entries.length - room)
  }
}

function toLogEntry(o: RequestOutcome): RequestLogEntry {
  return {
    time: o.time,
    requestId: o.requestId,
    apiKeyId: o.apiKeyId,
    clientProtocol: o.clientProtocol,
    requestedModel: o.requestedModel,
    channelId: o.channelId,
    upstreamModel: o.upstreamModel,
    stream: o.stream,
    status: o.status,
    attempts: o.attempts,
    latencyMs: o.latencyMs,
    firstTokenMs: o.firstTokenMs,
    inputTokens: uncachedInput(o.usage),
    outputTokens: o.usage.outputTotal,
    cacheReadTokens: o.usage.cacheRead,
    cacheWriteTokens: o.usage.cacheWrite,
    cost: o.cost,
    error: o.error,
    requestBody: o.requestBody,
    responseBody: o.responseBody
  }
}
