import type { PriceSyncResult } from '@shared/dto/price'
import type { Logger } from '../app/logger'
import type { PriceFields, PriceRecord } from '../store/records'
import type { PriceRepository } from '../store/repositories/price.repository'
import { CatalogueFetchError, fetchCatalogue } from './fetch-catalogue'
import { bundledSnapshot } from './bundled-snapshot'
import { ModelsDevFormatError, reduceModelsDev, snapshotPrices } from './models-dev'
import type { PriceBookStore } from './price-book-store'

/** How long a sync waits for models.dev, connecting and reading included. */
const SYNC_TIMEOUT_MS = 15_000

/** A sync that changed nothing: models.dev could not be read or its answer was unusable. */
export class PriceSyncError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PriceSyncError'
  }
}

/** What the price sync works with; narrow so tests can hand in fakes. */
export interface PriceSyncDeps {
  prices: Pick<PriceRepository, 'list' | 'replaceModelsDev'>
  book: PriceBookStore
  /** The catalogue URL (the `pricesSyncUrl` setting, read at each sync). */
  url: () => string
  now: () => number
  /** When the models.dev prices were last written, as seedModelsDevPrices answered. */
  syncedAt: number | null
  timeoutMs?: number
}

/**
 * At start: stores the bundled snapshot's prices when the database has no models.dev prices yet
 * (costs work offline from the first request); answers when the models.dev prices were last written.
 */
export async function seedModelsDevPrices(prices: Pick<PriceRepository, 'modelsDevState' | 'seedModelsDev'>, logger: Logger): Promise<number | null> {
  const state = await prices.modelsDevState()
  if (state.count > 0) return state.updatedAt
  const snapshot = bundledSnapshot()
  const stored = await prices.seedModelsDev(snapshotPrices(snapshot))
  if (stored > 0) logger.info({ prices: stored, snapshot: snapshot.source }, 'models.dev prices seeded from the bundled snapshot')
  return (await prices.modelsDevState()).updatedAt
}

/** Refreshes the models.dev prices from the live catalogue. */
export class PriceSync {
  private running: Promise<PriceSyncResult> | null = null
  private syncedAt: number | null
  private readonly closing = new AbortController()

  constructor(private readonly deps: PriceSyncDeps) {
    this.syncedAt = deps.syncedAt
  }

  /** When the models.dev prices were last written (seed or sync); null when there are none. */
  get lastSyncedAt(): number | null {
    return this.syncedAt
  }

  /** Replaces the models.dev prices with the live catalogue, or joins the sync already running. */
  sync(): Promise<PriceSyncResult> {
    this.running ??= this.run().finally(() => {
      this.running = null
    })
    return this.running
  }

  /** Gives up a sync in progress (at shutdown); later syncs fail at once. */
  close(): void {
    this.closing.abort()
  }

  private async run(): Promise<PriceSyncResult> {
    const url = this.deps.url()
    const before = await this.deps.prices.list({ source: 'models.dev' })
    let fresh: PriceFields[]
    try {
      const raw = await fetchCatalogue(url, this.deps.timeoutMs ?? SYNC_TIMEOUT_MS, this.closing.signal)
      fresh = snapshotPrices(reduceModelsDev(raw, { source: url, generatedAt: new Date(this.deps.now()).toISOString() }))
    } catch (err) {
      if (!(err instanceof CatalogueFetchError || err instanceof ModelsDevFormatError)) throw err
      const what = err instanceof CatalogueFetchError && !err.reachable ? `Could not reach models.dev at ${url}` : `models.dev at ${url} gave no usable answer`
      throw new PriceSyncError(`${what}: ${err.message}; the existing ${before.length} prices are kept.`)
    }
    await this.deps.prices.replaceModelsDev(fresh)
    await this.deps.book.reload()
    const syncedAt = this.deps.now()
    this.syncedAt = syncedAt
    return { prices: fresh.length, ...diff(before, fresh), url, syncedAt }
  }
}

/** Prices added, removed and changed, by (provider, model). */
function diff(before: readonly PriceRecord[], after: readonly PriceFields[]): { added: number; removed: number; changed: number } {
  const key = (p: PriceFields): string => `${p.provider ?? ''}\u0000${p.model}`
  const old = new Map(before.map(p => [key(p), p]))
  let added = 0
  let changed = 0
  for (const price of after) {
    const previous = old.get(key(price))
    old.delete(key(price))
    if (!previous) added++
    else if (ratesOf(previous) !== ratesOf(price)) changed++
  }
  return { added, removed: old.size, changed }
}

function ratesOf(p: PriceFields): string {
  return JSON.stringify([p.input, p.output, p.cacheRead, p.cacheWrite, p.tiers])
}
