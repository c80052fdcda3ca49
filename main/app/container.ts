import { mkdirSync } from 'node:fs'
import type { Knex } from 'knex'
import type { AppConfig } from './config'
import { ConfigPoller } from './config-poller'
import { ensureAdmin } from './first-run'
import type { Logger } from './logger'
import { checkSecret } from './secret-check'
import { Shutdown } from './shutdown'
import type { AdminDeps } from '../http/admin/admin-context'
import { createApp } from '../http/create-app'
import { listen, type HttpServer } from '../http/server'
import { AccessTokens } from '../relay/antigravity/access-tokens'
import { ANTIGRAVITY_TERMS } from '../relay/antigravity/terms'
import { protocolAdapters } from '../relay/protocols/registry'
import { ImageInliner } from '../relay/image-inliner'
import { DbRateSync } from '../relay/limits/db-rate-sync'
import { KeyLimits } from '../relay/limits/key-limits'
import type { RateSync } from '../relay/limits/rate-sync'
import { RedisRateSync, rateKeyPrefix } from '../relay/limits/redis-rate-sync'
import { SpendSync } from '../relay/limits/spend-sync'
import { BalanceService } from '../models/balance-service'
import { listModels } from '../models/list-models'
import { ModelSync } from '../models/model-sync'
import { ModelSyncScheduler } from '../models/model-sync-scheduler'
import { createPriceBookStore } from '../pricing/price-book-store'
import { PriceSync, seedModelsDevPrices } from '../pricing/price-sync'
import { PriceSyncSchedule } from '../pricing/price-sync-schedule'
import { RelayGate } from '../relay/relay-gate'
import { RelayService } from '../relay/relay-service'
import { TokenCountService } from '../relay/token-count-service'
import { TokenEstimator } from '../relay/token-estimate'
import { createBalancer } from '../relay/routing/balancer'
import { HealthRegistry } from '../relay/routing/health'
import { UrlLatency } from '../relay/routing/url-latency'
import { UrlProber } from '../relay/routing/url-prober'
import { createRouteTableStore, type RouteTableStore } from '../relay/routing/route-table-store'
import { StickySessions } from '../relay/routing/sticky-sessions'
import { UpstreamClient } from '../relay/upstream-client'
import { createAdminTokenSigner } from '../security/admin-token'
import { loadMasterSecret } from '../security/master-secret'
import { createSecretBox, deriveKey } from '../security/secret-box'
import { LiveCounters } from '../stats/live-counters'
import { LiveFeed } from '../stats/live-feed'
import { readLiveStats } from '../stats/live-stats'
import { LogRetention } from '../stats/log-retention'
import { StatsFlusher } from '../stats/stats-flusher'
import { StatsRecorder } from '../stats/stats-recorder'
import { ConfigRevision } from '../store/config-revision'
import { createKnex, dbTargetFor } from '../store/knex'
import { migrate } from '../store/migrate'
import { createRepositories, type Repositories } from '../store/repositories'
import { createCoreControl, type CoreControl } from './core-control'
import type { ProvisionTarget } from '../provision/provision-watch'

/** Things the entry point passes in that are not configuration. */
export interface CoreOptions {
  logger: Logger
  now?: () => number
  /** Directory of the built UI. */
  uiRoot: string
  version: string
  /** Applied after migrations and before the first route table (provisioning file). */
  provision?: (db: Knex, repos: Repositories) => Promise<void>
  /** Started once the core listens (the provisioning file's hot reload); stopped first at shutdown. */
  watchProvision?: (target: ProvisionTarget) => { stop(): Promise<void> }
}

