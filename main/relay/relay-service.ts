import type { Attempt } from '@shared/dto/request-log'
import type { AccessTokens } from './antigravity/access-tokens'
import type { LiveCounters } from '../stats/live-counters'
import { requestCost } from '../pricing/cost'
import type { PriceBookStore } from '../pricing/price-book-store'
import type { StatsRecorder } from '../stats/stats-recorder'
import { NO_USAGE, type Usage } from './canonical/usage'
import { CanonicalCache, createExchange, type ClientAnswer, type Exchange } from './exchange'
import type { ImageInliner } from './image-inliner'
import { refusalError, type KeyLimits } from './limits/key-limits'
import type { ProtocolRegistry } from './protocols/protocol-adapter'
import { relayErrors, RelayError } from './relay-errors'
import { clientGone, DEADLINE, type RelayRequest, type RelayResponse } from './relay-types'
import { chainChannel, chainIsEmpty, withFallbacks } from './routing/fallback-chain'
import type { FailureClass } from './routing/failure-classifier'
import type { Balancer } from './routing/balancer'
import type { HealthRegistry } from './routing/health'
import { KeyPicker } from './routing/key-picker'
import type { RouteGroup, RouteMember } from './routing/route-table'
import type { RouteTableStore } from './routing/route-table-store'
import { StickyRoute, type StickySessions } from './routing/sticky-sessions'
import { responseIdIn, watchResponseId } from './response-id'
import type { UrlLatency } from './routing/url-latency'
import { forwardStream } from './stream-forwarder'
import { attemptUpstream, type AttemptResult, type AttemptTiming } from './upstream-attempt'
import type { UpstreamClient } from './upstream-client'

/** What the relay service is built from. */
export interface RelayServiceDeps {
  routes: RouteTableStore
  adapters: ProtocolRegistry
  images: ImageInliner
  upstream: UpstreamClient
  /** Access tokens of Antigravity channels, exchanged for their refresh tokens. */
  tokens: AccessTokens
  stats: StatsRecorder
  live: LiveCounters
  health: HealthRegistry
  balancer: Balancer
  latency: UrlLatency
  /** Prices to cost answered requests with (in memory, rebuilt after price changes). */
  prices: Pick<PriceBookStore, 'current'>
  /** Client keys' rpm, tpm and monthly budgets, checked before routing. */
  limits: KeyLimits
  /** Which channel and key last answered each conversation (sticky sessions). */
  sticky: StickySessions
  now: () => number
}

type Failure = Extract<AttemptResult, { kind: 'failed' }>

/** An SSE comment every SDK parser ignores. */
const KEEP_ALIVE = ': keepalive\n\n'

/** What finish() records beyond the request itself. */
interface Ending {
  attempts: Attempt[]
  channelId: number | null
  upstreamModel: string | null
  status: number
  usage: Usage
  firstTokenMs: number | null
  error: string | null
  responseBody: string | null
}

/** Resolve the model → try candidates in order → answer or stream → record. */
export class RelayService {
  private readonly keys: KeyPicker

  constructor(private readonly deps: RelayServiceDeps) {
    this.keys = new KeyPicker(deps.health)
  }

