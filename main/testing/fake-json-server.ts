import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { connect, type Socket } from 'node:net'
import { listenLocal } from './listen-local'

/** A request as a fake received it. */
export interface SeenRequest {
  method: string
  /** Path without the query. */
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
}

/** What a fake answers: JSON with a status, or nothing at all (a hung provider). */
export type FakeAnswer = { status?: number; body: unknown } | { hang: true }

/** A scripted JSON API on 127.0.0.1 (a provider's model list or balance endpoint). */
export interface FakeJsonServer {
  readonly url: string
  readonly requests: SeenRequest[]
  answer(next: (req: SeenRequest) => FakeAnswer): void
  close(): Promise<void>
}

/** Starts a fake on a free port; by default every request gets 404. */
export async function startFakeJsonServer(script: (req: SeenRequest) => FakeAnswer = () => ({ status: 404, body: { error: 'no route' } })): Promise<FakeJsonServer> {
  let answer = script
  const requests: SeenRequest[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const seen: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers }
    requests.push(seen)
    req.resume()
    const reply = answer(seen)
    if ('hang' in reply) return
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(reply.body))
  })
  const { url, close } = await listenLocal(server)
  return {
    url,
    requests,
    answer: next => {
      answer = next
    },
    close
  }
}

/** A forward proxy on 127.0.0.1 that tunnels CONNECT (as undici's ProxyAgent asks) and counts the tunnels. */
export interface FakeProxy {
  readonly url: string
  /** `host:port` of every tunnel opened. */
  readonly tunnels: string[]
  close(): Promise<void>
}

/**
 * Starts the proxy. With `redirectTo` (a local URL) every tunnel ends there whatever host it
 * asked for, so a channel whose base URL names a real provider host reaches a fake instead.
 */
export async function startFakeProxy(redirectTo?: string): Promise<FakeProxy> {
  const tunnels: string[] = []
  const redirect = redirectTo === undefined ? null : new URL(redirectTo)
  const server = createServer((req, res) => {
    // Plain forwarding, for clients that do not tunnel http:// targets.
    const target = new URL(req.url ?? '')
    tunnels.push(target.host)
    if (redirect) target.host = redirect.host
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, answer => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    req.pipe(upstream)
  })
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? ''
    tunnels.push(target)
    const [host, port] = redirect ? [redirect.hostname, redirect.port] : target.split(':')
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  const { url, close } = await listenLocal(server)
  return { url, tunnels, close }
}
