import type Router from '@koa/router'
import { ADMIN_API_PREFIX } from '@shared/contract/admin-api'
import type { AdminDeps } from './admin-context'
import { authenticate, bearerToken } from './authenticate'

/** Path of the live stream; the JSON twin is the contract's `stats.live`. */
export const LIVE_STREAM_PATH = `${ADMIN_API_PREFIX}/stats/live/stream`

/**
 * `GET /api/v1/stats/live/stream`: server-sent events (`event: live`, the `stats.live` JSON) when
 * the figures change, at most once a second, with `: keepalive` comments while they do not.
 */
export function registerLiveStream(router: Router, deps: AdminDeps): void {
  router.get(LIVE_STREAM_PATH, async ctx => {
    // EventSource cannot send headers, so this route alone also takes the token in the query.
    // The error handler logs paths without the query string, so the token stays out of the log.
    const queryToken = typeof ctx.query.token === 'string' ? ctx.query.token : undefined
    await authenticate(bearerToken(ctx) ?? queryToken, deps)
    const { req, res } = ctx
    ctx.status = 200
    ctx.set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' })
    // Koa must not write a body or end the response: the feed writes until the client leaves.
    ctx.respond = false
    res.flushHeaders()
    req.socket.setNoDelay(true)
    const write = (text: string): void => {
      if (!res.writableEnded && !res.destroyed) res.write(text)
    }
    const unsubscribe = deps.liveFeed.subscribe({
      send: json => write(`event: live\ndata: ${json}\n\n`),
      keepalive: () => write(': keepalive\n\n'),
      close: () => res.end()
    })
    res.once('close', unsubscribe)
    // The client may have gone while the token was checked; then 'close' has already fired.
    if (res.destroyed) unsubscribe()
  })
}
