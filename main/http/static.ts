import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { send } from '@koa/send'
import type { Middleware } from 'koa'

const ONE_YEAR_S = 31_536_000

/**
 * Serves the built UI: hashed assets cached for a year, everything else falls back to
 * index.html (never cached) so client-side routes survive a reload. API paths are left alone.
 */
export function serveUi(root: string): Middleware {
  const index = join(root, 'index.html')
  return async (ctx, next) => {
    await next()
    if (ctx.body !== undefined || ctx.status !== 404) return
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return
    if (/^\/(v1|v1beta|api)(\/|$)/.test(ctx.path) || !existsSync(index)) return
    const asset = ctx.path.startsWith('/assets/')
    try {
      await send(ctx, asset ? ctx.path : '/index.html', {
        root,
        maxage: asset ? ONE_YEAR_S * 1000 : 0,
        immutable: asset,
        setHeaders: res => {
          if (!asset) res.setHeader('cache-control', 'no-cache')
        }
      })
    } catch (err) {
      const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined
      if (status !== 404 && status !== 400 && status !== 403) throw err
      ctx.status = 404
      ctx.body = 'Not found'
    }
  }
}
