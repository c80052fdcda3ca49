import { Agent, ProxyAgent, request, type Dispatcher } from 'undici'

/** One HTTP call to a provider. */
export interface UpstreamRequest {
  url: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body?: string
  signal: AbortSignal
  connectTimeoutMs: number
  /** Deadline for the response headers. */
  firstByteTimeoutMs: number
  /** Longest silence between two body chunks. */
  idleTimeoutMs: number
  proxy: string | null
}

/** The provider's answer; the body is read (or destroyed) by the caller. */
export interface UpstreamResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Dispatcher.ResponseData['body']
}

/** Whether an undici error was a deadline rather than a broken connection. */
export function isTimeoutError(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined
  return code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
}

/** Error codes meaning the connection was never made, so another address may work and nothing was sent. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])

/** Whether an undici error happened while connecting (the request never left). */
export function isConnectError(err: unknown): boolean {
  const codeOf = (e: unknown): unknown => (typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined)
  const cause = typeof err === 'object' && err !== null ? (err as { cause?: unknown }).cause : undefined
  return CONNECT_CODES.has(String(codeOf(err))) || CONNECT_CODES.has(String(codeOf(cause)))
}

/**
 * Sends requests with undici over keep-alive pools. One dispatcher per (connect timeout, proxy)
 * pair, because undici fixes both when a dispatcher is made; each keeps a pool per origin.
 */
export class UpstreamClient {
  private readonly dispatchers = new Map<string, Dispatcher>()

  /** Sends one request; rejects on network errors, deadlines and aborts. */
  async send(req: UpstreamRequest): Promise<UpstreamResponse> {
    const response = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      dispatcher: this.dispatcherFor(req.connectTimeoutMs, req.proxy),
      headersTimeout: req.firstByteTimeoutMs,
      bodyTimeout: req.idleTimeoutMs
    })
    return { status: response.statusCode, headers: response.headers, body: response.body }
  }

  /** Closes every pool (shutdown). */
  async close(): Promise<void> {
    const all = [...this.dispatchers.values()]
    this.dispatchers.clear()
    await Promise.all(all.map(d => d.close()))
  }

  private dispatcherFor(connectTimeoutMs: number, proxy: string | null): Dispatcher {
    const key = `${connectTimeoutMs}|${proxy ?? ''}`
    let dispatcher = this.dispatchers.get(key)
    if (!dispatcher) {
      const options = { connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 30_000 }
      dispatcher = proxy ? new ProxyAgent({ uri: proxy, ...options }) : new Agent(options)
      this.dispatchers.set(key, dispatcher)
    }
    return dispatcher
  }
}

/** An upstream failure in one line: error code, message and cause. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : ''
    return `${typeof code === 'string' ? `${code} ` : ''}${err.message}${cause}`
  }
  return String(err)
}
