import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type Koa from 'koa'

/** A listening HTTP server that knows how many requests are in flight, for draining. */
export interface HttpServer {
  readonly port: number
  readonly inFlight: number
  /** Stops accepting, waits for requests in flight up to `graceMs`, then cuts what is left. */
  close(graceMs: number): Promise<void>
}

/** Raised when the port is taken, so the caller can print one clear line. */
export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number
  ) {
    super(`Cannot listen on ${host}:${port}: the port is already in use (choose another with --port or CUTTLE_PORT).`)
    this.name = 'PortInUseError'
  }
}

/**
 * How long a client may take to send its request. Node's request timeout covers receiving the
 * request only, never the answer, so streams of any length are safe; without it a client
 * trickling its body (slowloris) would hold a connection and its handler forever.
 */
export interface ServerTimeouts {
  /** Until the request headers are complete. */
  headersMs: number
  /** Until the whole request (headers and body) is received; answered 408 after it. */
  requestMs: number
  /** How often Node looks for connections past those deadlines. */
  checkEveryMs: number
}

export const SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 60_000, requestMs: 120_000, checkEveryMs: 5_000 }

/** Listens on host:port (port 0 picks a free one). */
export async function listen(app: Koa, host: string, port: number, timeouts: ServerTimeouts = SERVER_TIMEOUTS): Promise<HttpServer> {
  const server: Server = createServer(
    { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkEveryMs },
    app.callback()
  )
  server.keepAliveTimeout = 65_000
  let inFlight = 0
  server.on('request', (_req, res) => {
    inFlight += 1
    res.once('close', () => {
      inFlight -= 1
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(host, port) : err))
    server.listen(port, host, () => resolve())
  })
  const bound = (server.address() as AddressInfo).port
  return {
    port: bound,
    get inFlight() {
      return inFlight
    },
    async close(graceMs) {
      const closed = new Promise<void>(resolve => server.close(() => resolve()))
      server.closeIdleConnections()
      const deadline = Date.now() + graceMs
      while (inFlight > 0 && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 25))
        server.closeIdleConnections()
      }
      server.closeAllConnections()
      await closed
    }
  }
}
