import type { Attempt } from '@shared/dto/request-log'
import type { Settings } from '@shared/dto/settings'
import { readBody, readPrefix, redactKeys, upstreamErrorMessage } from './body-reader'
import { chatCompletionsUrl } from './protocols/openai-chat/endpoint'
import { classifyStatus, retryAfterMs, type FailureClass } from './routing/failure-classifier'
import type { PickedKey } from './routing/key-picker'
import type { RouteMember } from './routing/route-table'
import type { UrlLatency } from './routing/url-latency'
import { isConnectError, isTimeoutError, type UpstreamClient, type UpstreamResponse } from './upstream-client'
import type { ChatRelayRequest } from './relay-types'

/** Largest non-streamed answer accepted from a provider. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024
/** Bytes of an upstream error body kept to explain the failure. */
const ERROR_BODY_BYTES = 64 * 1024

/** How one attempt ended. */
export type AttemptResult =
  | { kind: 'body'; attempt: Attempt; status: number; contentType: string; body: Buffer; timing: AttemptTiming }
  | { kind: 'stream'; attempt: Attempt; response: UpstreamResponse; first: Uint8Array | null; rest: AsyncIterator<Uint8Array>; timing: AttemptTiming }
  | { kind: 'client_error'; attempt: Attempt; status: number; contentType: string; body: string }
  | { kind: 'failed'; attempt: Attempt; failure: FailureClass; status: number | null; message: string; retryAfterMs: number | null }
  | { kind: 'aborted'; attempt: Attempt }

/** When the answering attempt left for the provider and when its headers came back. */
export interface AttemptTiming {
  dispatchedAt: number
  headersAt: number
}

/** What every attempt of one request shares. */
export interface AttemptContext {
  upstream: UpstreamClient
  latency: UrlLatency
  req: ChatRelayRequest
  settings: Settings
  /** Aborts on client disconnect or when the request's total deadline passes. */
  signal: AbortSignal
  now: () => number
}

/** Sends the request to one (channel, key) and reads enough of the answer to know it is good. */
export async function attemptChat(ctx: AttemptContext, member: RouteMember, picked: PickedKey): Promise<AttemptResult> {
  const { req, signal, now } = ctx
  const { channel } = member
  const { key, fingerprint } = picked
  const started = now()
  let baseUrl = channel.baseUrls[0] ?? ''
  const attempt = (status: number | null, outcome: Attempt['outcome'], reason: string): Attempt => ({
    channelId: channel.id,
    channelName: channel.name,
    upstreamModel: member.upstreamModel,
    keyFingerprint: fingerprint,
    baseUrl,
    status,
    outcome,
    reason: redactKeys(reason, channel.keys),
    durationMs: now() - started
  })
  const failed = (failure: FailureClass, status: number | null, message: string, retryAfter: number | null = null): AttemptResult => ({
    kind: 'failed',
    attempt: attempt(status, 'retry', message),
    failure,
    status,
    message: redactKeys(message, channel.keys),
    retryAfterMs: retryAfter
  })

  const sent = await sendToBestUrl(ctx, member, key)
  baseUrl = sent.baseUrl
  if (!sent.ok) {
    if (req.signal.aborted) return { kind: 'aborted', attempt: attempt(null, 'fail', 'client closed the connection') }
    if (signal.aborted) return failed('timeout', null, 'total deadline of the request passed')
    return failed(isTimeoutError(sent.error) ? 'timeout' : 'network', null, describe(sent.error))
  }
  const { response } = sent
  const timing: AttemptTiming = { dispatchedAt: sent.dispatchedAt, headersAt: now() }
  const contentType = String(response.headers['content-type'] ?? 'application/json')

  if (response.status >= 400) {
    const text = await readPrefix(response.body, ERROR_BODY_BYTES).catch(() => '')
    const failure = classifyStatus(response.status, text)
    const message = `HTTP ${response.status}: ${upstreamErrorMessage(text) || 'no body'}`
    if (failure === 'client') {
      return { kind: 'client_error', attempt: attempt(response.status, 'fail', message), status: response.status, contentType, body: text }
    }
    return failed(failure, response.status, message, retryAfterMs(response.headers['retry-after'], now()))
  }

  if (!req.stream) {
    try {
      const body = await readBody(response.body, MAX_RESPONSE_BYTES)
      return { kind: 'body', attempt: attempt(response.status, 'ok', 'answered'), status: response.status, contentType, body, timing }
    } catch (err) {
      if (req.signal.aborted) return { kind: 'aborted', attempt: attempt(response.status, 'fail', 'client closed the connection') }
      return failed(isTimeoutError(err) ? 'timeout' : 'network', response.status, `reading the answer failed: ${describe(err)}`)
    }
  }

  // A stream is committed only once its first bytes arrived: until then another channel can still answer.
  const rest = response.body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>
  try {
    const first = await rest.next()
    return {
      kind: 'stream',
      attempt: attempt(response.status, 'ok', 'streaming'),
      response,
      first: first.done ? null : first.value,
      rest,
      timing
    }
  } catch (err) {
    if (req.signal.aborted) return { kind: 'aborted', attempt: attempt(response.status, 'fail', 'client closed the connection') }
    return failed(isTimeoutError(err) ? 'timeout' : 'network', response.status, `stream failed before its first byte: ${describe(err)}`)
  }
}

/**
 * Sends to the channel's base URLs, lowest measured latency first; a URL that cannot be reached
 * hands over to the next one within the same attempt (nothing was sent, so nothing can repeat).
 */
async function sendToBestUrl(
  ctx: AttemptContext,
  member: RouteMember,
  key: string | null
): Promise<{ ok: true; response: UpstreamResponse; baseUrl: string; dispatchedAt: number } | { ok: false; error: unknown; baseUrl: string }> {
  const { channel } = member
  const body = JSON.stringify(upstreamBody(ctx.req, member.upstreamModel))
  const urls = ctx.latency.order(channel.id, channel.baseUrls)
  let failure: { ok: false; error: unknown; baseUrl: string } = { ok: false, error: new Error('channel has no base URL'), baseUrl: '' }
  for (const baseUrl of urls) {
    const sentAt = ctx.now()
    try {
      const response = await ctx.upstream.send({
        url: chatCompletionsUrl(baseUrl),
        method: 'POST',
        headers: upstreamHeaders(channel.headers, key, ctx.req.stream),
        body,
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
  return failure
}

/** The client's body with the upstream model; streams always ask for usage so costs can be counted. */
function upstreamBody(req: ChatRelayRequest, model: string): Record<string, unknown> {
  if (!req.stream) return { ...req.body, model }
  const options = typeof req.body.stream_options === 'object' && req.body.stream_options !== null ? req.body.stream_options : {}
  return { ...req.body, model, stream_options: { ...options, include_usage: true } }
}

function upstreamHeaders(extra: Record<string, string>, key: string | null, stream: boolean): Record<string, string> {
  // Lower-case names, so a channel header can never sit beside our own under another spelling.
  const headers: Record<string, string> = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k.toLowerCase(), v]))
  headers['content-type'] = 'application/json'
  headers.accept = stream ? 'text/event-stream' : 'application/json'
  if (key !== null) headers.authorization = `Bearer ${key}`
  return headers
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : ''
    return `${typeof code === 'string' ? `${code} ` : ''}${err.message}${cause}`
  }
  return String(err)
}
