import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'
import { PassThrough } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Context } from 'koa'
import { Agent, request, type Dispatcher } from 'undici'
import { ErrorCode } from '@shared/constants/error-code'
import { AMP_PREFIX } from './amp-paths'
import { sendJson } from './respond'

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), and Host, which names Cuttle. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host'])
/** Headers a client key may travel in (client-key.ts). */
const KEY_HEADERS = new Set(['authorization', 'x-api-key', 'x-goog-api-key'])
const CONNECT_TIMEOUT_MS = 10_000

/**
 * Amp CLI's requests that are not model calls (sign-in, user, threads, telemetry) go to Amp's own
 * servers unchanged, streamed both ways: they carry the user's Amp credentials, not a Cuttle key,
 * so Cuttle authenticates nothing here. A Cuttle client key is the one thing taken out: it must
 * never leave this machine. Amp CLI has one key for both kinds of call, so when it holds the
 * Cuttle key, `ampApiKey` (the user's Amp key, configured in Cuttle) takes its place. `upstreamUrl`
 * '' turns forwarding off.
 */
export function ampForwarder(upstreamUrl: string, ampApiKey: string | null, isClientKey: (presented: string) => boolean): (ctx: Context) => Promise<void> {
  if (upstreamUrl === '') {
    return async ctx => {
      sendJson(ctx, 404, {
        error: { code: ErrorCode.NotFound, message: `Amp requests are not forwarded here (ampUpstreamUrl is off), so ${ctx.method} ${ctx.path} has no answer. Set CUTTLE_AMP_UPSTREAM_URL to forward them.` }
      })
    }
  }
  const base = upstreamUrl.replace(/\/+$/, '')
  // No body timeout: Amp holds some streams open and quiet for long.
  const dispatcher = new Agent({ connect: { timeout: CONNECT_TIMEOUT_MS }, bodyTimeout: 0 })
  return async ctx => {
    const controller = new AbortController()
    ctx.res.once('close', () => {
      if (!ctx.res.writableFinished) controller.abort()
    })
    const headers = ctx.req.headers
    const hasBody = headers['content-length'] !== undefined ? headers['content-length'] !== '0' : headers['transfer-encoding'] !== undefined
    let answer: Dispatcher.ResponseData
    try {
      answer = await request(base + ctx.url.slice(AMP_PREFIX.length), {
        method: ctx.method as Dispatcher.HttpMethod,
        headers: requestHeaders(headers, isClientKey, ampApiKey),
        // Not the request itself: undici would wait for its 'close', which Node emits only after the response ended.
        body: hasBody ? ctx.req.pipe(new PassThrough()) : null,
        signal: controller.signal,
        dispatcher
      })
    } catch (err) {
      if (controller.signal.aborted) return
      const reason = err instanceof Error ? err.message : String(err)
      return sendJson(ctx, 502, { error: { code: ErrorCode.UpstreamFailed, message: `The Amp upstream ${base} could not be reached: ${reason}` } })
    }
    ctx.respond = false
    ctx.res.writeHead(answer.statusCode, responseHeaders(answer.headers))
    // Streamed answers (SSE) must show their headers and each chunk at once.
    ctx.res.flushHeaders()
    ctx.req.socket.setNoDelay(true)
    try {
      await pipeline(answer.body, ctx.res)
    } catch {
      // One side closed early; pipeline has already destroyed both.
    }
  }
}

/**
 * The client's headers for the upstream: without hop-by-hop headers and without a Cuttle client
 * key, which the configured Amp key replaces (as a Bearer token, the way Amp CLI sends its key).
 */
function requestHeaders(headers: IncomingHttpHeaders, isClientKey: (presented: string) => boolean, ampApiKey: string | null): Record<string, string | string[]> {
  const dropped = connectionTokens(headers.connection)
  const out: Record<string, string | string[]> = {}
  let removedKey = false
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.has(name)) continue
    if (KEY_HEADERS.has(name) && typeof value === 'string' && isClientKey(value.replace(/^Bearer\s+/i, '').trim())) {
      removedKey = true
      continue
    }
    out[name] = value
  }
  if (removedKey && ampApiKey !== null) out.authorization = `Bearer ${ampApiKey}`
  return out
}

/** The upstream's headers for the client, without hop-by-hop headers (Node frames the body itself). */
function responseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const dropped = connectionTokens(headers.connection)
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !dropped.has(name)) out[name] = value
  }
  return out
}

/** Header names a Connection header lists as hop-by-hop. */
function connectionTokens(connection: string | string[] | undefined): Set<string> {
  const text = Array.isArray(connection) ? connection.join(',') : (connection ?? '')
  return new Set(text.split(',').map(token => token.trim().toLowerCase()).filter(token => token !== ''))
}
