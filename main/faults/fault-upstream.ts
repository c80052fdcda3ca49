import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { listenLocal } from '../testing/listen-local'

/** What the fake does with a request; named by the model the relay sends (`<prefix>-<fault>`). */
export const FAULTS = [
  'ok',
  'reset-before',
  'reset-mid-stream',
  'stall-headers',
  'stall-first-byte',
  'stall-mid-stream',
  'status-500',
  'status-502',
  'status-503',
  'status-529',
  'rate-limit',
  'malformed-json',
  'malformed-sse',
  'html-502',
  'huge-body',
  'huge-stream'
] as const
export type Fault = (typeof FAULTS)[number]

/** Size of the `huge-*` answers. */
export const HUGE_BYTES = 50 * 1024 * 1024
/** Text every good answer carries, so tests can tell a real answer from an error. */
export const OK_TEXT = 'All good.'

/** The two wire protocols the fake speaks, chosen by path. */
type Wire = 'openai' | 'anthropic'

/** A fake provider (OpenAI Chat on `/v1/chat/completions`, Anthropic on `/v1/messages`) that misbehaves on request. */
export interface FaultUpstream {
  readonly url: string
  /** Requests received, by fault. */
  readonly seen: Map<Fault, number>
  /** Bytes of the last `huge-stream` answer the relay accepted from us (what left our socket buffer). */
  readonly hugeStream: { written: number; closedEarly: boolean }
  /** Connections open right now. */
  readonly openSockets: number
  close(): Promise<void>
}

/** The fault a model name asks for: everything after the first dash (`oa-reset-before` → `reset-before`). */
export function faultOf(model: string): Fault {
  const name = model.slice(model.indexOf('-') + 1)
  return (FAULTS as readonly string[]).includes(name) ? (name as Fault) : 'ok'
}

/** Starts the fake on 127.0.0.1. Timers and sockets are released by `close()`. */
export async function startFaultUpstream(): Promise<FaultUpstream> {
  const timers = new Set<NodeJS.Timeout>()
  const seen = new Map<Fault, number>()
  const hugeStream = { written: 0, closedEarly: false }
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }
  const server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => {
      const wire: Wire = req.url?.startsWith('/v1/messages') ? 'anthropic' : 'openai'
      let body: { model?: unknown; stream?: unknown } = {}
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8')) as typeof body
      } catch {
        // The relay always sends JSON; a broken body is answered like any other request.
      }
      const fault = faultOf(String(body.model ?? ''))
      seen.set(fault, (seen.get(fault) ?? 0) + 1)
      play(fault, { wire, model: String(body.model), stream: body.stream === true, req, res, later, hugeStream })
    })
  })
  const listener = await listenLocal(server)
  return {
    url: listener.url,
    seen,
    hugeStream,
    get openSockets() {
      return listener.openSockets()
    },
    close: async () => {
      timers.forEach(clearTimeout)
      await listener.close()
    }
  }
}

interface Play {
  wire: Wire
  model: string
  stream: boolean
  req: IncomingMessage
  res: ServerResponse
  later(ms: number, fn: () => void): void
  hugeStream: { written: number; closedEarly: boolean }
}

/** How long a stall lasts: far beyond the relay's timeouts in the tests, yet bounded so nothing leaks. */
const STALL_MS = 10_000

