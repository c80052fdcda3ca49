import type { Attempt } from '@shared/dto/request-log'
import type { Logger } from '../app/logger'
import type { LiveCounters } from '../stats/live-counters'
import type { RequestOutcome } from '../stats/request-outcome'
import type { StatsRecorder } from '../stats/stats-recorder'
import { attemptChat, type AttemptResult, type AttemptTiming } from './chat-attempt'
import { forwardChatStream } from './chat-stream'
import { NO_USAGE, type Usage } from './canonical/usage'
import { usageFromChat } from './protocols/openai-chat/usage'
import { relayErrors, type RelayError } from './relay-errors'
import type { ChatRelayRequest, RelayResponse } from './relay-types'
import { FAILURE_ACTIONS, type FailureClass } from './routing/failure-classifier'
import type { Balancer } from './routing/balancer'
import type { HealthRegistry } from './routing/health'
import { KeyPicker } from './routing/key-picker'
import type { UrlLatency } from './routing/url-latency'
import type { RouteGroup } from './routing/route-table'
import type { RouteTableStore } from './routing/route-table-store'
import type { UpstreamClient } from './upstream-client'

/** What the relay service is built from. */
export interface RelayServiceDeps {
  routes: RouteTableStore
  upstream: UpstreamClient
  stats: StatsRecorder
  live: LiveCounters
  health: HealthRegistry
  balancer: Balancer
  latency: UrlLatency
  now: () => number
  logger: Logger
}

type Failure = Extract<AttemptResult, { kind: 'failed' }>

/** Resolve the model → try candidates in order → stream or return the answer → record. */
export class RelayService {
  private readonly keys: KeyPicker

  constructor(private readonly deps: RelayServiceDeps) {
    this.keys = new KeyPicker(deps.health)
  }

  /** Relays one OpenAI Chat Completions request to OpenAI-type channels. */
  async chat(req: ChatRelayRequest): Promise<RelayResponse> {
    const table = this.deps.routes.current()
    const group = table.groups.get(req.model)
    if (!group) return refuse(relayErrors.modelNotFound(req.model))
    if (req.apiKey.allowedGroups !== null && !req.apiKey.allowedGroups.has(group.name)) {
      return refuse(relayErrors.modelNotAllowed(req.model))
    }
    if (!group.enabled) return refuse(relayErrors.modelDisabled(req.model))
    const { health } = this.deps
    const candidates = this.deps.balancer
      .order(group, member => health.channelCooling(member.channel.id))
      .filter(m => m.channel.type === 'openai-chat')
    if (candidates.length === 0) return refuse(relayErrors.noChannel(req.model))

    const { settings } = table
    const maxAttempts = group.maxAttempts ?? settings.maxAttempts
    const controller = new AbortController()
    // Stays attached for the whole response: a client leaving mid-stream must abort a silent upstream too.
    req.signal.addEventListener('abort', () => controller.abort(), { once: true })
    const deadline = group.totalTimeoutMs === null ? null : setTimeout(() => controller.abort(), group.totalTimeoutMs)
    // The total deadline covers finding an answer, not streaming it: long generations must not be cut.
    const cleanup = (): void => {
      if (deadline) clearTimeout(deadline)
    }
    const context = { upstream: this.deps.upstream, latency: this.deps.latency, req, settings, signal: controller.signal, now: this.deps.now }
    this.deps.live.begin(group.name)
    const attempts: Attempt[] = []
    let lastFailure: Failure | null = null
    const captureLimit = settings.captureBodies ? settings.bodyCaptureLimitBytes : 0
    const requestBody = captureLimit > 0 ? JSON.stringify(req.body).slice(0, captureLimit) : null

    candidates: for (const member of candidates) {
      const channelId = member.channel.id
      for (const picked of this.keys.order(member.channel)) {
        if (attempts.length >= maxAttempts || controller.signal.aborted) break candidates
        health.begin(channelId, picked.fingerprint)
        const result = await attemptChat(context, member, picked)
        attempts.push(result.attempt)
        const headers = { 'x-cuttle-channel': member.channel.name, 'x-cuttle-attempts': String(attempts.length) }
        const base = { group, req, attempts, channelId, upstreamModel: member.upstreamModel, requestBody }

        if (result.kind === 'body') {
          cleanup()
          health.succeeded(channelId, picked.fingerprint)
          const usage = usageFromChat(safeJson(result.body)?.usage) ?? NO_USAGE
          const responseBody = captureLimit > 0 ? result.body.toString('utf8').slice(0, captureLimit) : null
          this.finish({ ...base, status: result.status, usage, firstTokenMs: null, error: null, responseBody })
          return { kind: 'body', status: result.status, contentType: result.contentType, body: result.body, headers: { ...headers, ...serverTiming(req, attempts, result.timing) } }
        }
        if (result.kind === 'stream') {
          cleanup()
          health.succeeded(channelId, picked.fingerprint)
          const body = forwardChatStream({
            first: result.first,
            rest: result.rest,
            dropUsageChunk: !clientWantsUsage(req.body),
            abort: () => controller.abort(),
            clientGone: () => req.signal.aborted,
            captureLimit,
            now: this.deps.now,
            onEnd: end => {
              // An upstream that dies mid-stream is a channel failure, like one that never answered.
              if (end.status === 502 && end.error !== null) health.channelFailed(channelId, end.error)
              this.finish({
                ...base,
                status: end.status,
                usage: end.usage,
                firstTokenMs: end.firstChunkAt === null ? null : end.firstChunkAt - req.startedAt,
                error: end.error,
                responseBody: end.captured
              })
            }
          })
          return { kind: 'stream', status: 200, body, headers: { ...headers, ...serverTiming(req, attempts, result.timing) } }
        }
        if (result.kind === 'client_error') {
          cleanup()
          // The channel answered: it is up, whatever the client sent.
          health.succeeded(channelId, picked.fingerprint)
          this.finish({ ...base, status: result.status, usage: NO_USAGE, firstTokenMs: null, error: result.attempt.reason, responseBody: null })
          return { kind: 'body', status: result.status, contentType: result.contentType, body: Buffer.from(result.body), headers }
        }
        if (result.kind === 'aborted') {
          health.release(channelId, picked.fingerprint)
          break candidates
        }
        lastFailure = result
        health.failed(channelId, picked.fingerprint, result.failure, result.message, result.retryAfterMs)
        if (FAILURE_ACTIONS[result.failure].next !== 'next-key') continue candidates
      }
    }

    cleanup()
    const error = req.signal.aborted ? null : finalError(lastFailure, attempts.length, req.model)
    const status = error?.status ?? 499
    const last = attempts.at(-1)
    this.finish({
      group,
      req,
      attempts,
      channelId: last?.channelId ?? null,
      upstreamModel: last?.upstreamModel ?? null,
      requestBody,
      status,
      usage: NO_USAGE,
      firstTokenMs: null,
      error: error?.message ?? 'client closed the connection',
      responseBody: null
    })
    return refuse(error ?? relayErrors.upstreamFailed(499, 'client closed the connection'), { 'x-cuttle-attempts': String(attempts.length) })
  }