/** A running core: the relay, admin API and stats, listening on `port`. */
export interface Core {
  readonly port: number
  readonly db: Knex
  readonly repos: Repositories
  readonly routes: RouteTableStore
  readonly live: LiveCounters
  /** Subscribers of the live stream (the UI, the tray). */
  readonly liveFeed: LiveFeed
  readonly stats: StatsRecorder
  readonly flusher: StatsFlusher
  /** Merges the month's spend per client key from the database (budgets across restarts and instances). */
  readonly spendSync: SpendSync
  readonly http: HttpServer
  /** Set when this start created the admin account with a generated password. */
  readonly generatedAdminPassword: string | null
  /** SQLite backup taken before migrating, if any. */
  readonly backup: string | null
  /** What a shell (the desktop app) may do beyond the admin API. */
  readonly control: CoreControl
  /** Ordered shutdown: stop accepting, drain, flush stats and logs, close the database. */
  stop(): Promise<void>
}

/** The composition root: builds every part in order and wires the shutdown in reverse. */
export async function createCore(config: AppConfig, options: CoreOptions): Promise<Core> {
  const { logger } = options
  const now = options.now ?? Date.now
  mkdirSync(config.dataDir, { recursive: true })
  const master = loadMasterSecret(config.secret, config.dataDir)
  const box = createSecretBox(master)
  const target = dbTargetFor(config.dbUrl, config.dataDir)
  const db = createKnex(target)
  const shutdown = new Shutdown(logger)
  try {
    const migrated = await migrate(db, target.client === 'sqlite' ? target.filename : null, now)
    if (migrated.backup) logger.info({ backup: migrated.backup }, 'database backed up before migrating')
    if (migrated.applied.length > 0) logger.info({ migrations: migrated.applied }, 'database migrated')
    const repos = createRepositories(db, box, now)
    await checkSecret(repos.settings, box)
    await options.provision?.(db, repos)
    const { generatedPassword } = await ensureAdmin(repos.users, config.adminPassword)
    const pricesSyncedAt = await seedModelsDevPrices(repos.prices, logger)
    // Provisioning and seeding may have changed what running instances hold; loaded after this bump, ours hold at least its revision.
    const revision = new ConfigRevision(repos.settings)
    const applied = await revision.bump()
    const publish = (): Promise<string> => revision.bump()
    const routes = await createRouteTableStore(repos, publish)
    const antigravity = (await repos.channels.list()).filter(channel => channel.antigravity !== null)
    if (antigravity.length > 0 && config.allowAntigravity) logger.warn({ channels: antigravity.map(channel => channel.name) }, `${ANTIGRAVITY_TERMS} They are allowed here (allowAntigravity is on).`)
    const priceBook = await createPriceBookStore(repos.prices, publish)
    const configPoller = new ConfigPoller({
      revision,
      applied,
      rebuild: async () => {
        await Promise.all([routes.refresh(), priceBook.refresh()])
      },
      intervalMs: config.configPollIntervalMs,
      logger
    })
    const priceSync = new PriceSync({ prices: repos.prices, book: priceBook, url: () => routes.current().settings.pricesSyncUrl, now, syncedAt: pricesSyncedAt })
    const priceSchedule = new PriceSyncSchedule({ sync: priceSync, intervalHours: () => routes.current().settings.priceSyncIntervalHours, now, logger })
    const stats = new StatsRecorder(config.logQueueLimit)
    const live = new LiveCounters(now)
    const liveFeed = new LiveFeed(() => readLiveStats(live, stats))
    const retention = new LogRetention({ logs: repos.requestLogs, settings: repos.settings, logger, now })
    const flusher = new StatsFlusher(db, repos, stats, config.statsFlushIntervalMs, logger)
    const upstream = new UpstreamClient()
    const accessTokens = new AccessTokens(upstream, now)
    const health = new HealthRegistry(now)
    const adapters = protocolAdapters()
    const latency = new UrlLatency(now)
    const prober = new UrlProber({ routes, upstream, latency, now, logger })
    const images = new ImageInliner()
    const limits = new KeyLimits()
    const spendSync = new SpendSync({ usage: repos.usage, limits, logger, now })
    // Instances share rpm and tpm through Redis when given one, else through a server database they
    // all reach; a SQLite file belongs to one instance, which counts alone.
    let rateSync: RateSync | null = null
    if (config.redisUrl !== null) rateSync = new RedisRateSync({ url: config.redisUrl, prefix: rateKeyPrefix(master), limits, logger, now })
    else if (target.client !== 'sqlite') rateSync = new DbRateSync({ counts: repos.rateCounts, limits, logger, now })
    // Before the first request: a restart must not hand a spent budget out again.
    await spendSync.refresh()
    const relay = new RelayService({ routes, adapters, images, upstream, tokens: accessTokens, stats, live, health, balancer: createBalancer(), latency, prices: priceBook, limits, sticky: new StickySessions(), now })
    const providerCalls = { upstream, health, settings: () => routes.current().settings }
    const modelSync = new ModelSync({ db, repos, routes, list: (channel, signal) => listModels(providerCalls, channel, signal) })
    const modelSyncSchedule = new ModelSyncScheduler({ sync: modelSync, channels: repos.channels, routes, logger, now })
    const counter = new TokenCountService({ routes, adapters, upstream, health, estimator: new TokenEstimator() })
    const tokens = createAdminTokenSigner(deriveKey(master, 'admin-tokens'))
    const gate = new RelayGate()
    const admin: AdminDeps = {
      db,
      repos,
      routes,
      tokens,
      tokenTtlMs: config.tokenTtlHours * 3_600_000,
      health,
      live,
      stats,
      liveFeed,
      priceBook,
      priceSync,
      modelSync,
      balances: new BalanceService({ ...providerCalls, now }),
      channelTests: { ...providerCalls, tokens: accessTokens, adapters, now },
      allowAntigravity: config.allowAntigravity,
      now
    }
    const app = createApp({ db, logger, relay, gate, counter, adapters, routes, admin, live, stats, bodyLimitBytes: config.bodyLimitBytes, host: config.host, allowedHosts: config.allowedHosts, ampUpstreamUrl: config.ampUpstreamUrl, ampApiKey: config.ampApiKey, uiRoot: options.uiRoot, version: options.version, now })
    const http = await listen(app, config.host, config.port)
    flusher.start()
    spendSync.start()
    rateSync?.start()
    retention.start()
    prober.start()
    priceSchedule.start()
    modelSyncSchedule.start()
    configPoller.start()
    // One revision bump (routes.reload) is enough: the other instances rebuild both on it.
    const provisionWatch = options.watchProvision?.({
      db,
      repos,
      reload: async () => {
        await Promise.all([routes.reload(), priceBook.refresh()])
      }
    })
    // First: a reload must not write while the rest shuts down.
    shutdown.add('provisioning file watch', async () => provisionWatch?.stop())
    // Live streams never finish by themselves: end them first so they do not hold up the drain.
    shutdown.add('live streams', async () => liveFeed.close())
    shutdown.add('http', () => http.close(config.shutdownGraceMs))
    shutdown.add('stats', () => flusher.stop())
    shutdown.add('monthly spend sync', () => spendSync.stop())
    shutdown.add('client key rate sharing', async () => rateSync?.stop())
    shutdown.add('config revision poll', () => configPoller.stop())
    shutdown.add('log retention', () => retention.stop())
    shutdown.add('base URL probes', () => prober.stop())
    shutdown.add('price sync', async () => {
      priceSync.close()
      await priceSchedule.stop()
    })
    shutdown.add('model sync', () => modelSyncSchedule.stop())
    shutdown.add('upstream', () => upstream.close())
    shutdown.add('image fetches', () => images.close())
    shutdown.add('database', () => db.destroy())
    return {
      port: http.port,
      db,
      repos,
      routes,
      live,
      liveFeed,
      stats,
      flusher,
      spendSync,
      http,
      generatedAdminPassword: generatedPassword,
      backup: migrated.backup,
      control: createCoreControl({ repos, routes, tokens, gate, now }),
      stop: () => shutdown.run()
    }
  } catch (err) {
    await db.destroy()
    throw err
  }
}
