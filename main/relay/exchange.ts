import { customToolNames, customToolsAsFunctions, restoreCustomCalls } from './canonical/custom-tools'
import type { CanonicalRequest, Protocol } from './canonical/request'
import type { CanonicalResponse } from './canonical/response'
import { ToolNameMap, withPortableToolNames } from './canonical/tool-names'
import { NO_USAGE, type Usage } from './canonical/usage'
import { conversionStream } from './conversion-stream'
import { ImageInliner } from './image-inliner'
import { passThroughStream } from './pass-through-stream'
import { antigravityAdapter } from './protocols/gemini/antigravity'
import { channelAdapter } from './protocols/openai-chat/azure'
import type { ProtocolAdapter, ProtocolRegistry } from './protocols/protocol-adapter'
import { relayErrors, RelayError } from './relay-errors'
import type { RelayRequest } from './relay-types'
import type { RouteMember } from './routing/route-table'
import type { StreamTransform } from './stream-forwarder'
import type { UpstreamCall } from './upstream-attempt'

/** A finished answer as the client gets it. */
export interface ClientAnswer {
  status: number
  contentType: string
  body: Buffer | string
  usage: Usage
}

/**
 * How one request is said to one channel and how the channel's answer is said back to the
 * client: untouched when both speak the same protocol (pass-through), through the canonical
 * model otherwise.
 */
export interface Exchange {
  readonly call: UpstreamCall
  /** The client's answer from a non-streamed upstream body. */
  answer(body: Buffer, contentType: string): ClientAnswer
  /** The transform a committed stream goes through. */
  stream(): StreamTransform
  /** What the client gets for a client error (4xx) the channel answered. */
  clientError(status: number, contentType: string, body: string, message: string): ClientAnswer
}

/** The client's canonical request, parsed once and only when a channel of another protocol is tried. */
export class CanonicalCache {
  private parsed: CanonicalRequest | RelayError | null = null
  private inlined: Promise<CanonicalRequest> | null = null

  constructor(
    private readonly req: RelayRequest,
    private readonly client: ProtocolAdapter,
    private readonly images: ImageInliner
  ) {}

  /** The canonical request as `protocol` needs it: Gemini takes images only as bytes. */
  async for(protocol: Protocol): Promise<CanonicalRequest> {
    const request = this.get()
    if (protocol !== 'gemini' || !ImageInliner.needed(request)) return request
    this.inlined ??= this.images.inline(request)
    return this.inlined
  }

  /** The canonical request; throws the client's 400 when its body cannot be converted. */
  get(): CanonicalRequest {
    if (this.parsed === null) {
      try {
        this.parsed = this.client.client.parseRequest(this.req.body, { model: this.req.model, stream: this.req.stream })
      } catch (err) {
        this.parsed = err instanceof RelayError ? err : relayErrors.invalidRequest(String(err))
      }
    }
    if (this.parsed instanceof RelayError) throw this.parsed
    return this.parsed
  }
}

/** Builds the exchange for `member`; rejects with a RelayError when the request cannot be said in the channel's protocol. */
export async function createExchange(req: RelayRequest, adapters: ProtocolRegistry, member: RouteMember, canonical: CanonicalCache): Promise<Exchange> {
  const client = adapters[req.protocol]
  const channel = antigravityAdapter(channelAdapter(adapters[member.channel.type], member.channel.azure), member.channel.antigravity)
  // A Gemini client asking for the JSON-array stream gets it by conversion: upstreams are always read as SSE.
  // So does one of an Antigravity channel: its answers come in the Cloud Code envelope, which the decoder takes off.
  const sameWire = client.protocol === channel.protocol && !(req.stream && req.streamFraming === 'json-array') && member.channel.antigravity === null
  // The channel's adapter, not the client's: the same protocol, but addressed the channel's way (Azure).
  return sameWire ? passThroughExchange(req, channel, member) : conversionExchange(req, client, channel, member, await canonical.for(channel.protocol))
}

