import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** Usage the fake reports: prompt tokens include the cached ones (read and written), as OpenAI counts them. */
export interface FakeUsage {
  prompt: number
  completion: number
  /** Prompt tokens read from the cache. */
  cached?: number
  /** Prompt tokens written to the cache (`prompt_tokens_details.cache_write_tokens`, as some compatible upstreams send). */
  cacheWrite?: number
}

/** What the fake provider does with the next request. */
export type FakeBehavior =
  | { kind: 'reply'; text?: string; usage?: FakeUsage }
  | { kind: 'status'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'reset' }
  | { kind: 'hang' }
  /** Streams `text` then destroys the socket without finishing. */
  | { kind: 'die-mid-stream'; text: string }
  /** Streams one chunk every `intervalMs`, `count` times (for disconnect tests). */
  | { kind: 'slow-stream'; count: number; intervalMs: number }

/** A request as the fake provider received it. */
export interface RecordedRequest {
  path: string
  headers: IncomingMessage['headers']
  body: Record<string, unknown>
}

/** A fake OpenAI-compatible provider on 127.0.0.1 with scriptable answers. */
export interface FakeOpenAiUpstream {
  readonly url: string
  readonly requests: RecordedRequest[]
  /** Times (ms since epoch) at which connections closed. */
  readonly socketCloses: number[]
  behave(next: (req: RecordedRequest) => FakeBehavior): void
  close(): Promise<void>
}

/** Starts the fake on a free port. Default behaviour: answer "Hello world" with usage 10/2. */
export async function startFakeOpenAi(): Promise<FakeOpenAiUpstream> {
  const requests: RecordedRequest[] = []
  const socketCloses: number[] = []
  const sockets = new Set<Socket>()
  let behaviour: (req: RecordedRequest) => FakeBehavior = () => ({ kind: 'reply' })
  const timers = new Set<NodeJS.Timeout>()

  const server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8')
      const recorded: RecordedRequest = { path: req.url ?? '', headers: req.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
      requests.push(recorded)
      respond(res, recorded, behaviour(recorded), timers)
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => {
      sockets.delete(socket)
      socketCloses.push(Date.now())
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    socketCloses,
    behave: next => {
      behaviour = next
    },
    close: async () => {
      timers.forEach(clearTimeout)
      sockets.forEach(s => s.destroy())
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}

function respond(res: ServerResponse, req: RecordedRequest, b: FakeBehavior, timers: Set<NodeJS.Timeout>): void {
  const model = String(req.body.model ?? 'unknown')
  const stream = req.body.stream === true
  if (b.kind === 'reset') return void res.socket?.destroy()
  if (b.kind === 'hang') return
  if (b.kind === 'status') {
    res.writeHead(b.status, { 'content-type': 'application/json', ...b.headers })
    return void res.end(JSON.stringify(b.body))
  }
  if (b.kind === 'reply' && !stream) {
    res.writeHead(200, { 'content-type': 'application/json' })
    return void res.end(JSON.stringify(completion(model, b.text ?? 'Hello world', b.usage)))
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const send = (data: unknown): boolean => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`)
  send(chunk(model, { role: 'assistant', content: '' }, null))
  if (b.kind === 'die-mid-stream') {
    send(chunk(model, { content: b.text }, null))
    const t = setTimeout(() => res.socket?.destroy(), 20)
    return void timers.add(t)
  }
  if (b.kind === 'slow-stream') {
    let sent = 0
    const tick = (): void => {
      if (res.destroyed) return
      if (sent++ >= b.count) return finish(res, send, model, req, undefined)
      send(chunk(model, { content: `tick${sent} ` }, null))
      // Fired timers leave the set, so a long soak does not keep millions of them.
      const timer = setTimeout(() => {
        timers.delete(timer)
        tick()
      }, b.intervalMs)
      timers.add(timer)
    }
    return tick()
  }
  for (const piece of (b.text ?? 'Hello world').split(/(?= )/)) send(chunk(model, { content: piece }, null))
  finish(res, send, model, req, b.usage)
}

function finish(res: ServerResponse, send: (d: unknown) => boolean, model: string, req: RecordedRequest, usage: FakeUsage | undefined): void {
  send(chunk(model, {}, 'stop'))
  const options = req.body.stream_options as { include_usage?: boolean } | undefined
  if (options?.include_usage) send({ ...chunk(model, {}, null), choices: [], usage: usageOf(usage) })
  send('[DONE]')
  res.end()
}

function usageOf(u: FakeUsage | undefined): Record<string, unknown> {
  const prompt = u?.prompt ?? 10
  const completion = u?.completion ?? 2
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: u?.cached ?? 0, ...(u?.cacheWrite ? { cache_write_tokens: u.cacheWrite } : {}) }
  }
}

function completion(model: string, text: string, usage: FakeUsage | undefined): Record<string, unknown> {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: usageOf(usage)
  }
}

function chunk(model: string, delta: Record<string, unknown>, finishReason: string | null): Record<string, unknown> {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }]
  }
}
