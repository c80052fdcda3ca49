import { request, type IncomingHttpHeaders } from 'node:http'

/** An answer as read by node:http, which (unlike fetch) lets a test choose the Host header. */
export interface RawReply {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

/** Sends one request to `baseUrl` with exactly the given headers (Host included, when given). */
export function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawReply> {
  const url = new URL(path, baseUrl)
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path: `${url.pathname}${url.search}`, headers, agent: false }, res => {
      const parts: Buffer[] = []
      res.on('data', (chunk: Buffer) => parts.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}