  /** Relays one client request in any protocol to the group's channels of any protocol. */
  async relay(req: RelayRequest): Promise<RelayResponse> {
    const refusal = this.deps.limits.admit(req.apiKey, this.deps.now())
    if (refusal !== null) {
      const { error, headers } = refusalError(req.apiKey.name, refusal)
      return refuse(error, headers)
    }
    const table = this.deps.routes.current()
    const group = table.groups.get(req.model)
    if (!group) return refuse(relayErrors.modelNotFound(req.model))
    if (req.apiKey.allowedGroups !== null && !req.apiKey.allowedGroups.has(group.name)) return refuse(relayErrors.modelNotAllowed(req.apiKey.name, req.model))
    if (!group.enabled) return refuse(relayErrors.modelDisabled(req.model))
    const { health, now } = this.deps
    const cooling = (member: RouteMember): boolean => health.channelCooling(member.channel.id)
    // The member that last answered this conversation goes first, so the provider's prompt cache hits.
    const sticky = this.stickyRoute(req, group, table.settings.stickySessionTtlSec)
    const planned = this.deps.balancer.order(group, cooling)
    const candidates = sticky?.first(planned, cooling) ?? planned
    if (candidates.length === 0 && chainIsEmpty(group)) return refuse(relayErrors.noChannel(req.model))

    const { settings } = table
    const maxAttempts = group.maxAttempts ?? settings.maxAttempts
    const { controller } = req
    const { signal } = controller
    // The total deadline covers finding an answer, not streaming it: long generations must not be cut.
    const deadline = group.totalTimeoutMs === null ? null : setTimeout(() => controller.abort(DEADLINE), group.totalTimeoutMs)
    const ctx = { upstream: this.deps.upstream, tokens: this.deps.tokens, latency: this.deps.latency, settings, signal, now }
    const captureLimit = settings.captureBodies ? settings.bodyCaptureLimitBytes : 0
    const requestBody = captureLimit > 0 ? JSON.stringify(req.body).slice(0, captureLimit) : null
    const finish = (ending: Ending): void => this.finish(req, group, requestBody, ending)
    const canonical = new CanonicalCache(req, this.deps.adapters[req.protocol], this.deps.images)
    this.deps.live.begin(group.name)
    const attempts: Attempt[] = []
    let lastFailure: Failure | null = null
    let unconvertible: RelayError | null = null

    try {
      // Every retryable failure of the group's members leads on to its fallback groups, within the same attempt cap and deadline.
      candidates: for (const { group: owner, member } of withFallbacks(group, candidates, fallback => this.deps.balancer.order(fallback, cooling))) {
        const channelId = member.channel.id
        let exchange: Exchange
        try {
          exchange = await createExchange(req, this.deps.adapters, member, canonical)
        } catch (err) {
          // The request cannot be said in this channel's protocol; another channel may speak the client's.
          if (!(err instanceof RelayError)) throw err
          unconvertible = err
          continue
        }
        for (const picked of this.keys.order(member.channel, sticky?.keyFor(channelId) ?? null)) {
          if (attempts.length >= maxAttempts || signal.aborted) break candidates
          health.begin(channelId, picked.fingerprint)
          const result = await attemptUpstream(ctx, member, picked, exchange.call)
          attempts.push({ ...result.attempt, group: owner.name })
          const headers = { 'x-cuttle-channel': member.channel.name, 'x-cuttle-attempts': String(attempts.length) }
          const ended = { attempts, channelId, upstreamModel: member.upstreamModel }

          if (result.kind === 'body' || result.kind === 'client_error') {
            // The channel answered: it is up, whatever the client sent. An error a rule failed at once proves nothing either way.
            if (result.attempt.rule === 'fail') health.release(channelId, picked.fingerprint)
            else health.succeeded(channelId, picked.fingerprint)
            const answer: ClientAnswer =
              result.kind === 'body' ? exchange.answer(result.body, result.contentType) : exchange.clientError(result.status, result.contentType, result.body, result.message)
            const error = result.kind === 'client_error' ? result.message : answer.status >= 400 ? String(answer.body).slice(0, 500) : null
            const responseBody = captureLimit > 0 ? answer.body.toString().slice(0, captureLimit) : null
            finish({ ...ended, status: answer.status, usage: answer.usage, firstTokenMs: null, error, responseBody })
            if (result.kind === 'body' && answer.status < 400) sticky?.answered(member, picked.fingerprint, this.responseId(req, answer.body))
            const timing = result.kind === 'body' ? serverTiming(req, attempts, result.timing) : {}
            return { kind: 'body', status: answer.status, contentType: answer.contentType, body: answer.body, headers: { ...headers, ...timing } }
          }
          if (result.kind === 'stream') {
            health.succeeded(channelId, picked.fingerprint)
            // A Responses stream names its id in its first event; the next turn may route by it.
            const responses = sticky !== null && req.protocol === 'openai-responses' ? watchResponseId(exchange.stream()) : null
            const transform = responses?.transform ?? exchange.stream()
            const { body, first, timing } = result
            const pipe = (res: Parameters<typeof forwardStream>[0]): void =>
              forwardStream(res, {
                first,
                body,
                transform,
                abort: () => controller.abort(),
                firstChunkAt: timing.firstByteAt,
                captureLimit,
                // A JSON-array stream has no place for a comment.
                keepAlive: req.streamFraming === 'sse' && settings.streamKeepAliveSec > 0 ? { text: KEEP_ALIVE, afterMs: settings.streamKeepAliveSec * 1000 } : null,
                onEnd: end => {
                  // An upstream that dies mid-stream is a channel failure, like one that never answered.
                  if (end.status === 502 && end.error !== null) health.channelFailed(channelId, end.error)
                  if (end.status < 400) sticky?.answered(member, picked.fingerprint, responses?.id() ?? null)
                  finish({ ...ended, status: end.status, usage: end.usage, firstTokenMs: end.firstChunkAt - req.startedAt, error: end.error, responseBody: end.captured })
                }
              })
            const contentType = req.streamFraming === 'json-array' ? 'application/json; charset=utf-8' : 'text/event-stream; charset=utf-8'
            return { kind: 'stream', status: 200, contentType, headers: { ...headers, ...serverTiming(req, attempts, timing) }, pipe }
          }
          if (result.kind === 'aborted') {
            health.release(channelId, picked.fingerprint)
            break candidates
          }
          lastFailure = result
          health.failed(channelId, picked.fingerprint, result.action.penalty, result.message, result.retryAfterMs)
          if (result.action.next !== 'next-key') continue candidates
        }
      }
    } catch (err) {
      // A bug must not leave the live counters or the log without this request.
      finish({ attempts, channelId: null, upstreamModel: null, status: 500, usage: NO_USAGE, firstTokenMs: null, error: String(err), responseBody: null })
      throw err
    } finally {
      if (deadline) clearTimeout(deadline)
    }

    const error = clientGone(signal) ? null : (finalError(lastFailure, attempts.length, req) ?? unconvertible ?? relayErrors.noChannel(req.model))
    const last = attempts.at(-1)
    finish({
      attempts,
      channelId: last?.channelId ?? null,
      upstreamModel: last?.upstreamModel ?? null,
      status: error?.status ?? 499,
      usage: NO_USAGE,
      firstTokenMs: null,
      error: error?.message ?? 'client closed the connection',
      responseBody: null
    })
    return refuse(error ?? relayErrors.upstreamFailed(499, 'client closed the connection'), { 'x-cuttle-attempts': String(attempts.length), ...retryAfter(error, lastFailure) })
  }

