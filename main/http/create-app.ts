import Router from '@koa/router'
import Koa from 'koa'
import type { Knex } from 'knex'
import type { Logger } from '../app/logger'
import type { ProtocolRegistry } from '../relay/protocols/protocol-adapter'
import type { RelayGate } from '../relay/relay-gate'
import type { RelayService } from '../relay/relay-service'
import type { TokenCountService } from '../relay/token-count-service'
import type { RouteTableStore } from '../relay/routing/route-table-store'
import type { LiveCounters } from '../stats/live-counters'
import type { StatsRecorder } from '../stats/stats-recorder'
import type { AdminDeps } from './admin/admin-context'
import { registerAdminRoutes } from './admin'
import { registerHealthRoutes } from './health.routes'
import { registerMetricsRoutes } from './metrics.routes'
import { errorHandler } from './middleware/error-handler'
import { hostCheck } from './middleware/host-check'
import { requestId } from './middleware/request-id'
import { securityHeaders } from './middleware/security-headers'
import { relayRoutes } from './relay/relay.routes'
import { serveUi } from './static'

/** Everything the Koa app is built from. */
export interface AppDeps {
  db: Knex
  logger: Logger
  relay: RelayService
  gate: RelayGate
  counter: TokenCountService
  adapters: ProtocolRegistry
  routes: RouteTableStore
  admin: AdminDeps
  live: LiveCounters
  stats: StatsRecorder
  bodyLimitBytes: number
  /** The bind address: on loopback the Host header must name loopback (host-check.ts). */
  host: string
  /** Extra Host names to answer (CUTTLE_ALLOWED_HOSTS), `*` for any; null for the default. */
  allowedHosts: string | null
  /** Where Amp CLI's non-model requests under /amp are forwarded; '' for nowhere. */
  ampUpstreamUrl: string
  /** The user's Amp key, put on forwarded Amp requests in place of the Cuttle key (null: none). */
  ampApiKey: string | null
  uiRoot: string
  version: string
  now: () => number
}

/** The Koa app: relay routes, admin API, health and the UI. It does not listen. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa()
  app.proxy = false
  // Koa would print every error itself; errorHandler already logs what matters without bodies.
  app.silent = true
  const router = new Router()
  registerHealthRoutes(router, deps.db, deps.version)
  registerMetricsRoutes(router, { live: deps.live, stats: deps.stats, version: deps.version })
  registerAdminRoutes(router, deps.admin)
  const relayDeps = { relay: deps.relay, counter: deps.counter, gate: deps.gate, routes: deps.routes, adapters: deps.adapters, bodyLimitBytes: deps.bodyLimitBytes, now: deps.now }
  // Before everything, the relay included; it costs one Set lookup per request, or nothing when off.
  const guard = hostCheck(deps.host, deps.allowedHosts)
  if (guard) app.use(guard)
  // Then: relayed requests skip everything the UI and the admin API need.
  app.use(relayRoutes(relayDeps, deps.logger, { upstreamUrl: deps.ampUpstreamUrl, apiKey: deps.ampApiKey }))
  app.use(securityHeaders())
  app.use(requestId(deps.now))
  app.use(errorHandler(deps.logger))
  app.use(serveUi(deps.uiRoot))
  app.use(router.routes())
  app.use(router.allowedMethods())
  return app
}
