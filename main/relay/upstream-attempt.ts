import type { Readable } from 'node:stream'
import type { ErrorRuleAction } from '@shared/dto/error-rule'
import type { Attempt } from '@shared/dto/request-log'
import type { Settings } from '@shared/dto/settings'
import type { AccessTokens } from './antigravity/access-tokens'
import { firstChunk, readBody, readPrefix, redactKeys } from './body-reader'
import { matchErrorRule, RULE_ACTIONS } from './routing/error-rules'
import { classifyStatus, FAILURE_ACTIONS, retryAfterMs, type FailureAction, type FailureClass } from './routing/failure-classifier'
import type { PickedKey } from './routing/key-picker'
import type { RouteMember } from './routing/route-table'
import type { UrlLatency } from './routing/url-latency'
import { clientGone } from './relay-types'
import { describeError, isConnectError, isTimeoutError, type UpstreamClient, type UpstreamResponse } from './upstream-client'

/** Largest non-streamed answer accepted from a provider. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024
/** Bytes of an upstream error body kept to explain the failure. */
const ERROR_BODY_BYTES = 64 * 1024

/** The request to make of one channel, whatever its protocol. */
export interface UpstreamCall {
  url(baseUrl: string): string
  headers(key: string | null): Record<string, string>
  body: string
  stream: boolean
  /** The readable message inside the channel's error body. */
  errorMessage(body: string): string
}

/** How one attempt ended. */
export type AttemptResult =
  | { kind: 'body'; attempt: Attempt; status: number; contentType: string; body: Buffer; timing: AttemptTiming }
  | { kind: 'stream'; attempt: Attempt; body: Readable; first: Buffer; timing: AttemptTiming }
  | { kind: 'client_error'; attempt: Attempt; status: number; contentType: string; body: string; message: string }
  | { kind: 'failed'; attempt: Attempt; failure: FailureClass; action: FailureAction; status: number | null; message: string; retryAfterMs: number | null }
  | { kind: 'aborted'; attempt: Attempt }

/** When the answering attempt left for the provider, when its headers came back and when its first bytes did. */
export interface AttemptTiming {
  dispatchedAt: number
  headersAt: number
  firstByteAt: number
}

/** What every attempt of one request shares. */
export interface AttemptContext {
  upstream: UpstreamClient
  latency: UrlLatency
  settings: Settings
  /** Access tokens of Antigravity channels, whose keys are OAuth refresh tokens. */
  tokens: AccessTokens
  /** Aborts on client disconnect or when the request's total deadline passes (see `clientGone`). */
  signal: AbortSignal
  now: () => number
}

