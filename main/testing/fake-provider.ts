import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Protocol } from '../relay/canonical/request'
import { FAKE_USAGE, providerAnswers, type FakeReply } from './fake-provider-answers'
import { offeredToolsOf, toolResultsOf, type SeenToolResult } from './fake-provider-requests'
import { listenLocal } from './listen-local'

export { FAKE_CALL_ID, FAKE_USAGE, type FakeReply } from './fake-provider-answers'
export type { SeenToolResult } from './fake-provider-requests'

/** A request as the fake provider received it, with what it answered. */
export interface ProviderRequest {
  protocol: Protocol
  /** `generate` for a model turn, `count` for a token-counting request. */
  kind: 'generate' | 'count'
  path: string
  headers: IncomingMessage['headers']
  body: Record<string, unknown>
  stream: boolean
  /** The tool results the request carried. */
  toolResults: SeenToolResult[]
  /** What the fake answered (null for a count). */
  reply: FakeReply | null
}

/** The tool call to script: `arguments` for a function, `input` for a free-form (custom) tool. */
export type ScriptedTool = { name: string; arguments: Record<string, unknown> } | { name: string; input: string }

/** The conversation the fake plays. */
export interface FakeScript {
  /** Called by a request that offers this tool and carries no tool result. */
  tool: ScriptedTool
  /** The answer to a request carrying a tool result. */
  finalText: string
  /** The answer to every other request (a client's side requests: titles, probes, summaries). */
  sideText: string
}

/** The weather tool every scripted conversation uses unless told otherwise. */
export const WEATHER_TOOL = { name: 'get_weather', arguments: { city: 'Paris' } } as const
/** The final answer after the tool result, unless told otherwise. */
export const WEATHER_TEXT = 'The weather in Paris is sunny.'

/** A fake provider speaking all four protocols on one port, playing a scripted two-turn tool conversation. */
export interface FakeProvider {
  readonly url: string
  readonly requests: ProviderRequest[]
  /** Method and path of requests to paths it does not serve (answered 404). */
  readonly unmatched: string[]
  /** Changes parts of the script for the requests that follow. */
  setScript(next: Partial<FakeScript>): void
  close(): Promise<void>
}

const GEMINI_PATH = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/

/**
 * Starts the fake on 127.0.0.1. Whatever the protocol, a request that carries a tool result gets
 * the final text; one that offers the scripted tool gets the call; others get the side text.
 * Answers follow each provider's real shapes, streamed when asked (Gemini as SSE with
 * `\r\n\r\n`, as Google sends it). Token-counting endpoints answer a fixed count.
 */
export async function startFakeProvider(options: Partial<FakeScript> = {}): Promise<FakeProvider> {
  let script: FakeScript = { tool: WEATHER_TOOL, finalText: WEATHER_TEXT, sideText: 'OK', ...options }
  const requests: ProviderRequest[] = []
  const unmatched: string[] = []
  const server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => {
      const path = req.url ?? ''
      const route = req.method === 'POST' ? routeOf(path.split('?')[0] ?? '') : null
      if (route === null) {
        unmatched.push(`${req.method} ${path}`)
        return sendJson(res, 404, { error: { type: 'not_found_error', message: `no such path: ${req.method} ${path}` } })
      }
      const body = parseBody(Buffer.concat(parts).toString('utf8'))
      if (body === null) return sendJson(res, 400, { error: { type: 'invalid_request_error', message: 'body is not a JSON object' } })
      const { protocol, kind } = route
      const stream = route.stream ?? body.stream === true
      const recorded: ProviderRequest = { protocol, kind, path, headers: req.headers, body, stream, toolResults: toolResultsOf(protocol, body), reply: null }
      requests.push(recorded)
      if (kind === 'count') return sendJson(res, 200, countAnswer(protocol))
      recorded.reply = replyTo(recorded, script)
      respond(res, recorded, recorded.reply, route.model ?? String(body.model ?? 'unknown'))
    })
  })
  const listener = await listenLocal(server)
  return {
    url: listener.url,
    requests,
    unmatched,
    setScript: next => {
      script = { ...script, ...next }
    },
    close: () => listener.close()
  }
}

interface Route {
  protocol: Protocol
  kind: 'generate' | 'count'
  /** Gemini names the model and the streaming in the path; others say them in the body. */
  model?: string
  stream?: boolean
}

function routeOf(path: string): Route | null {
  switch (path) {
    case '/v1/chat/completions':
      return { protocol: 'openai-chat', kind: 'generate' }
    case '/v1/responses':
      return { protocol: 'openai-responses', kind: 'generate' }
    case '/v1/responses/input_tokens':
      return { protocol: 'openai-responses', kind: 'count' }
    case '/v1/messages':
      return { protocol: 'anthropic', kind: 'generate' }
    case '/v1/messages/count_tokens':
      return { protocol: 'anthropic', kind: 'count' }
  }
  const gemini = GEMINI_PATH.exec(path)
  if (!gemini) return null
  const method = gemini[2]
  return { protocol: 'gemini', kind: method === 'countTokens' ? 'count' : 'generate', model: gemini[1], stream: method === 'streamGenerateContent' }
}

function parseBody(text: string): Record<string, unknown> | null {
  if (text === '') return {}
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null
  } catch {
    return null
  }
}

function countAnswer(protocol: Protocol): unknown {
  if (protocol === 'gemini') return { totalTokens: FAKE_USAGE.input }
  if (protocol === 'openai-responses') return { object: 'response.input_tokens', input_tokens: FAKE_USAGE.input }
  return { input_tokens: FAKE_USAGE.input }
}

/** Which answer a request gets under `script`. */
function replyTo(req: ProviderRequest, script: FakeScript): FakeReply {
  if (req.toolResults.length > 0) return { kind: 'text', text: script.finalText }
  const { tool } = script
  const offered = offeredToolsOf(req.protocol, req.body).get(tool.name)
  if (offered === undefined) return { kind: 'text', text: script.sideText }
  if ('arguments' in tool) return { kind: 'call', name: tool.name, arguments: tool.arguments }
  // A model sees a free-form tool converted to a function as one taking the raw input as `input`.
  return offered === 'custom' ? { kind: 'custom', name: tool.name, input: tool.input } : { kind: 'call', name: tool.name, arguments: { input: tool.input } }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

function respond(res: ServerResponse, req: ProviderRequest, reply: FakeReply, model: string): void {
  const answer = providerAnswers(req.protocol, reply, model)
  if (!req.stream) return sendJson(res, 200, answer.body)
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const wantsUsage = (req.body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true
  for (const frame of answer.frames(wantsUsage)) res.write(frame)
  res.end()
}
