import { describe, expect, it } from 'vitest'
import { CHANNEL_TYPES } from '@shared/constants/protocol'
import { AZURE_DEFAULT_API_VERSION, findPreset, PROVIDER_PRESETS } from '@shared/constants/provider-presets'
import { BALANCE_PROVIDERS } from '@shared/dto/balance'
import { AzureOptionsSchema, ChannelCreateSchema } from '@shared/dto/channel'
import { ProviderPresetSchema } from '@shared/dto/provider-preset'
import { anthropicModels } from './anthropic-models'
import { balanceProviderOf } from './balance-providers'
import { geminiModels } from './gemini-models'
import { openAiModels } from './openai-models'

const listing = { 'openai-chat': openAiModels, 'openai-responses': openAiModels, anthropic: anthropicModels, gemini: geminiModels }

describe('provider presets', () => {
  it('has unique ids and the providers the channel form offers', () => {
    const ids = PROVIDER_PRESETS.map(p => p.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(['openai', 'anthropic', 'gemini', 'openrouter', 'deepseek', 'groq', 'mistral', 'xai', 'azure-openai', 'ollama', 'lm-studio', 'vllm'])
    expect(findPreset('groq')?.name).toBe('Groq')
    expect(findPreset('nope')).toBeUndefined()
  })

  it.each(PROVIDER_PRESETS.map(p => [p.id, p] as const))('%s: valid type, base URLs a channel accepts, API shape', (_id, preset) => {
    expect(CHANNEL_TYPES).toContain(preset.type)
    expect(ProviderPresetSchema.parse(preset)).toEqual(preset)
    if (preset.baseUrls.length > 0) expect(ChannelCreateSchema.shape.baseUrls.safeParse(preset.baseUrls).success).toBe(true)
    for (const model of preset.suggestedModels) expect(ChannelCreateSchema.shape.models.safeParse([model]).success).toBe(true)
    expect(new URL(preset.docsUrl).protocol).toBe('https:')
  })

  it.each(PROVIDER_PRESETS.map(p => [p.id, p] as const))('%s: the listing URL is where model sync asks', (_id, preset) => {
    const base = preset.baseUrls[0]
    if (preset.modelListUrl === null || base === undefined) return expect(preset.azure).toBeDefined()
    const first = new URL(listing[preset.type].firstPage(base))
    expect(`${first.origin}${first.pathname}`).toBe(preset.modelListUrl)
  })

  it('names the balance reader that the default base URL gets', () => {
    for (const preset of PROVIDER_PRESETS) {
      expect(balanceProviderOf(preset.baseUrls)?.provider ?? null, preset.id).toBe(preset.balance)
      if (preset.balance !== null) expect(BALANCE_PROVIDERS).toContain(preset.balance)
    }
  })

  it('keeps a key optional only for local servers', () => {
    const keyless = PROVIDER_PRESETS.filter(p => !p.keyRequired)
    expect(keyless.map(p => p.id)).toEqual(['ollama', 'lm-studio', 'vllm'])
    for (const preset of keyless) expect(new URL(preset.baseUrls[0] ?? '').hostname).toBe('127.0.0.1')
  })

  it('gives Azure no base URL (each resource has its own) and a valid api-version', () => {
    const azure = findPreset('azure-openai')
    expect(azure?.baseUrls).toEqual([])
    expect(azure?.type).toBe('openai-chat')
    expect(AzureOptionsSchema.parse(azure?.azure)).toEqual({ apiVersion: AZURE_DEFAULT_API_VERSION })
  })
})
