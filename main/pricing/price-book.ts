import type { ChannelType } from '@shared/constants/protocol'
import type { PriceMatch } from '@shared/dto/price'
import type { PriceRecord } from '../store/records'
import { normalizeModel, withoutDateSuffix } from './model-name'

/** The models.dev provider whose list prices a channel of each type pays. */
const PROVIDER_OF_CHANNEL: Record<ChannelType, string> = {
  'openai-chat': 'openai',
  'openai-responses': 'openai',
  anthropic: 'anthropic',
  gemini: 'google'
}

/** The models.dev provider preferred for a channel of this type. */
export function providerOfChannel(type: ChannelType): string {
  return PROVIDER_OF_CHANNEL[type]
}

/**
 * Model makers' own APIs, tried in this order when the channel's provider lists no price: their
 * list prices are what a model costs; resellers and clouds (tried after, by provider id) add
 * margins or discounts of their own.
 */
const FIRST_PARTY = ['openai', 'anthropic', 'google', 'deepseek', 'mistral', 'xai', 'moonshotai', 'zai', 'alibaba']

/** Resolutions remembered per book; upstream model names come from the route table, so few. */
const MEMO_LIMIT = 10_000

/** The price that applies to a request, and how a models.dev one was found (null for user and channel prices). */
export interface ResolvedPrice {
  price: PriceRecord
  match: PriceMatch | null
}

/**
 * Every price in memory, for the hot path: built from the `prices` rows, never changed (a change
 * builds a new book). Priority: a price for this channel, then the user's price, then models.dev
 * by exact id (the channel's own provider first, then model makers, then the others), then
 * models.dev ignoring a trailing date. Model names compare normalised (see normalizeModel).
 */
export class PriceBook {
  private readonly channelPrices = new Map<string, PriceRecord>()
  private readonly userPrices = new Map<string, PriceRecord>()
  private readonly exact = new Map<string, PriceRecord[]>()
  /** models.dev prices by id without its date, so `claude-sonnet-4` finds `claude-sonnet-4-20250514`. */
  private readonly undated = new Map<string, PriceRecord[]>()
  private readonly memo = new Map<string, ResolvedPrice | null>()

  constructor(records: readonly PriceRecord[]) {
    for (const record of records) {
      const name = normalizeModel(record.model)
      if (record.source === 'channel') {
        if (record.channelId !== null) keepFirst(this.channelPrices, channelKey(record.channelId, name), record)
      } else if (record.source === 'user') {
        keepFirst(this.userPrices, name, record)
      } else {
        append(this.exact, name, record)
        append(this.undated, withoutDateSuffix(name) ?? name, record)
      }
    }
  }

  /** The price of `upstreamModel` on a channel (null channel: without channel prices); null when none is known. */
  price(channelId: number | null, channelType: ChannelType | null, upstreamModel: string): ResolvedPrice | null {
    const key = `${channelId ?? ''}\u0000${channelType ?? ''}\u0000${upstreamModel}`
    const remembered = this.memo.get(key)
    if (remembered !== undefined) return remembered
    const resolved = this.resolve(channelId, channelType, upstreamModel)
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear()
    this.memo.set(key, resolved)
    return resolved
  }

  private resolve(channelId: number | null, channelType: ChannelType | null, upstreamModel: string): ResolvedPrice | null {
    const name = normalizeModel(upstreamModel)
    const own = channelId === null ? undefined : this.channelPrices.get(channelKey(channelId, name))
    if (own) return { price: own, match: null }
    const user = this.userPrices.get(name)
    if (user) return { price: user, match: null }
    const preferred = channelType === null ? null : providerOfChannel(channelType)
    const exact = best(this.exact.get(name), preferred, name)
    if (exact) return { price: exact, match: 'exact' }
    const base = withoutDateSuffix(name) ?? name
    const undated = best(this.undated.get(base), preferred, base)
    return undated ? { price: undated, match: 'without-date-suffix' } : null
  }
}

/** The candidate to use: by provider rank, then the id without a date, then the newest date. */
function best(candidates: readonly PriceRecord[] | undefined, preferred: string | null, base: string): PriceRecord | null {
  if (!candidates || candidates.length === 0) return null
  const rank = (p: PriceRecord): number => {
    if (p.provider === preferred) return 0
    const firstParty = FIRST_PARTY.indexOf(p.provider ?? '')
    return firstParty >= 0 ? 1 + firstParty : 1 + FIRST_PARTY.length
  }
  const sorted = [...candidates].sort((a, b) => {
    const aliasA = normalizeModel(a.model) === base ? 0 : 1
    const aliasB = normalizeModel(b.model) === base ? 0 : 1
    return (
      rank(a) - rank(b) ||
      compareText(a.provider ?? '', b.provider ?? '') ||
      aliasA - aliasB ||
      // Dates sort as text: the newest dated id first.
      compareText(b.model, a.model) ||
      a.id - b.id
    )
  })
  return sorted[0] ?? null
}

/** Code-point order: the same everywhere, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function channelKey(channelId: number, name: string): string {
  return `${channelId}\u0000${name}`
}

function keepFirst(map: Map<string, PriceRecord>, key: string, record: PriceRecord): void {
  if (!map.has(key)) map.set(key, record)
}

function append(map: Map<string, PriceRecord[]>, key: string, record: PriceRecord): void {
  const list = map.get(key)
  if (list) list.push(record)
  else map.set(key, [record])
}
