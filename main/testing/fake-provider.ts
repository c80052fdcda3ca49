import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Protocol } from '../relay/canonical/request'
import { providerAnswers, type Turn } from './fake-provider-answers'

/** A request as the fake provider received it. */
export interface ProviderRequest {
  protocol: Protocol
  path: string
  headers: IncomingMessage['headers']
  body: Record<string, unknown>
  stream: boolean
}

/** The weather tool every scripted conversation uses. */
export const WEATHER_TOOL = { name: 'get_weather', arguments: { city: 'Paris' } } as const
/** The final answer after the tool result. */
export const WEATHER_TEXT = 'The weather in Paris is sunny.'
/** Usage of every answer: 20 input tokens of which 5 read from cache, 7 output tokens. */
export const FAKE_USAGE = { input: 20, cached: 5, output: 7 } as const

/** A fake provider speaking all four protocols on one port, with a scripted two-turn tool conversation. */
export interface FakeProvider {
  readonly url: string
  readonly requests: ProviderRequest[]
  close(): Promise<void>
}

/**
 * Starts the fake on 127.0.0.1. Whatever the protocol, a request that carries a tool result gets
 * the final text; one that offers tools gets a `get_weather({"city":"Paris"})` call; others get
 * the text. Answers follow each provider's real shapes, streamed when asked (Gemini as SSE with
 * `\r\n\r\n`, as Google sends it).
 */
export async function startFakeProvider(): Promise<FakeProvider> {
  const requests: ProviderRequest[] = []
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8')
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
      const path = req.url ?? ''
      const protocol = protocolOf(path)
      if (protocol === null) return void res.writeHead(404).end('{"error":{"message":"no such path"}}')
      const stream = protocol === 'gemini' ? path.includes(':streamGenerateContent') : body.stream === true
      const recorded: ProviderRequest = { protocol, path, headers: req.headers, body, stream }
      requests.push(recorded)
      respond(res, recorded)
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      sockets.forEach(s => s.destroy())
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}

function protocolOf(path: string): Protocol | null {
  if (path.startsWith('/v1/chat/completions')) return 'openai-chat'
  if (path.startsWith('/v1/responses')) return 'openai-responses'
  if (path.startsWith('/v1/messages')) return 'anthropic'
  if (/^\/v1beta\/models\/[^/]+:(generateContent|streamGenerateContent)/.test(path)) return 'gemini'
  return null
}

/** Which turn a request asks for. */
function turnOf(req: ProviderRequest): Turn {
  const text = JSON.stringify(req.body)
  const answered = ['"role":"tool"', '"function_call_output"', '"tool_result"', '"functionResponse"'].some(marker => text.includes(marker))
  if (answered) return 'text'
  const tools = req.body.tools
  return Array.isArray(tools) && tools.length > 0 ? 'tool' : 'text'
}

function respond(res: ServerResponse, req: ProviderRequest): void {
  const model = req.protocol === 'gemini' ? (/models\/([^:]+):/.exec(req.path)?.[1] ?? 'unknown') : String(req.body.model ?? 'unknown')
  const answer = providerAnswers(req.protocol, turnOf(req), model)
  if (!req.stream) {
    res.writeHead(200, { 'content-type': 'application/json' })
    return void res.end(JSON.stringify(answer.body))
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const wantsUsage = (req.body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true
  for (const frame of answer.frames(wantsUsage)) res.write(frame)
  res.end()
}
