import type Router from '@koa/router'
import type { Knex } from 'knex'

/** Readiness waits at most this long for the database before saying it is away. */
const READY_TIMEOUT_MS = 2000

/** `GET /healthz` (the process answers) and `GET /readyz` (and its database does). */
export function registerHealthRoutes(router: Router, db: Knex, version: string): void {
  router.get('/healthz', ctx => {
    ctx.body = { status: 'ok', version }
  })
  router.get('/readyz', async ctx => {
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        db.raw('select 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('database did not answer in time')), READY_TIMEOUT_MS)
        })
      ])
      ctx.body = { status: 'ready', database: 'ok' }
    } catch (err) {
      ctx.status = 503
      ctx.body = { status: 'unavailable', database: err instanceof Error ? err.message : 'unreachable' }
    } finally {
      clearTimeout(timer)
    }
  })
}