  /**
   * The request's sticky route; null when sticky sessions are off (a TTL of 0) or when the request
   * can neither follow a pin nor leave one: no session key, and no Responses answer whose id a
   * later turn could name.
   */
  private stickyRoute(req: RelayRequest, group: RouteGroup, ttlSec: number): StickyRoute | null {
    if (ttlSec <= 0 || (req.session === null && req.protocol !== 'openai-responses')) return null
    return new StickyRoute(this.deps.sticky, { apiKeyId: req.apiKey.id, group: group.name, session: req.session }, ttlSec * 1000, this.deps.now)
  }

  /** The id of a Responses answer, which a later turn may name in `previous_response_id`. */
  private responseId(req: RelayRequest, body: Buffer | string): string | null {
    return req.protocol === 'openai-responses' ? responseIdIn(body) : null
  }

  /** USD for the tokens the answering channel reported; null when they have no price, 0 without tokens. */
  private cost(group: RouteGroup, e: Ending): number | null {
    const channel = chainChannel(group, e.channelId)
    const price = channel && e.upstreamModel !== null ? this.deps.prices.current().price(channel.id, channel.type, e.upstreamModel) : null
    return requestCost(price?.price ?? null, e.usage)
  }

  private finish(req: RelayRequest, group: RouteGroup, requestBody: string | null, e: Ending): void {
    const now = this.deps.now()
    const cost = this.cost(group, e)
    this.deps.stats.record({
      time: req.startedAt,
      requestId: req.requestId,
      apiKeyId: req.apiKey.id,
      clientProtocol: req.protocol,
      requestedModel: req.model,
      groupName: group.name,
      channelId: e.channelId,
      upstreamModel: e.upstreamModel,
      stream: req.stream,
      status: e.status,
      attempts: e.attempts,
      latencyMs: now - req.startedAt,
      firstTokenMs: e.firstTokenMs,
      usage: e.usage,
      cost,
      error: e.error,
      requestBody,
      responseBody: e.responseBody
    })
    this.deps.limits.used(req.apiKey, req.startedAt, now, e.usage.inputTotal + e.usage.outputTotal, cost)
    this.deps.live.end(group.name, e.status >= 400)
  }
}