/** Sends the call to one (channel, key) and reads enough of the answer to know it is good. */
export async function attemptUpstream(ctx: AttemptContext, member: RouteMember, picked: PickedKey, call: UpstreamCall): Promise<AttemptResult> {
  const { signal, now } = ctx
  const { channel } = member
  const started = now()
  let baseUrl = channel.baseUrls[0] ?? ''
  const attempt = (status: number | null, outcome: Attempt['outcome'], failure: FailureClass | null, reason: string): Attempt => ({
    channelId: channel.id,
    channelName: channel.name,
    upstreamModel: member.upstreamModel,
    keyFingerprint: picked.fingerprint,
    baseUrl,
    status,
    outcome,
    failure,
    reason: redactKeys(reason, channel.keys),
    durationMs: now() - started
  })
  const aborted = (status: number | null): AttemptResult => ({ kind: 'aborted', attempt: attempt(status, 'fail', null, 'client closed the connection') })
  /** An attempt to leave: the failure table says what follows, unless an error `rule` matched. */
  const failed = (failure: FailureClass, status: number | null, message: string, retryAfter: number | null = null, rule: ErrorRuleAction | null = null): AttemptResult => ({
    kind: 'failed',
    attempt: { ...attempt(status, 'retry', failure, message), ...(rule === null ? {} : { rule }) },
    failure,
    action: rule === null ? FAILURE_ACTIONS[failure] : RULE_ACTIONS[rule],
    status,
    message: redactKeys(message, channel.keys),
    retryAfterMs: retryAfter
  })
  /** A failure while reading the answer: the client left, the deadline passed, or the connection broke. */
  const readFailed = (status: number, what: string, err: unknown): AttemptResult => {
    if (clientGone(signal)) return aborted(status)
    if (signal.aborted) return failed('timeout', status, 'total deadline of the request passed')
    return failed(isTimeoutError(err) ? 'timeout' : 'network', status, `${what}: ${describeError(err)}`)
  }

  let key = picked.key
  if (channel.antigravity !== null && key !== null) {
    const credential = await ctx.tokens.get(channel, channel.antigravity, key, ctx.settings)
    if (!credential.ok) return clientGone(signal) ? aborted(null) : failed(credential.failure, credential.status, credential.message)
    key = credential.key
  }
  const sent = await sendToBestUrl(ctx, member, key, call)
  baseUrl = sent.baseUrl
  if (!sent.ok) {
    if (clientGone(signal)) return aborted(null)
    if (signal.aborted) return failed('timeout', null, 'total deadline of the request passed')
    return failed(isTimeoutError(sent.error) ? 'timeout' : 'network', null, describeError(sent.error))
  }
  const { response } = sent
  const headersAt = now()
  const contentType = headerText(response, 'content-type') ?? 'application/json'

  if (response.status >= 400) {
    // A revoked access token must not be sent again once the key is back in use: the next attempt refreshes.
    if (response.status === 401 && channel.antigravity !== null && picked.key !== null) ctx.tokens.forget(channel, picked.key)
    const text = await readPrefix(response.body, ERROR_BODY_BYTES).catch(() => '')
    const failure = classifyStatus(response.status, text)
    const message = `HTTP ${response.status}: ${call.errorMessage(text) || 'no body'}`
    // The channel's and group's error rules come before the failure table; the class is kept for the log and the final error.
    const rule = matchErrorRule(member.errorRules, response.status, text)
    if (rule === 'fail' || (rule === null && failure === 'client')) {
      const safe = redactKeys(message, channel.keys)
      const answered = { ...attempt(response.status, 'fail', failure, message), ...(rule === null ? {} : { rule }) }
      return { kind: 'client_error', attempt: answered, status: response.status, contentType, body: text, message: safe }
    }
    return failed(failure, response.status, message, retryAfterMs(response.headers['retry-after'], now()), rule)
  }

  if (!call.stream) {
    try {
      const body = await readBody(response.body, MAX_RESPONSE_BYTES)
      const timing = { dispatchedAt: sent.dispatchedAt, headersAt, firstByteAt: headersAt }
      return { kind: 'body', attempt: attempt(response.status, 'ok', null, 'answered'), status: response.status, contentType, body, timing }
    } catch (err) {
      return readFailed(response.status, 'reading the answer failed', err)
    }
  }

  // A stream is committed only once its first bytes arrived: until then another channel can still answer.
  try {
    const first = await firstChunk(response.body)
    if (first === null) return failed('server', response.status, 'the stream ended before its first byte')
    const timing = { dispatchedAt: sent.dispatchedAt, headersAt, firstByteAt: now() }
    return { kind: 'stream', attempt: attempt(response.status, 'ok', null, 'streaming'), body: response.body, first, timing }
  } catch (err) {
    return readFailed(response.status, 'stream failed before its first byte', err)
  }
}

type Sent = { ok: true; response: UpstreamResponse; baseUrl: string; dispatchedAt: number } | { ok: false; error: unknown; baseUrl: string }

/**
 * Sends to the channel's base URLs, lowest measured latency first; a URL that cannot be reached
 * hands over to the next one within the same attempt (nothing was sent, so nothing can repeat).
 */
async function sendToBestUrl(ctx: AttemptContext, member: RouteMember, key: string | null, call: UpstreamCall): Promise<Sent> {
  const { channel } = member
  let failure: Sent | null = null
  for (const baseUrl of ctx.latency.order(channel.id, channel.baseUrls)) {
    const sentAt = ctx.now()
    try {
      const response = await ctx.upstream.send({
        url: call.url(baseUrl),
        method: 'POST',
        headers: { ...lowerCased(channel.headers), ...call.headers(key) },
        body: call.body,
        signal: ctx.signal,
        connectTimeoutMs: channel.timeouts.connectMs ?? ctx.settings.connectTimeoutMs,
        firstByteTimeoutMs: channel.timeouts.firstByteMs ?? ctx.settings.firstByteTimeoutMs,
        idleTimeoutMs: channel.timeouts.idleMs ?? ctx.settings.idleTimeoutMs,
        proxy: channel.proxy
      })
      ctx.latency.observe(channel.id, baseUrl, ctx.now() - sentAt)
      return { ok: true, response, baseUrl, dispatchedAt: sentAt }
    } catch (error) {
      failure = { ok: false, error, baseUrl }
      if (ctx.signal.aborted || !isConnectError(error)) break
      ctx.latency.unreachable(channel.id, baseUrl)
    }
  }
  return failure ?? { ok: false, error: new Error('channel has no base URL'), baseUrl: '' }
}

/** Channel headers with lower-case names, so they can never sit beside the relay's own under another spelling. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name in headers) out[name.toLowerCase()] = headers[name] as string
  return out
}

function headerText(response: UpstreamResponse, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value[0] : value
}
