import type { CanonicalRequest, Protocol } from './canonical/request'
import type { ProtocolRegistry } from './protocols/protocol-adapter'
import { relayErrors, RelayError } from './relay-errors'
import type { RouteApiKey } from './routing/route-table'
import type { RouteTableStore } from './routing/route-table-store'
import type { HealthRegistry } from './routing/health'
import { KeyPicker } from './routing/key-picker'
import type { TokenEstimator } from './token-estimate'
import { readBody } from './body-reader'
import type { UpstreamClient } from './upstream-client'

/** A count request: the client's body, its model and protocol. */
export interface CountRequest {
  protocol: Protocol
  apiKey: RouteApiKey
  model: string
  body: Record<string, unknown>
}

/** The count, ready to write: forwarded from a channel or estimated here. */
export type CountResult = { kind: 'error'; error: RelayError } | { kind: 'body'; body: unknown; headers: Record<string, string> }

/** Largest count answer read from a provider. */
const MAX_BODY_BYTES = 1024 * 1024

/** A protocol's count endpoint, from its generate endpoint; protocols without one are estimated. */
const COUNT_URL: Partial<Record<Protocol, (generateUrl: string) => string>> = {
  anthropic: url => `${url}/count_tokens`,
  'openai-responses': url => `${url}/input_tokens`,
  gemini: url => url.replace(/:generateContent(\?|$)/, ':countTokens$1')
}

/** The count in each protocol's answer shape. */
const ANSWER: Partial<Record<Protocol, (tokens: number) => unknown>> = {
  anthropic: tokens => ({ input_tokens: tokens }),
  'openai-responses': tokens => ({ object: 'response.input_tokens', input_tokens: tokens }),
  gemini: tokens => ({ totalTokens: tokens })
}

/**
 * Token counting (`/v1/messages/count_tokens`, `/v1/responses/input_tokens`, Gemini
 * `:countTokens`): asked of the group's first channel that speaks the client's protocol, and
 * estimated locally with a real tokenizer when there is none or it fails. Claude Code calls this
 * for its context bar and compaction; a failure here must never cool a channel (protocols.md §4
 * case 22), so health is not touched, and it is not logged as a request.
 */
export class TokenCountService {
  private readonly keys: KeyPicker

  constructor(private readonly deps: { routes: RouteTableStore; adapters: ProtocolRegistry; upstream: UpstreamClient; health: HealthRegistry; estimator: TokenEstimator }) {
    this.keys = new KeyPicker(deps.health)
  }

  /** Counts the input tokens of a request as its group would send it. */
  async count(req: CountRequest): Promise<CountResult> {
    const table = this.deps.routes.current()
    const group = table.groups.get(req.model)
    if (!group) return { kind: 'error', error: relayErrors.modelNotFound(req.model) }
    if (req.apiKey.allowedGroups !== null && !req.apiKey.allowedGroups.has(group.name)) return { kind: 'error', error: relayErrors.modelNotAllowed(req.apiKey.name, req.model) }
    if (!group.enabled) return { kind: 'error', error: relayErrors.modelDisabled(req.model) }
    const countUrl = COUNT_URL[req.protocol]
    // An Antigravity channel's key is a refresh token, which no countTokens endpoint takes.
    const member = countUrl ? group.members.find(m => m.channel.type === req.protocol && m.channel.antigravity === null && !this.deps.health.channelCooling(m.channel.id)) : undefined
    if (member && countUrl) {
      const adapter = this.deps.adapters[req.protocol]
      const picked = this.keys.order(member.channel)[0]
      const baseUrl = member.channel.baseUrls[0]
      if (picked && baseUrl) {
        try {
          const response = await this.deps.upstream.send({
            url: countUrl(adapter.upstream.url(baseUrl, member.upstreamModel, false)),
            method: 'POST',
            headers: adapter.upstream.headers(picked.key, false),
            body: JSON.stringify(withModel(req, member.upstreamModel)),
            signal: AbortSignal.timeout(table.settings.firstByteTimeoutMs),
            connectTimeoutMs: table.settings.connectTimeoutMs,
            firstByteTimeoutMs: table.settings.firstByteTimeoutMs,
            idleTimeoutMs: table.settings.idleTimeoutMs,
            proxy: member.channel.proxy
          })
          const body = await readBody(response.body, MAX_BODY_BYTES)
          if (response.status === 200) return { kind: 'body', body: JSON.parse(body.toString('utf8')) as unknown, headers: { 'x-cuttle-channel': member.channel.name } }
        } catch {
          // Any failure falls back to the estimate below: counting must keep working.
        }
      }
    }
    return this.estimate(req)
  }

  private async estimate(req: CountRequest): Promise<CountResult> {
    let parsed: CanonicalRequest
    try {
      parsed = this.deps.adapters[req.protocol].client.parseRequest(countable(req), { model: req.model, stream: false })
    } catch (err) {
      return { kind: 'error', error: err instanceof RelayError ? err : relayErrors.invalidRequest(String(err)) }
    }
    const tokens = await this.deps.estimator.count(parsed)
    const answer = ANSWER[req.protocol] ?? ((n: number) => ({ input_tokens: n }))
    return { kind: 'body', body: answer(tokens), headers: { 'x-cuttle-token-estimate': 'o200k_base' } }
  }
}

/** The body as a generate request, for parsing: count bodies lack fields generate bodies require. */
function countable(req: CountRequest): Record<string, unknown> {
  if (req.protocol === 'anthropic') return { max_tokens: 1, ...req.body }
  const inner = req.body.generateContentRequest
  if (req.protocol === 'gemini' && typeof inner === 'object' && inner !== null) return inner as Record<string, unknown>
  return req.body
}

/** The client's count body for a channel: its model name, where the body has one. */
function withModel(req: CountRequest, model: string): Record<string, unknown> {
  if (req.protocol !== 'gemini') return { ...req.body, model }
  const inner = req.body.generateContentRequest
  if (typeof inner !== 'object' || inner === null) return req.body
  return { ...req.body, generateContentRequest: { ...(inner as Record<string, unknown>), model: `models/${model}` } }
}
