/**
 * The relay's conversion path for tests, without HTTP: a client request of one protocol, an
 * upstream of another, and the same steps exchange.ts takes between them (custom tools as
 * functions, portable tool names, `conversionStream` for streams, decode → rename → encode for
 * bodies).
 */
import { customToolNames, customToolsAsFunctions, restoreCustomCalls } from '../relay/canonical/custom-tools'
import { emptyRequest, type CanonicalRequest, type Protocol, type ToolDefinition } from '../relay/canonical/request'
import type { CanonicalResponse } from '../relay/canonical/response'
import { ToolNameMap, withPortableToolNames } from '../relay/canonical/tool-names'
import { conversionStream } from '../relay/conversion-stream'
import type { EncodeContext } from '../relay/protocols/protocol-adapter'
import { protocolAdapters } from '../relay/protocols/registry'
import type { StreamTransform } from '../relay/stream-forwarder'

/** The four protocols, in a fixed order. */
export const PROTOCOLS: readonly Protocol[] = ['openai-chat', 'openai-responses', 'anthropic', 'gemini']

/** Every ordered (upstream, client) pair of different protocols: the 12 conversions. */
export const PAIRS: ReadonlyArray<{ upstream: Protocol; client: Protocol }> = PROTOCOLS.flatMap(upstream =>
  PROTOCOLS.filter(client => client !== upstream).map(client => ({ upstream, client }))
)

/** The registry the relay uses. */
export const adapters = protocolAdapters()

/** The model name clients ask for; every answer must echo it. */
export const CLIENT_MODEL = 'team-coder'

/** A model name of each protocol's upstream (builders adapt some fields to it). */
const UPSTREAM_MODEL: Readonly<Record<Protocol, string>> = {
  'openai-chat': 'gpt-4o',
  'openai-responses': 'gpt-5-codex',
  anthropic: 'claude-sonnet-4-5',
  gemini: 'gemini-3-pro-preview'
}

const tool = (name: string, property: string): ToolDefinition => ({
  name,
  kind: 'function',
  parameters: { type: 'object', properties: { [property]: { type: 'string' } }, required: [property] }
})

/** The tools the fixtures' answers call. */
const FIXTURE_TOOLS: ToolDefinition[] = [tool('get_weather', 'city'), tool('read_file', 'path'), tool('list_dir', 'dir'), tool('Read', 'file_path')]

/**
 * A streaming client request of `client` as its parser gives it, offering the fixtures' tools.
 * Only Chat clients choose whether the stream carries usage (`stream_options.include_usage`).
 */
export function clientRequest(client: Protocol, overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    ...emptyRequest(CLIENT_MODEL, true),
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'Go.' }] }],
    tools: FIXTURE_TOOLS,
    streamUsage: client !== 'openai-chat',
    ...overrides
  }
}

/** The encoder context the relay makes for `request`. */
function encodeContext(request: CanonicalRequest, streamFraming: EncodeContext['streamFraming'] = 'sse'): EncodeContext {
  return { requestId: 'req_pairs01', clientModel: request.model, request, createdAt: 1_760_000_000_000, streamFraming }
}

/** What the relay derives from the client's request for a channel of `upstream` (as exchange.ts does). */
interface Leg {
  /** The request handed to the upstream's builder. */
  upstreamRequest: CanonicalRequest
  toolNames: ToolNameMap
  customTools: ReadonlySet<string>
}

/** The leg from the client's canonical request to an upstream of `upstream`. */
function leg(upstream: Protocol, request: CanonicalRequest): Leg {
  const functional = upstream === 'openai-responses' ? request : customToolsAsFunctions(request)
  return {
    upstreamRequest: withPortableToolNames(functional),
    toolNames: new ToolNameMap(functional),
    customTools: upstream === 'openai-responses' ? new Set<string>() : customToolNames(request)
  }
}

/** The body the relay sends an upstream of `upstream` for the client's canonical request. */
export function buildUpstream(upstream: Protocol, request: CanonicalRequest): Record<string, unknown> {
  return adapters[upstream].upstream.buildRequest(leg(upstream, request).upstreamRequest, UPSTREAM_MODEL[upstream])
}

/** Splits bytes into pieces; the relay gets the upstream's bytes however the network cut them. */
export type Cutter = (bytes: Buffer) => Buffer[]

/** The bytes in one piece. */
const whole: Cutter = bytes => [bytes]

/** Pieces of 1 to `max` bytes, cut at places a seeded generator picks (inside frames and UTF-8 characters too). */
export function randomPieces(seed: number, max = 16): Cutter {
  return bytes => {
    let state = seed >>> 0
    const next = (): number => {
      // mulberry32: small, seedable, good enough to place cuts.
      state = (state + 0x6d2b79f5) >>> 0
      let t = state
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    const pieces: Buffer[] = []
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(next() * max)
      pieces.push(bytes.subarray(at, at + size))
      at += size
    }
    return pieces
  }
}

/**
 * The transform the relay puts between an upstream stream of `upstream` and a client of
 * `client` (`framing`: a Gemini client's SSE or streamed JSON array).
 */
export function relayTransform(upstream: Protocol, client: Protocol, request: CanonicalRequest, framing: EncodeContext['streamFraming'] = 'sse'): StreamTransform {
  const { toolNames, customTools } = leg(upstream, request)
  return conversionStream({
    decoder: adapters[upstream].upstream.streamDecoder(),
    encoder: adapters[client].client.streamEncoder(encodeContext(request, framing)),
    toolNames,
    customTools
  })
}

/** The client's stream for an upstream stream `sse`, fed to the relay's conversion in `cut` pieces. */
export function convertStream(upstream: Protocol, client: Protocol, sse: string, request: CanonicalRequest = clientRequest(client), cut: Cutter = whole): string {
  const transform = relayTransform(upstream, client, request)
  let out = ''
  for (const piece of cut(Buffer.from(sse, 'utf8'))) out += transform.push(piece).toString()
  return out + transform.end().toString()
}

/** The client's body for an upstream body, as the relay's non-streamed path makes it. */
export function convertBody(upstream: Protocol, client: Protocol, body: unknown, request: CanonicalRequest = clientRequest(client, { stream: false })): unknown {
  const { toolNames, customTools } = leg(upstream, request)
  const decoded: CanonicalResponse = adapters[upstream].upstream.decodeResponse(body)
  const named = toolNames.renames
    ? { ...decoded, parts: decoded.parts.map(p => (p.type === 'tool_call' ? { ...p, name: toolNames.toClient(p.name) } : p)) }
    : decoded
  return adapters[client].client.encodeResponse(restoreCustomCalls(named, customTools), encodeContext(request))
}
