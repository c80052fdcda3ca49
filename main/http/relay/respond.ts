import type { Context } from 'koa'

/**
 * Writes a relay answer straight to the socket and tells Koa to leave the response alone: the
 * relay's answers are already serialised, and Koa's own response handling (type lookup, length,
 * status bookkeeping) is a measurable share of a relayed request.
 */
export function sendBody(ctx: Context, status: number, contentType: string, body: Buffer | string, headers: Record<string, string> = {}): void {
  ctx.respond = false
  const res = ctx.res
  if (res.headersSent || res.destroyed) return
  for (const name in headers) res.setHeader(name, headers[name] as string)
  res.setHeader('content-type', contentType)
  res.setHeader('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.length)
  res.statusCode = status
  res.end(body)
}

/** `value` as JSON with `status`. */
export function sendJson(ctx: Context, status: number, value: unknown, headers: Record<string, string> = {}): void {
  sendBody(ctx, status, 'application/json; charset=utf-8', JSON.stringify(value), headers)
}
