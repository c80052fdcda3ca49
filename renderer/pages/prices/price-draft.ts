import type { PriceCreate, PriceDto, PriceTier, PriceUpdate } from '@shared/dto/price'

/** A long-context tier while it is typed (empty fields are null). */
export interface TierDraft {
  aboveInputTokens: number | null
  input: number | null
  output: number | null
  cacheRead: number | null
  cacheWrite: number | null
}

/** The price form's state. */
export interface PriceDraft {
  model: string
  scope: 'user' | 'channel'
  channelId: number | null
  input: number | null
  output: number | null
  cacheRead: number | null
  cacheWrite: number | null
  tiers: TierDraft[]
}

/** What a new price starts from: nothing, a model name, or the models.dev price it overrides. */
export type PricePreset = Partial<Pick<PriceDto, 'model' | 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'tiers'>>

/** The form's state for an existing price, or for a new one from a preset. */
export function draftOf(price: PriceDto | null, preset: PricePreset | null): PriceDraft {
  const from = price ?? preset ?? {}
  return {
    model: from.model ?? '',
    scope: price?.source === 'channel' ? 'channel' : 'user',
    channelId: price?.channelId ?? null,
    input: from.input ?? null,
    output: from.output ?? null,
    cacheRead: from.cacheRead ?? null,
    cacheWrite: from.cacheWrite ?? null,
    tiers: (from.tiers ?? []).map(tier => ({ ...tier }))
  }
}

/**
 * Errors a request would certainly get, by the API's field paths, in words the page translates
 * (`required`, `negative`); the server checks the rest and its field errors land on the same paths.
 */
export function checkDraft(draft: PriceDraft): Record<string, 'required' | 'negative'> {
  const errors: Record<string, 'required' | 'negative'> = {}
  const money = (path: string, value: number | null, optional: boolean): void => {
    if (value === null) {
      if (!optional) errors[path] = 'required'
    } else if (value < 0) errors[path] = 'negative'
  }
  if (draft.model.trim() === '') errors.model = 'required'
  if (draft.scope === 'channel' && draft.channelId === null) errors.channelId = 'required'
  money('input', draft.input, false)
  money('output', draft.output, false)
  money('cacheRead', draft.cacheRead, true)
  money('cacheWrite', draft.cacheWrite, true)
  draft.tiers.forEach((tier, i) => {
    if (tier.aboveInputTokens === null) errors[`tiers.${i}.aboveInputTokens`] = 'required'
    money(`tiers.${i}.input`, tier.input, false)
    money(`tiers.${i}.output`, tier.output, false)
    money(`tiers.${i}.cacheRead`, tier.cacheRead, true)
    money(`tiers.${i}.cacheWrite`, tier.cacheWrite, true)
  })
  return errors
}

/** Tiers with their fields in one order, so two lists compare by their JSON. */
function tiersOf(tiers: readonly TierDraft[]): PriceTier[] {
  // checkDraft has ensured the required numbers are there.
  return tiers.map(tier => ({
    aboveInputTokens: tier.aboveInputTokens ?? 0,
    input: tier.input ?? 0,
    output: tier.output ?? 0,
    cacheRead: tier.cacheRead,
    cacheWrite: tier.cacheWrite
  }))
}

/** Body of `prices.create` for a checked draft. */
export function createBody(draft: PriceDraft): PriceCreate {
  const channel = draft.scope === 'channel'
  return {
    model: draft.model.trim(),
    source: channel ? 'channel' : 'user',
    channelId: channel ? draft.channelId : null,
    input: draft.input ?? 0,
    output: draft.output ?? 0,
    cacheRead: draft.cacheRead,
    cacheWrite: draft.cacheWrite,
    tiers: tiersOf(draft.tiers)
  }
}

/** Body of `prices.update`: only the fields that differ from the stored price. */
export function updateBody(draft: PriceDraft, price: PriceDto): PriceUpdate {
  const body: PriceUpdate = {}
  const model = draft.model.trim()
  if (model !== price.model) body.model = model
  if (draft.input !== price.input) body.input = draft.input ?? 0
  if (draft.output !== price.output) body.output = draft.output ?? 0
  if (draft.cacheRead !== price.cacheRead) body.cacheRead = draft.cacheRead
  if (draft.cacheWrite !== price.cacheWrite) body.cacheWrite = draft.cacheWrite
  const tiers = tiersOf(draft.tiers)
  if (JSON.stringify(tiers) !== JSON.stringify(tiersOf(price.tiers))) body.tiers = tiers
  return body
}