  private finish(f: {
    group: RouteGroup
    req: ChatRelayRequest
    attempts: Attempt[]
    channelId: number | null
    upstreamModel: string | null
    requestBody: string | null
    status: number
    usage: Usage
    firstTokenMs: number | null
    error: string | null
    responseBody: string | null
  }): void {
    const outcome: RequestOutcome = {
      time: f.req.startedAt,
      requestId: f.req.requestId,
      apiKeyId: f.req.apiKey.id,
      clientProtocol: 'openai-chat',
      requestedModel: f.req.model,
      groupName: f.group.name,
      channelId: f.channelId,
      upstreamModel: f.upstreamModel,
      stream: f.req.stream,
      status: f.status,
      attempts: f.attempts,
      latencyMs: this.deps.now() - f.req.startedAt,
      firstTokenMs: f.firstTokenMs,
      usage: f.usage,
      cost: null,
      error: f.error,
      requestBody: f.requestBody,
      responseBody: f.responseBody
    }
    this.deps.stats.record(outcome)
    this.deps.live.end(f.group.name, f.status >= 400)
  }
}

function refuse(error: RelayError, headers: Record<string, string> = {}): RelayResponse {
  return { kind: 'error', error, headers }
}

/** The error a client gets when every attempt failed, named after the last failure. */
function finalError(last: Failure | null, count: number, model: string): RelayError {
  if (last === null) return relayErrors.noChannel(model)
  const summary = `All ${count} attempt(s) for "${model}" failed; last: ${last.attempt.channelName}: ${last.message}`
  const byClass: Record<FailureClass, () => RelayError> = {
    rate_limit: () => relayErrors.upstreamFailed(429, summary),
    quota: () => relayErrors.upstreamFailed(502, summary),
    timeout: () => relayErrors.timeout(summary),
    auth: () => relayErrors.upstreamFailed(502, summary),
    server: () => relayErrors.upstreamFailed(last.status === 503 ? 503 : 502, summary),
    network: () => relayErrors.upstreamFailed(502, summary),
    client: () => relayErrors.upstreamFailed(502, summary)
  }
  return byClass[last.failure]()
}

function clientWantsUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options
  return typeof options === 'object' && options !== null && (options as { include_usage?: unknown }).include_usage === true
}

/**
 * `server-timing`: `cuttle` is the relay's own time before the answering request left (time spent
 * waiting on failed attempts is the providers', not ours); `upstream` is that provider's time to headers.
 */
function serverTiming(req: ChatRelayRequest, attempts: readonly Attempt[], timing: AttemptTiming): Record<string, string> {
  const waitedOnFailures = attempts.slice(0, -1).reduce((sum, a) => sum + a.durationMs, 0)
  const overhead = Math.max(0, timing.dispatchedAt - req.startedAt - waitedOnFailures)
  const upstream = Math.max(0, timing.headersAt - timing.dispatchedAt)
  return { 'server-timing': `cuttle;desc="relay overhead";dur=${overhead}, upstream;desc="provider until headers";dur=${upstream}` }
}

function safeJson(body: Buffer): { usage?: unknown } | null {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'))
    return typeof parsed === 'object' && parsed !== null ? (parsed as { usage?: unknown }) : null
  } catch {
    return null
  }
}
