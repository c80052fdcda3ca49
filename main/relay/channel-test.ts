import type { ChannelTestResult } from '@shared/dto/channel-test'
import type { Settings } from '@shared/dto/settings'
import { pickKey } from '../models/provider-call'
import { keyFingerprint } from '../security/client-key'
import type { ChannelRecord } from '../store/records'
import { readBody, readPrefix, redactKeys } from './body-reader'
import { emptyRequest, type CanonicalRequest } from './canonical/request'
import type { CanonicalResponse } from './canonical/response'
import type { AccessTokens } from './antigravity/access-tokens'
import { antigravityAdapter } from './protocols/gemini/antigravity'
import { channelAdapter } from './protocols/openai-chat/azure'
import type { ProtocolRegistry } from './protocols/protocol-adapter'
import { RelayError } from './relay-errors'
import type { HealthRegistry } from './routing/health'
import { describeError, isTimeoutError, type UpstreamClient } from './upstream-client'

/** What the test asks: short, so any model answers it within the token budget. */
export const TEST_PROMPT = 'Reply with the word OK.'
/** Output budget of the test: enough for "OK", small enough to cost nothing. */
export const TEST_MAX_OUTPUT_TOKENS = 16
/** The whole test gives up after this, whatever the channel's own (longer) deadlines say. */
export const TEST_DEADLINE_MS = 60_000
/** Largest answer read; a 16-token answer is a few hundred bytes. */
const MAX_ANSWER_BYTES = 1024 * 1024
/** Bytes of an error answer kept for the message. */
const ERROR_PREFIX_BYTES = 16 * 1024

/** What a channel test is made with. */
export interface ChannelTestDeps {
  upstream: UpstreamClient
  /** Access tokens of Antigravity channels (shared with the relay, so a test reuses its cache). */
  tokens: AccessTokens
  adapters: ProtocolRegistry
  /** Read only: to skip keys that are set aside; a test never changes health. */
  health: HealthRegistry
  /** The current runtime settings (deadlines a channel does not set). */
  settings: () => Settings
  now: () => number
}

/** The canonical test request: one user message, a small output budget, not streamed. */
export function testRequest(model: string): CanonicalRequest {
  const request = emptyRequest(model, false)
  request.messages.push({ role: 'user', parts: [{ type: 'text', text: TEST_PROMPT }] })
  request.generation.maxOutputTokens = TEST_MAX_OUTPUT_TOKENS
  return request
}

/** The readable text of an answer: its text (and refusal) parts, in order. */
export function answerText(response: CanonicalResponse): string {
  return response.parts
    .flatMap(part => (part.type === 'text' || part.type === 'refusal' ? [part.text] : []))
    .join('')
    .trim()
}

/**
 * Sends one tiny request to the channel in its own protocol, with its first usable key and first
 * base URL, through the relay's upstream pools (proxy, headers and deadlines of the channel).
 * Every outcome, a provider failure included, is an answer; no upstream text carries a key.
 */
export async function testChannel(deps: ChannelTestDeps, channel: ChannelRecord, model: string, signal?: AbortSignal): Promise<ChannelTestResult> {
  const adapter = antigravityAdapter(channelAdapter(deps.adapters[channel.type], channel.azure), channel.antigravity).upstream
  const key = pickKey(channel, deps.health)
  const baseUrl = channel.baseUrls[0] ?? ''
  const upstreamModel = channel.modelMap[model] ?? model
  const settings = deps.settings()
  const deadline = AbortSignal.timeout(TEST_DEADLINE_MS)
  const started = deps.now()
  const result = (ok: boolean, status: number | null, answer: string | null, error: string | null): ChannelTestResult => ({
    ok,
    status,
    latencyMs: Math.max(0, deps.now() - started),
    model,
    answer: answer === null ? null : redactKeys(answer, channel.keys),
    error: error === null ? null : redactKeys(error, channel.keys),
    baseUrl: shownUrl(baseUrl),
    keyFingerprint: key === null ? null : keyFingerprint(key)
  })
  const failed = (status: number | null, err: unknown, what: string): ChannelTestResult =>
    result(false, status, null, isTimeoutError(err) || deadline.aborted ? `${what}: timed out` : `${what}: ${describeError(err)}`)
  if (baseUrl === '') return result(false, null, null, 'the channel has no base URL')
  let auth = key
  if (channel.antigravity !== null && key !== null) {
    const credential = await deps.tokens.get(channel, channel.antigravity, key, settings)
    if (!credential.ok) return result(false, credential.status, null, credential.message)
    auth = credential.key
  }

  let response
  try {
    response = await deps.upstream.send({
      url: adapter.url(baseUrl, upstreamModel, false),
      method: 'POST',
      headers: { ...lowerCased(channel.headers), ...adapter.headers(auth, false) },
      body: JSON.stringify(adapter.buildRequest(testRequest(model), upstreamModel)),
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      connectTimeoutMs: channel.timeouts.connectMs ?? settings.connectTimeoutMs,
      firstByteTimeoutMs: channel.timeouts.firstByteMs ?? settings.firstByteTimeoutMs,
      idleTimeoutMs: channel.timeouts.idleMs ?? settings.idleTimeoutMs,
      proxy: channel.proxy
    })
  } catch (err) {
    return failed(null, err, 'the request failed')
  }
  if (response.status < 200 || response.status > 299) {
    const text = await readPrefix(response.body, ERROR_PREFIX_BYTES).catch(() => '')
    return result(false, response.status, null, `HTTP ${response.status}: ${adapter.errorMessage(text) || 'no body'}`)
  }
  let body: unknown
  try {
    body = JSON.parse((await readBody(response.body, MAX_ANSWER_BYTES)).toString('utf8'))
  } catch (err) {
    if (err instanceof SyntaxError) return result(false, response.status, null, 'the answer is not JSON')
    return failed(response.status, err, 'reading the answer failed')
  }
  try {
    return result(true, response.status, answerText(adapter.decodeResponse(body)), null)
  } catch (err) {
    // A 200 carrying an error object, or a body that is not an answer of this protocol.
    return result(false, response.status, null, err instanceof RelayError ? err.message : `the answer is not a ${channel.type} answer: ${describeError(err)}`)
  }
}

/** The base URL for the answer, without credentials a URL may carry. */
function shownUrl(baseUrl: string): string {
  if (baseUrl === '') return baseUrl
  const url = new URL(baseUrl)
  if (url.username === '' && url.password === '') return baseUrl
  url.username = ''
  url.password = ''
  return url.toString()
}

/** Channel headers with lower-case names, so the protocol's own headers replace them whatever their spelling. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
}
