import type { AdminEndpoint, EndpointInput, EndpointResult } from '@shared/contract/admin-api'
import type { AdminTokenSigner } from '../../security/admin-token'
import type { HealthRegistry } from '../../relay/routing/health'
import type { BalanceService } from '../../models/balance-service'
import type { ChannelTestDeps } from '../../relay/channel-test'
import type { ModelSync } from '../../models/model-sync'
import type { RouteTableStore } from '../../relay/routing/route-table-store'
import type { PriceBookStore } from '../../pricing/price-book-store'
import type { PriceSync } from '../../pricing/price-sync'
import type { LiveCounters } from '../../stats/live-counters'
import type { LiveFeed } from '../../stats/live-feed'
import type { StatsRecorder } from '../../stats/stats-recorder'
import type { Repositories } from '../../store/repositories'
import type { UserRecord } from '../../store/records'
import type { Knex } from 'knex'

/** What admin handlers are built from. */
export interface AdminDeps {
  db: Knex
  repos: Repositories
  routes: RouteTableStore
  tokens: AdminTokenSigner
  tokenTtlMs: number
  health: HealthRegistry
  live: LiveCounters
  stats: StatsRecorder
  /** Pushes live figures to `stats/live/stream` subscribers. */
  liveFeed: LiveFeed
  /** The prices the relay costs requests with; reload after every price change. */
  priceBook: PriceBookStore
  /** Refreshes the models.dev prices. */
  priceSync: PriceSync
  /** Lists channels' models and applies what is new. */
  modelSync: ModelSync
  /** Provider account balances, cached for a minute. */
  balances: BalanceService
  /** What channel tests send with (read-only health: a test never changes it). */
  channelTests: ChannelTestDeps
  /** Whether Antigravity channels may be created or enabled (the operator's opt-in). */
  allowAntigravity: boolean
  now: () => number
}

/** Per-request facts a handler may use. */
export interface AdminRequest {
  user: UserRecord | null
  tokenExpiresAt: number | null
  /** The peer address of the connection (no proxy headers are trusted). */
  clientIp: string
}

/** One handler per admin endpoint; a missing or mistyped one fails to compile. */
export type AdminHandlers = {
  [K in AdminEndpoint]: (input: EndpointInput<K>, request: AdminRequest) => Promise<EndpointResult<K>>
}
