import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { pipeline } from 'node:stream/promises'
import { Agent, request } from 'undici'

/** The baseline: a pass-through proxy that does nothing but forward, written with undici. */
export interface BareProxy {
  readonly url: string
  close(): Promise<void>
}

/** Headers copied from the upstream answer to the client (the rest are hop-by-hop or irrelevant). */
const PASSED_HEADERS = ['content-type', 'cache-control'] as const

/**
 * Starts the proxy on a free loopback port. Every request is sent with the same method, path,
 * content type and authorization to `upstream`, and the answer is piped back unchanged. It
 * uses a keep-alive undici Agent like Cuttle's upstream client, so the difference between the
 * two is Cuttle's own work (auth, routing, protocol handling, stats), not connection handling.
 */
export async function startBareProxy(upstream: string): Promise<BareProxy> {
  const agent = new Agent({ keepAliveTimeout: 30_000 })
  const sockets = new Set<Socket>()

  const server = createServer((req, res) => {
    forward(req, res, upstream, agent).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { message: err instanceof Error ? err.message : String(err) } }))
      } else {
        res.destroy()
      }
    })
  })
  server.keepAliveTimeout = 65_000
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      const closed = new Promise<void>(resolve => server.close(() => resolve()))
      sockets.forEach(s => s.destroy())
      await closed
      await agent.close()
    }
  }
}

async function forward(req: IncomingMessage, res: ServerResponse, upstream: string, agent: Agent): Promise<void> {
  const parts: Buffer[] = []
  for await (const chunk of req) parts.push(chunk as Buffer)
  const headers: Record<string, string> = {}
  if (req.headers['content-type']) headers['content-type'] = req.headers['content-type']
  if (req.headers.authorization) headers.authorization = req.headers.authorization
  const answer = await request(`${upstream}${req.url ?? '/'}`, {
    method: req.method === 'GET' ? 'GET' : 'POST',
    headers,
    body: parts.length > 0 ? Buffer.concat(parts) : undefined,
    dispatcher: agent
  })
  const out: Record<string, string> = {}
  for (const name of PASSED_HEADERS) {
    const value = answer.headers[name]
    if (typeof value === 'string') out[name] = value
  }
  res.writeHead(answer.statusCode, out)
  await pipeline(answer.body, res)
}