function refuse(error: RelayError, headers: Record<string, string> = {}): RelayResponse {
  return { kind: 'error', error, headers }
}

/** The error a client gets when every attempt failed, named after the last failure; null when none was tried. */
function finalError(last: Failure | null, count: number, req: RelayRequest): RelayError | null {
  if (last === null) return null
  const summary = `All ${count} attempt(s) for "${req.model}" failed; last: ${last.attempt.channelName}: ${last.message}`
  const byClass: Record<FailureClass, () => RelayError> = {
    // "Please try again in Ns." is the phrase Codex and OpenAI's SDKs take a back-off from.
    rate_limit: () => relayErrors.upstreamRateLimited(last.retryAfterMs === null ? summary : `${summary} Please try again in ${retrySeconds(last.retryAfterMs)}s.`),
    quota: () => relayErrors.upstreamFailed(502, summary),
    timeout: () => relayErrors.timeout(summary),
    auth: () => relayErrors.upstreamFailed(502, summary),
    server: () => (last.status === 529 ? relayErrors.upstreamOverloaded(req.protocol, summary) : relayErrors.upstreamFailed(last.status === 503 ? 503 : 502, summary)),
    network: () => relayErrors.upstreamFailed(502, summary),
    client: () => relayErrors.upstreamFailed(502, summary)
  }
  return byClass[last.failure]()
}

/** Statuses whose answer may say when to come back. */
const RETRY_LATER = new Set([429, 503, 529])

/** The last upstream's Retry-After, passed on when the client's error is its throttle or overload. */
function retryAfter(error: RelayError | null, last: Failure | null): Record<string, string> {
  if (error === null || last === null || last.retryAfterMs === null || !RETRY_LATER.has(error.status)) return {}
  return { 'retry-after': String(retrySeconds(last.retryAfterMs)) }
}

/** Whole seconds, rounded up: a client must not come back before the provider said. */
function retrySeconds(ms: number): number {
  return Math.ceil(ms / 1000)
}

/**
 * `server-timing`: `cuttle` is the relay's own time before the answering request left (time spent
 * waiting on failed attempts is the providers', not ours); `upstream` is that provider's time to headers.
 */
function serverTiming(req: RelayRequest, attempts: readonly Attempt[], timing: AttemptTiming): Record<string, string> {
  const waitedOnFailures = attempts.slice(0, -1).reduce((sum, a) => sum + a.durationMs, 0)
  const overhead = Math.max(0, timing.dispatchedAt - req.startedAt - waitedOnFailures)
  const upstream = Math.max(0, timing.headersAt - timing.dispatchedAt)
  return { 'server-timing': `cuttle;desc="relay overhead";dur=${overhead}, upstream;desc="provider until headers";dur=${upstream}` }
}
