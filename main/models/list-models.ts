import type { ChannelType } from '@shared/constants/protocol'
import { ModelNameSchema } from '@shared/dto/common'
import { redactKeys } from '../relay/body-reader'
import type { ChannelRecord } from '../store/records'
import { anthropicModels } from './anthropic-models'
import { geminiModels } from './gemini-models'
import type { ModelListShape } from './model-list-shape'
import { openAiModels } from './openai-models'
import { channelAccess, getJson, PROVIDER_CALL_TIMEOUT_MS, ProviderCallError, safeUrl, type ProviderAccess, type ProviderCallDeps } from './provider-call'

/** Most pages followed: a provider that keeps paging past this is looping or listing absurdly much. */
export const MAX_MODEL_PAGES = 20

const SHAPES: Record<ChannelType, ModelListShape> = {
  'openai-chat': openAiModels,
  'openai-responses': openAiModels,
  anthropic: anthropicModels,
  gemini: geminiModels
}

/** Listing a channel's models failed; the message names the channel and the HTTP status, never a key. */
export class ModelListError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ModelListError'
  }
}

/**
 * The models a channel's provider lists, in its order, without duplicates or names a channel
 * cannot hold. Uses the channel's first healthy key and tries its base URLs in order until one
 * answers; each try has PROVIDER_CALL_TIMEOUT_MS for all its pages. `signal` stops it early.
 */
export async function listModels(deps: ProviderCallDeps, channel: ChannelRecord, signal?: AbortSignal): Promise<string[]> {
  // Azure lists base models, while requests name the operator's deployments: its list would add names no request can use.
  if (channel.azure !== null) throw new ModelListError(`Channel "${channel.name}": Azure OpenAI deployments are not listed; add each deployment name as a model`)
  // The keys are OAuth refresh tokens for the Cloud Code API, which has no model list of Gemini's shape.
  if (channel.antigravity !== null) throw new ModelListError(`Channel "${channel.name}": Antigravity channels are not listed; add each model by name`)
  const shape = SHAPES[channel.type]
  const access = channelAccess(channel, deps.health)
  const failures: string[] = []
  for (const baseUrl of channel.baseUrls) {
    const deadline = AbortSignal.timeout(PROVIDER_CALL_TIMEOUT_MS)
    try {
      return cleanIds(await listPages(deps, shape, access, baseUrl, signal ? AbortSignal.any([signal, deadline]) : deadline))
    } catch (err) {
      if (!(err instanceof ProviderCallError)) throw err
      failures.push(err.message)
      if (signal?.aborted) break
    }
  }
  if (failures.length === 0) failures.push('the channel has no base URL')
  throw new ModelListError(redactKeys(`Channel "${channel.name}": listing models failed: ${failures.join('; ')}`, channel.keys))
}

async function listPages(deps: ProviderCallDeps, shape: ModelListShape, access: ProviderAccess, baseUrl: string, signal: AbortSignal): Promise<string[]> {
  const ids: string[] = []
  let url: string | null = shape.firstPage(baseUrl)
  for (let page = 0; url !== null && page < MAX_MODEL_PAGES; page++) {
    const body = await getJson(deps, access, url, shape.headers(access.key), signal)
    const read = shape.readPage(body, url)
    if (!read) throw new ProviderCallError(`GET ${safeUrl(url)} did not answer a model list`)
    ids.push(...read.ids)
    url = read.next
  }
  return ids
}

/** Names as a channel stores them: valid model names, each once, in the provider's order. */
function cleanIds(ids: readonly string[]): string[] {
  return [...new Set(ids.map(id => id.trim()))].filter(id => ModelNameSchema.safeParse(id).success)
}
