import { z } from 'zod'
import type { PriceTier } from '@shared/dto/price'
import type { PriceFields } from '../store/records'

/** Where the live catalogue is (the default of the `pricesSyncUrl` setting). */
export const MODELS_DEV_URL = 'https://models.dev/api.json'

/** Longest model id and provider id the `prices` table holds. */
const MAX_MODEL_ID = 200
const MAX_PROVIDER_ID = 64

/** models.dev's long-context prices, and the input size above which each applies to the whole request. */
const TIERS = { context_over_200k: 200_000 } as const
const TIER_KEYS = Object.keys(TIERS) as Array<keyof typeof TIERS>

const usd = z.number().nonnegative()
const RatesSchema = z.object({ input: usd, output: usd, cache_read: usd.optional(), cache_write: usd.optional() })
type Rates = z.infer<typeof RatesSchema>

/** A model's prices in USD per million tokens, in models.dev's own field names. */
const CostSchema = z.object({ ...RatesSchema.shape, context_over_200k: RatesSchema.optional() })
type Cost = z.infer<typeof CostSchema>
const LimitSchema = z.object({ context: z.number().int().nonnegative(), output: z.number().int().nonnegative() })

/** One model of the snapshot: its name, prices (tiers under their models.dev keys) and token limits. */
export const SnapshotModelSchema = z
  .object({
    name: z.string(),
    cost: CostSchema.strict(),
    limit: LimitSchema.optional()
  })
  .strict()
export type SnapshotModel = z.infer<typeof SnapshotModelSchema>

/** The models.dev catalogue reduced to what pricing needs, per provider id and model id. */
export const ModelsDevSnapshotSchema = z.object({
  /** Where the catalogue was read. */
  source: z.string(),
  /** When the snapshot was made (ISO 8601). */
  generatedAt: z.string(),
  providers: z.record(z.string(), z.object({ name: z.string(), models: z.record(z.string(), SnapshotModelSchema) }))
})
export type ModelsDevSnapshot = z.infer<typeof ModelsDevSnapshotSchema>

/** The catalogue could not be used (not an object of providers, or no model with a price). */
export class ModelsDevFormatError extends Error {}

/**
 * Reduces a models.dev catalogue (`{<provider>: {id, name, models: {<id>: {cost, limit, …}}}}`) to
 * the snapshot shape: priced models only, providers and models sorted by id so a regenerated
 * snapshot diffs cleanly. A model whose prices are malformed is left out rather than failing the
 * whole catalogue; a catalogue without a single price is refused, so a broken answer never
 * replaces the prices.
 */
export function reduceModelsDev(raw: unknown, meta: { source: string; generatedAt: string }): ModelsDevSnapshot {
  if (!isRecord(raw)) throw new ModelsDevFormatError('it is not a JSON object of providers')
  const providers: ModelsDevSnapshot['providers'] = {}
  let priced = 0
  for (const providerId of Object.keys(raw).sort()) {
    const provider = raw[providerId]
    if (!isRecord(provider) || !isRecord(provider.models) || providerId.length > MAX_PROVIDER_ID) continue
    const models: Record<string, SnapshotModel> = {}
    for (const modelId of Object.keys(provider.models).sort()) {
      const model = reduceModel(modelId, provider.models[modelId])
      if (model) models[modelId] = model
    }
    if (Object.keys(models).length === 0) continue
    priced += Object.keys(models).length
    providers[providerId] = { name: typeof provider.name === 'string' ? provider.name : providerId, models }
  }
  if (priced === 0) throw new ModelsDevFormatError('it lists no model with a price')
  return { source: meta.source, generatedAt: meta.generatedAt, providers }
}

function reduceModel(id: string, raw: unknown): SnapshotModel | null {
  if (!isRecord(raw) || id.length === 0 || id.length > MAX_MODEL_ID) return null
  const base = RatesSchema.safeParse(raw.cost)
  if (!base.success || !isRecord(raw.cost)) return null
  const reduced: Cost = rates(base.data)
  for (const key of TIER_KEYS) {
    // A malformed tier is dropped, not the model: its base prices are still right below the threshold.
    const tier = RatesSchema.safeParse(raw.cost[key])
    if (tier.success) reduced[key] = rates(tier.data)
  }
  const limit = LimitSchema.safeParse(raw.limit)
  return {
    name: typeof raw.name === 'string' ? raw.name : id,
    cost: reduced,
    ...(limit.success ? { limit: { context: limit.data.context, output: limit.data.output } } : {})
  }
}

/** Only the four prices, cache ones only when models.dev gives them. */
function rates(r: Rates): Rates {
  return {
    input: r.input,
    output: r.output,
    ...(r.cache_read === undefined ? {} : { cache_read: r.cache_read }),
    ...(r.cache_write === undefined ? {} : { cache_write: r.cache_write })
  }
}

/** The snapshot as `prices` rows of source models.dev, one per (provider, model). */
export function snapshotPrices(snapshot: ModelsDevSnapshot): PriceFields[] {
  const rows: PriceFields[] = []
  for (const [provider, { models }] of Object.entries(snapshot.providers)) {
    for (const [model, { cost }] of Object.entries(models)) {
      const tiers: PriceTier[] = []
      for (const key of TIER_KEYS) {
        const tier = cost[key]
        if (tier) tiers.push({ aboveInputTokens: TIERS[key], ...fields(tier) })
      }
      rows.push({ model, source: 'models.dev', channelId: null, provider, ...fields(cost), tiers })
    }
  }
  return rows
}

function fields(r: Rates): Pick<PriceTier, 'input' | 'output' | 'cacheRead' | 'cacheWrite'> {
  return { input: r.input, output: r.output, cacheRead: r.cache_read ?? null, cacheWrite: r.cache_write ?? null }
}

/** The snapshot as committed: one line per model, so a regeneration shows as a readable diff. */
export function formatSnapshot(snapshot: ModelsDevSnapshot): string {
  const lines = ['{', `  "source": ${JSON.stringify(snapshot.source)},`, `  "generatedAt": ${JSON.stringify(snapshot.generatedAt)},`, '  "providers": {']
  const providers = Object.entries(snapshot.providers)
  providers.forEach(([id, provider], p) => {
    lines.push(`    ${JSON.stringify(id)}: {`, `      "name": ${JSON.stringify(provider.name)},`, '      "models": {')
    const models = Object.entries(provider.models)
    models.forEach(([modelId, model], m) => lines.push(`        ${JSON.stringify(modelId)}: ${JSON.stringify(model)}${m < models.length - 1 ? ',' : ''}`))
    lines.push('      }', `    }${p < providers.length - 1 ? ',' : ''}`)
  })
  lines.push('  }', '}', '')
  return lines.join('\n')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