function play(fault: Fault, p: Play): void {
  const { res, wire } = p
  const kill = (): void => void res.socket?.destroy()
  switch (fault) {
    case 'reset-before':
      return kill()
    case 'stall-headers':
      return p.later(STALL_MS, kill)
    case 'status-500':
    case 'status-502':
    case 'status-503':
    case 'status-529':
      // Some providers quote the key they were sent in an error; the relay must not pass it on.
      return json(res, Number(fault.slice(7)), errorBody(wire, `upstream says ${fault.slice(7)} for key ${sentKey(p.req)}`))
    case 'rate-limit':
      return json(res, 429, errorBody(wire, `slow down, key ${sentKey(p.req)}`), { 'retry-after': '7' })
    case 'html-502':
      res.writeHead(502, { 'content-type': 'text/html' })
      return void res.end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>')
    case 'malformed-json':
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end('{"id":"chatcmpl-1","choices":[{"message":{"content":"cut sho')
    case 'huge-body':
      return json(res, 200, answer(wire, p.model, 'x'.repeat(HUGE_BYTES)))
  }
  if (!p.stream) {
    if (fault === 'stall-first-byte' || fault === 'stall-mid-stream') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"id":')
      return p.later(STALL_MS, kill)
    }
    if (fault === 'reset-mid-stream') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"id":"chatcmpl-1",')
      return p.later(20, kill)
    }
    return json(res, 200, answer(wire, p.model, OK_TEXT))
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  if (fault === 'stall-first-byte') return p.later(STALL_MS, kill)
  if (fault === 'malformed-sse') {
    // A frame cut in the middle of its JSON, a frame that is no JSON at all, then a clean close.
    res.write('data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"delta":{"content":"Hel\n\n')
    res.write(wire === 'anthropic' ? 'event: content_block_delta\ndata: <html>oops</html>\n\n' : 'data: <html>oops</html>\n\n')
    return void res.end()
  }
  const frames = streamFrames(wire, p.model, OK_TEXT)
  const head = frames.slice(0, 2).join('')
  if (fault === 'reset-mid-stream') {
    res.write(head)
    return p.later(20, kill)
  }
  if (fault === 'stall-mid-stream') {
    res.write(head)
    return p.later(STALL_MS, kill)
  }
  if (fault === 'huge-stream') return hugeStream(p, head)
  res.end(frames.join(''))
}

/** Streams HUGE_BYTES of text deltas as fast as the relay takes them, counting what it took. */
function hugeStream(p: Play, head: string): void {
  const { res } = p
  const state = p.hugeStream
  state.written = 0
  state.closedEarly = false
  const piece = p.wire === 'anthropic' ? anthropicDelta('y'.repeat(16 * 1024)) : openAiChunk(p.model, { content: 'y'.repeat(16 * 1024) }, null)
  res.on('close', () => {
    if (!res.writableFinished) state.closedEarly = true
  })
  res.write(head)
  const pump = (): void => {
    while (state.written < HUGE_BYTES) {
      if (res.destroyed) return
      state.written += piece.length
      if (!res.write(piece)) return void res.once('drain', pump)
    }
    res.end(streamFrames(p.wire, p.model, '').slice(2).join(''))
  }
  pump()
}

/** The provider key the relay sent: a bearer token (OpenAI) or `x-api-key` (Anthropic). */
function sentKey(req: IncomingMessage): string {
  const key = req.headers['x-api-key']
  return typeof key === 'string' ? key : String(req.headers.authorization ?? '').replace(/^Bearer /, '')
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

function errorBody(wire: Wire, message: string): unknown {
  return wire === 'anthropic' ? { type: 'error', error: { type: 'api_error', message } } : { error: { message, type: 'server_error', code: null } }
}

function answer(wire: Wire, model: string, text: string): unknown {
  if (wire === 'anthropic') {
    return {
      id: 'msg_fault',
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 2 }
    }
  }
  return {
    id: 'chatcmpl-fault',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 }
  }
}

function openAiChunk(model: string, delta: Record<string, unknown>, finish: string | null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-fault', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
}

function anthropicEvent(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
}

function anthropicDelta(text: string): string {
  return anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })
}

/** A whole good stream; the first two frames open it (role / message_start and block start). */
function streamFrames(wire: Wire, model: string, text: string): string[] {
  if (wire === 'anthropic') {
    return [
      anthropicEvent('message_start', {
        message: { id: 'msg_fault', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 0 } }
      }),
      anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ...(text ? [anthropicDelta(text)] : []),
      anthropicEvent('content_block_stop', { index: 0 }),
      anthropicEvent('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }),
      anthropicEvent('message_stop', {})
    ]
  }
  return [
    openAiChunk(model, { role: 'assistant', content: '' }, null),
    openAiChunk(model, { content: '' }, null),
    ...(text ? [openAiChunk(model, { content: text }, null)] : []),
    openAiChunk(model, {}, 'stop'),
    'data: [DONE]\n\n'
  ]
}
