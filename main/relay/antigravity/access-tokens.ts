import type { AntigravityOptions } from '@shared/dto/channel'
import type { Settings } from '@shared/dto/settings'
import type { ChannelRecord } from '../../store/records'
import { readPrefix } from '../body-reader'
import { classifyStatus, type FailureClass } from '../routing/failure-classifier'
import { describeError, isTimeoutError, type UpstreamClient } from '../upstream-client'

/** Bytes of a token endpoint answer read; a token response is well under this. */
const TOKEN_BODY_BYTES = 64 * 1024
/** A refresh gives up after this, whatever the channel's deadlines: requests are waiting on it. */
const TOKEN_DEADLINE_MS = 30_000
/** An access token is replaced this long before it expires, so none lapses on its way upstream. */
const EXPIRY_MARGIN_MS = 60_000
/** Google's tokens last an hour; an answer that does not say is taken to mean the same. */
const DEFAULT_LIFETIME_SEC = 3600

/** What a request to an Antigravity channel is sent with: the access token, or why there is none. */
export type Credential = { ok: true; key: string } | { ok: false; failure: FailureClass; status: number | null; message: string }

interface Cached {
  token: string
  until: number
}

/**
 * Access tokens for Antigravity channels' refresh tokens, cached until shortly before they expire,
 * with one refresh in flight per (channel, refresh token): a burst of requests costs the token
 * endpoint one call. A refused refresh token fails as `auth`, which sets the key aside like a 401.
 */
export class AccessTokens {
  private readonly cached = new Map<string, Cached>()
  private readonly pending = new Map<string, Promise<Credential>>()

  constructor(
    private readonly upstream: UpstreamClient,
    private readonly now: () => number
  ) {}

  /** The access token to send for `refreshToken` of `channel`, whose Antigravity options are `options`. */
  get(channel: ChannelRecord, options: AntigravityOptions, refreshToken: string, settings: Settings): Promise<Credential> {
    const id = cacheId(channel, refreshToken)
    const hit = this.cached.get(id)
    if (hit !== undefined && hit.until > this.now()) return Promise.resolve({ ok: true, key: hit.token })
    let flight = this.pending.get(id)
    if (flight === undefined) {
      flight = this.refresh(channel, options, refreshToken, settings, id).finally(() => this.pending.delete(id))
      this.pending.set(id, flight)
    }
    return flight
  }

  /** Drops the cached access token of `refreshToken`: the endpoint refused it (revoked before its expiry). */
  forget(channel: ChannelRecord, refreshToken: string): void {
    this.cached.delete(cacheId(channel, refreshToken))
  }

  private async refresh(channel: ChannelRecord, options: AntigravityOptions, refreshToken: string, settings: Settings, id: string): Promise<Credential> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: options.clientId, client_secret: options.clientSecret })
    let response
    try {
      response = await this.upstream.send({
        url: options.tokenUrl,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        // Not the asking request's signal: other requests share this refresh and must not lose it when that client leaves.
        signal: AbortSignal.timeout(TOKEN_DEADLINE_MS),
        connectTimeoutMs: channel.timeouts.connectMs ?? settings.connectTimeoutMs,
        firstByteTimeoutMs: channel.timeouts.firstByteMs ?? settings.firstByteTimeoutMs,
        idleTimeoutMs: channel.timeouts.idleMs ?? settings.idleTimeoutMs,
        proxy: channel.proxy
      })
    } catch (err) {
      return { ok: false, failure: isTimeoutError(err) ? 'timeout' : 'network', status: null, message: `token endpoint: ${describeError(err)}` }
    }
    const text = await readPrefix(response.body, TOKEN_BODY_BYTES).catch(() => '')
    if (response.status === 400 || response.status === 401) {
      // invalid_grant (revoked or expired) or invalid_client: retrying this key cannot help.
      return { ok: false, failure: 'auth', status: response.status, message: `the token endpoint refused the refresh token (HTTP ${response.status}: ${oauthError(text)})` }
    }
    if (response.status >= 300) return { ok: false, failure: classifyStatus(response.status, text), status: response.status, message: `token endpoint: HTTP ${response.status}: ${oauthError(text)}` }
    const answer = parseObject(text)
    const token = answer?.access_token
    if (typeof token !== 'string' || token === '') return { ok: false, failure: 'server', status: response.status, message: 'the token endpoint answered without an access token' }
    const lifetimeMs = (typeof answer?.expires_in === 'number' ? answer.expires_in : DEFAULT_LIFETIME_SEC) * 1000
    // Short-lived tokens (tests, some proxies) are kept for half their life rather than not at all.
    this.remember(id, { token, until: this.now() + lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2) })
    return { ok: true, key: token }
  }

  /** Caches a token, dropping expired ones so keys removed from channels do not pile up. */
  private remember(id: string, entry: Cached): void {
    const now = this.now()
    for (const [other, cached] of this.cached) if (cached.until <= now) this.cached.delete(other)
    this.cached.set(id, entry)
  }
}

/** A refresh token is cached per channel: another channel may name another client for the same token. */
function cacheId(channel: ChannelRecord, refreshToken: string): string {
  return `${channel.id}\n${refreshToken}`
}

/** OAuth's `error: error_description`, or the start of a body that is not one. */
function oauthError(text: string): string {
  const body = parseObject(text)
  if (typeof body?.error === 'string') return typeof body.error_description === 'string' ? `${body.error}: ${body.error_description}` : body.error
  return text.trim().slice(0, 500) || 'no body'
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}
