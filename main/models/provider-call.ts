import type { ChannelTimeouts } from '@shared/dto/channel'
import type { Settings } from '@shared/dto/settings'
import { readBody, readPrefix, redactKeys } from '../relay/body-reader'
import type { HealthRegistry } from '../relay/routing/health'
import { describeError, isTimeoutError, type UpstreamClient } from '../relay/upstream-client'
import { keyFingerprint } from '../security/client-key'
import type { ChannelRecord } from '../store/records'

/** Deadline of one admin-side provider call (a model list with all its pages, or a balance). */
export const PROVIDER_CALL_TIMEOUT_MS = 15_000
/** Largest answer read: a list of thousands of models is far below it. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024
/** Bytes of an error answer kept for the message. */
const ERROR_PREFIX_BYTES = 4096

/** What provider calls outside the relay path are made with. */
export interface ProviderCallDeps {
  upstream: UpstreamClient
  health: HealthRegistry
  /** The current runtime settings (connect timeout). */
  settings: () => Settings
}

/** How to reach a provider: one key and the channel's proxy, extra headers and timeouts. */
export interface ProviderAccess {
  key: string | null
  proxy: string | null
  headers: Record<string, string>
  timeouts: ChannelTimeouts
  /** Every key of the channel: none may appear in an error message. */
  secrets: readonly string[]
}

/** A provider call that failed; the message names the URL and the HTTP status, never a key. */
export class ProviderCallError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProviderCallError'
  }
}

/** The channel's first healthy key: ready keys in list order, then cooling ones, set-aside ones last. */
export function pickKey(channel: ChannelRecord, health: HealthRegistry): string | null {
  const rank = (key: string): number => {
    const print = keyFingerprint(key)
    if (health.keyDisabled(channel.id, print)) return 2
    return health.keyCooling(channel.id, print) ? 1 : 0
  }
  const ranked = channel.keys.map((key, at) => ({ key, at, rank: rank(key) }))
  ranked.sort((a, b) => a.rank - b.rank || a.at - b.at)
  return ranked[0]?.key ?? null
}

/** The access a channel gives: its first healthy key, proxy, headers and timeouts. */
export function channelAccess(channel: ChannelRecord, health: HealthRegistry): ProviderAccess {
  return { key: pickKey(channel, health), proxy: channel.proxy, headers: channel.headers, timeouts: channel.timeouts, secrets: channel.keys }
}

/** A plain object, or null. */
export function objectOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

/** One auth header, or none for a channel without keys (a local server). */
export function authHeader(name: string, value: string | null): Record<string, string> {
  return value === null ? {} : { [name]: value }
}

/** A URL fit for a message: credentials in it are dropped. */
export function safeUrl(url: string): string {
  const parsed = new URL(url)
  parsed.username = ''
  parsed.password = ''
  return parsed.toString()
}

/**
 * GETs a JSON answer through the relay's undici pools, so the channel's proxy applies; the
 * channel's timeouts apply too, capped at PROVIDER_CALL_TIMEOUT_MS. Throws ProviderCallError.
 */
export async function getJson(
  deps: ProviderCallDeps,
  access: ProviderAccess,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal
): Promise<unknown> {
  const where = `GET ${safeUrl(url)}`
  const secrets = access.key === null ? access.secrets : [access.key, ...access.secrets]
  const fail = (text: string): ProviderCallError => new ProviderCallError(redactKeys(text, secrets))
  const cap = (ms: number | undefined, fallback: number): number => Math.min(ms ?? fallback, PROVIDER_CALL_TIMEOUT_MS)
  let response
  try {
    response = await deps.upstream.send({
      url,
      method: 'GET',
      headers: { ...lowerCased(access.headers), accept: 'application/json', ...headers },
      signal,
      connectTimeoutMs: cap(access.timeouts.connectMs, deps.settings().connectTimeoutMs),
      firstByteTimeoutMs: cap(access.timeouts.firstByteMs, PROVIDER_CALL_TIMEOUT_MS),
      idleTimeoutMs: cap(access.timeouts.idleMs, PROVIDER_CALL_TIMEOUT_MS),
      proxy: access.proxy
    })
  } catch (err) {
    throw fail(timedOut(err, signal) ? `${where} timed out` : `${where} failed: ${describeError(err)}`)
  }
  if (response.status < 200 || response.status > 299) {
    const text = await readPrefix(response.body, ERROR_PREFIX_BYTES).catch(() => '')
    throw fail(`HTTP ${response.status} from ${where}${errorDetail(text)}`)
  }
  let text: string
  try {
    text = (await readBody(response.body, MAX_ANSWER_BYTES)).toString('utf8')
  } catch (err) {
    throw fail(timedOut(err, signal) ? `${where} timed out while reading the answer` : `${where}: ${describeError(err)}`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw fail(`${where} answered HTTP ${response.status} with something that is not JSON`)
  }
}

function timedOut(err: unknown, signal: AbortSignal): boolean {
  return isTimeoutError(err) || (signal.aborted && signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError')
}

/** `: <message>` from an error answer: the provider's own message when it sends one in JSON. */
function errorDetail(text: string): string {
  const trimmed = text.trim()
  if (trimmed === '') return ''
  let parsed: unknown = trimmed
  try {
    parsed = JSON.parse(trimmed)
  } catch {
    // Not JSON: the text itself says what went wrong.
  }
  const line = messageIn(parsed) ?? trimmed
  return `: ${line.replace(/\s+/g, ' ').slice(0, 300)}`
}

/** The message of the usual error shapes: `{error: {message}}`, `{error: "…"}`, `{message}` or a bare string. */
function messageIn(body: unknown): string | null {
  if (typeof body === 'string') return body
  const error = objectOf(body)?.error
  if (typeof error === 'string') return error
  const message = objectOf(error)?.message ?? objectOf(body)?.message
  return typeof message === 'string' ? message : null
}

/** Channel headers with lower-case names, so the call's own headers replace them whatever their spelling. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
}
