import { randomUUID } from 'node:crypto'
import type { Middleware } from 'koa'

/** Gives every request an id and a start time, echoed in `x-cuttle-request-id` and kept in the log. */
export function requestId(now: () => number): Middleware {
  return async (ctx, next) => {
    ctx.state.startedAt = now()
    const id = `req_${randomUUID().replace(/-/g, '')}`
    ctx.state.requestId = id
    ctx.set('x-cuttle-request-id', id)
    await next()
  }
}