function passThroughExchange(req: RelayRequest, adapter: ProtocolAdapter, member: RouteMember): Exchange {
  const { upstream, passThrough } = adapter
  const model = member.upstreamModel
  return {
    call: {
      url: baseUrl => upstream.url(baseUrl, model, req.stream),
      headers: key => ({ ...upstream.headers(key, req.stream), ...req.forwardHeaders }),
      body: JSON.stringify(passThrough.prepareBody(req.body, model, req.stream)),
      stream: req.stream,
      errorMessage: upstream.errorMessage
    },
    answer: (body, contentType) => {
      const parsed = parseJson(body)
      // A 200 that is not JSON (cut short, a proxy's page) is no answer: passed on, it would break the client's SDK.
      if (parsed === undefined) return notJson(adapter)
      return { status: 200, contentType, body, usage: passThrough.usageOfBody(parsed) ?? NO_USAGE }
    },
    stream: () => passThroughStream(passThrough, passThrough.usageTap(req.streamUsage), adapter.client.streamError),
    // Same protocol: the provider's own error body is already in the client's format.
    clientError: (status, contentType, body) => ({ status, contentType, body, usage: NO_USAGE })
  }
}

function conversionExchange(req: RelayRequest, client: ProtocolAdapter, channel: ProtocolAdapter, member: RouteMember, request: CanonicalRequest): Exchange {
  const model = member.upstreamModel
  const functional = channel.protocol === 'openai-responses' ? request : customToolsAsFunctions(request)
  const upstreamRequest = withPortableToolNames(functional)
  const toolNames = new ToolNameMap(functional)
  const customTools = channel.protocol === 'openai-responses' ? new Set<string>() : customToolNames(request)
  const ctx = {
    requestId: req.requestId,
    clientModel: req.model,
    request,
    createdAt: req.startedAt,
    streamFraming: req.streamFraming
  }
  const toClient = (response: CanonicalResponse): CanonicalResponse => {
    const named = toolNames.renames
      ? { ...response, parts: response.parts.map(p => (p.type === 'tool_call' ? { ...p, name: toolNames.toClient(p.name) } : p)) }
      : response
    return restoreCustomCalls(named, customTools)
  }
  const rendered = (error: RelayError): ClientAnswer => errorAnswer(client, error)
  return {
    call: {
      url: baseUrl => channel.upstream.url(baseUrl, model, req.stream),
      headers: key => channel.upstream.headers(key, req.stream),
      body: JSON.stringify(channel.upstream.buildRequest(upstreamRequest, model)),
      stream: req.stream,
      errorMessage: channel.upstream.errorMessage
    },
    answer(body) {
      const parsed = parseJson(body)
      if (parsed === undefined) return notJson(client)
      let response: CanonicalResponse
      try {
        response = toClient(channel.upstream.decodeResponse(parsed))
      } catch (err) {
        // A 200 carrying an error object, or a body that is not an answer: the client hears it in its own format.
        if (err instanceof RelayError) return rendered(err)
        throw err
      }
      return { status: 200, contentType: 'application/json', body: JSON.stringify(client.client.encodeResponse(response, ctx)), usage: response.usage }
    },
    stream: () => conversionStream({ decoder: channel.upstream.streamDecoder(), encoder: client.client.streamEncoder(ctx), toolNames, customTools }),
    clientError: (status, _contentType, _body, message) => rendered(relayErrors.upstreamRejected(status, message))
  }
}

/** `error` answered in the client's protocol. */
function errorAnswer(client: ProtocolAdapter, error: RelayError): ClientAnswer {
  return { status: error.status, contentType: 'application/json', body: JSON.stringify(client.client.errorBody(error)), usage: NO_USAGE }
}

/** The client's 502 for an upstream 200 whose body is not JSON. */
function notJson(client: ProtocolAdapter): ClientAnswer {
  return errorAnswer(client, relayErrors.upstreamFailed(502, 'The upstream answered with a body that is not JSON.'))
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}
