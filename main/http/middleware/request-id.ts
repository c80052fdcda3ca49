import { randomUUID } from 'node:crypto'
import type { Context, Middleware } from 'koa'

/** Gives a request an id and a start time, echoed in `x-cuttle-request-id` and kept in the log. */
export function assignRequestId(ctx: Context, now: () => number): void {
  ctx.state.startedAt = now()
  const id = `req_${randomUUID().replace(/-/g, '')}`
  ctx.state.requestId = id
  ctx.res.setHeader('x-cuttle-request-id', id)
}

/** The same as a middleware, for the routes behind the relay's own dispatcher. */
export function requestId(now: () => number): Middleware {
  return async (ctx, next) => {
    assignRequestId(ctx, now)
    await next()
  }
}
