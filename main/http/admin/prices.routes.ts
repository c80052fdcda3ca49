import type { PriceCreate, PriceResolution } from '@shared/dto/price'
import { normalizeModel } from '../../pricing/model-name'
import { providerOfChannel, type ResolvedPrice } from '../../pricing/price-book'
import { PriceSyncError } from '../../pricing/price-sync'
import type { PriceRecord, PriceSource } from '../../store/records'
import { adminErrors } from '../http-errors'
import type { AdminDeps, AdminHandlers } from './admin-context'

type PriceEndpoint = 'prices.list' | 'prices.resolve' | 'prices.get' | 'prices.create' | 'prices.update' | 'prices.delete' | 'prices.sync'

/** Price CRUD, sync and resolution; every change rebuilds the price book before answering. */
export function priceHandlers(deps: AdminDeps): Pick<AdminHandlers, PriceEndpoint> {
  const { repos, priceBook, priceSync } = deps
  const load = async (id: number): Promise<PriceRecord> => {
    const price = await repos.prices.get(id)
    if (!price) throw adminErrors.notFound('Price', id)
    return price
  }
  const editable = async (id: number): Promise<PriceRecord> => {
    const price = await load(id)
    if (price.source === 'models.dev') {
      throw adminErrors.conflict(
        `Price ${id} comes from models.dev and is read-only (every sync replaces it). Add a user price for "${price.model}" instead (POST /api/v1/prices); it takes precedence.`
      )
    }
    return price
  }
  /** One user price per model, one channel price per (channel, model), model names compared as the price book does. */
  const refuseDuplicate = async (source: PriceSource, channelId: number | null, model: string, self: number | null): Promise<void> => {
    const same = (await repos.prices.list(channelId === null ? { source } : { source, channelId })).find(
      p => p.id !== self && p.channelId === channelId && normalizeModel(p.model) === normalizeModel(model)
    )
    if (same) {
      const which = channelId === null ? 'A user price' : `A price of channel ${channelId}`
      throw adminErrors.conflict(`${which} for "${same.model}" already exists (price ${same.id}); change that one with PATCH /api/v1/prices/${same.id}.`)
    }
  }
  const changed = async <T>(result: T): Promise<T> => {
    await priceBook.reload()
    return result
  }
  return {
    'prices.list': async ({ query }) => {
      const { page, pageSize, search, source, channelId } = query
      const found = await repos.prices.page({ search, source, channelId }, page, pageSize)
      return { ...found, page, pageSize }
    },
    'prices.resolve': async ({ query }) => {
      const channelId = query.channelId ?? null
      let channelType = null
      if (channelId !== null) {
        const channel = await repos.channels.get(channelId)
        if (!channel) throw adminErrors.notFound('Channel', channelId)
        channelType = channel.type
      }
      const resolved = priceBook.current().price(channelId, channelType, query.model)
      return explain(query.model, channelId, channelType === null ? null : providerOfChannel(channelType), resolved)
    },
    'prices.get': async ({ params }) => load(params.id),
    'prices.create': async ({ body }) => {
      const { source, channelId } = scopeOf(body)
      if (channelId !== null && !(await repos.channels.get(channelId))) {
        throw adminErrors.invalidReference('channelId', `no channel has id ${channelId}`)
      }
      await refuseDuplicate(source, channelId, body.model, null)
      const { model, input, output, cacheRead, cacheWrite, tiers } = body
      return changed(await repos.prices.create({ model, source, channelId, provider: null, input, output, cacheRead, cacheWrite, tiers }))
    },
    'prices.update': async ({ params, body }) => {
      const current = await editable(params.id)
      if (body.model !== undefined) await refuseDuplicate(current.source, current.channelId, body.model, current.id)
      const updated = await repos.prices.update(params.id, body)
      if (!updated) throw adminErrors.notFound('Price', params.id)
      return changed(updated)
    },
    'prices.delete': async ({ params }) => {
      await editable(params.id)
      if (!(await repos.prices.delete(params.id))) throw adminErrors.notFound('Price', params.id)
      return changed({ deleted: true as const })
    },
    'prices.sync': async () => {
      try {
        return await priceSync.sync()
      } catch (err) {
        if (err instanceof PriceSyncError) throw adminErrors.priceSyncFailed(err.message)
        throw err
      }
    }
  }
}

/** A channel price when a channel is named (or the source says so), else a user price. */
function scopeOf(body: PriceCreate): { source: 'user' | 'channel'; channelId: number | null } {
  const channelId = body.channelId ?? null
  const source = body.source ?? (channelId === null ? 'user' : 'channel')
  return { source, channelId: source === 'channel' ? channelId : null }
}

function explain(model: string, channelId: number | null, channelProvider: string | null, resolved: ResolvedPrice | null): PriceResolution {
  const base = { model, channelId, price: resolved?.price ?? null, match: resolved?.match ?? null }
  if (!resolved) {
    return { ...base, reason: `No price is known for "${model}": its requests log no cost and count as unpriced. Add a user price to cost them.` }
  }
  const { price, match } = resolved
  if (price.source === 'channel') return { ...base, reason: `Channel ${price.channelId} has its own price for "${price.model}".` }
  if (price.source === 'user') return { ...base, reason: `The user price for "${price.model}" applies${channelId === null ? '' : ' (this channel has none of its own)'}.` }
  const provider = price.provider === channelProvider ? `${price.provider}, the provider of this channel's type` : String(price.provider)
  const how = match === 'without-date-suffix' ? `, matched without the date suffix of "${model}"` : ''
  return { ...base, reason: `No user or channel price; models.dev lists "${price.model}" at ${provider}${how}.` }
}
