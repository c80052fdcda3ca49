import type { BalanceProvider } from '../dto/balance'
import type { ChannelType } from './protocol'

/** Azure OpenAI's newest generally available data-plane `api-version` (preview versions also work). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21'

/**
 * A known provider: what a channel for it needs, so adding one takes only a key. Pure data,
 * shared by the admin API (`GET /api/v1/provider-presets`, `POST /api/v1/channels` with `preset`)
 * and the channel form.
 */
export interface ProviderPreset {
  readonly id: string
  readonly name: string
  readonly type: ChannelType
  /** Empty when every account has its own endpoint (Azure): the operator gives it, `baseUrlHint` shows its form. */
  readonly baseUrls: readonly string[]
  readonly baseUrlHint: string
  /** Local servers run without one. */
  readonly keyRequired: boolean
  /** Where model sync lists the models (the channel type's listing under the default base URL); null: not listed. */
  readonly modelListUrl: string | null
  /** The balance reader that applies to the default base URL (main/models/balance-providers.ts); null: none. */
  readonly balance: BalanceProvider | null
  /** A few current model ids, offered in the form; empty where model sync or the operator names them. */
  readonly suggestedModels: readonly string[]
  readonly docsUrl: string
  /** Azure OpenAI: deployment paths, `api-version` and the `api-key` header (see ChannelDto.azure). */
  readonly azure?: { readonly apiVersion: string }
}

/** Every preset, in the order the form offers them: hosted providers first, then local servers. */
export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    name: 'OpenAI',
    type: 'openai-chat',
    baseUrls: ['https://api.openai.com'],
    baseUrlHint: 'https://api.openai.com',
    keyRequired: true,
    modelListUrl: 'https://api.openai.com/v1/models',
    balance: null,
    suggestedModels: ['gpt-5', 'gpt-5-mini', 'gpt-4.1', 'gpt-4o-mini'],
    docsUrl: 'https://platform.openai.com/docs/api-reference/chat'
  },
  {
    id: 'anthropic',
    name: 'Anthropic',
    type: 'anthropic',
    baseUrls: ['https://api.anthropic.com'],
    baseUrlHint: 'https://api.anthropic.com',
    keyRequired: true,
    modelListUrl: 'https://api.anthropic.com/v1/models',
    balance: null,
    suggestedModels: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'],
    docsUrl: 'https://docs.claude.com/en/api/messages'
  },
  {
    id: 'gemini',
    name: 'Google Gemini',
    type: 'gemini',
    baseUrls: ['https://generativelanguage.googleapis.com'],
    baseUrlHint: 'https://generativelanguage.googleapis.com',
    keyRequired: true,
    modelListUrl: 'https://generativelanguage.googleapis.com/v1beta/models',
    balance: null,
    suggestedModels: ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite'],
    docsUrl: 'https://ai.google.dev/gemini-api/docs'
  },
  {
    id: 'openrouter',
    name: 'OpenRouter',
    type: 'openai-chat',
    baseUrls: ['https://openrouter.ai/api/v1'],
    baseUrlHint: 'https://openrouter.ai/api/v1',
    keyRequired: true,
    modelListUrl: 'https://openrouter.ai/api/v1/models',
    balance: 'openrouter.ai',
    suggestedModels: ['openai/gpt-5', 'anthropic/claude-sonnet-4.5', 'google/gemini-2.5-pro'],
    docsUrl: 'https://openrouter.ai/docs/quickstart'
  },
  {
    id: 'deepseek',
    name: 'DeepSeek',
    type: 'openai-chat',
    baseUrls: ['https://api.deepseek.com'],
    baseUrlHint: 'https://api.deepseek.com',
    keyRequired: true,
    modelListUrl: 'https://api.deepseek.com/v1/models',
    balance: 'deepseek.com',
    suggestedModels: ['deepseek-chat', 'deepseek-reasoner'],
    docsUrl: 'https://api-docs.deepseek.com/'
  },
  {
    id: 'groq',
    name: 'Groq',
    type: 'openai-chat',
    baseUrls: ['https://api.groq.com/openai/v1'],
    baseUrlHint: 'https://api.groq.com/openai/v1',
    keyRequired: true,
    modelListUrl: 'https://api.groq.com/openai/v1/models',
    balance: null,
    suggestedModels: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant', 'openai/gpt-oss-120b'],
    docsUrl: 'https://console.groq.com/docs/openai'
  },
  {
    id: 'mistral',
    name: 'Mistral',
    type: 'openai-chat',
    baseUrls: ['https://api.mistral.ai/v1'],
    baseUrlHint: 'https://api.mistral.ai/v1',
    keyRequired: true,
    modelListUrl: 'https://api.mistral.ai/v1/models',
    balance: null,
    suggestedModels: ['mistral-large-latest', 'mistral-medium-latest', 'mistral-small-latest', 'codestral-latest'],
    docsUrl: 'https://docs.mistral.ai/api/'
  },
  {
    id: 'xai',
    name: 'xAI',
    type: 'openai-chat',
    baseUrls: ['https://api.x.ai/v1'],
    baseUrlHint: 'https://api.x.ai/v1',
    keyRequired: true,
    modelListUrl: 'https://api.x.ai/v1/models',
    balance: null,
    suggestedModels: ['grok-4', 'grok-code-fast-1', 'grok-3-mini'],
    docsUrl: 'https://docs.x.ai/docs/api-reference'
  },
  {
    id: 'azure-openai',
    name: 'Azure OpenAI',
    type: 'openai-chat',
    baseUrls: [],
    baseUrlHint: 'https://<resource>.openai.azure.com',
    keyRequired: true,
    // Azure lists base models, not the deployments requests are addressed to: the operator names those.
    modelListUrl: null,
    balance: null,
    suggestedModels: [],
    docsUrl: 'https://learn.microsoft.com/azure/ai-foundry/openai/reference',
    azure: { apiVersion: AZURE_DEFAULT_API_VERSION }
  },
  {
    id: 'ollama',
    name: 'Ollama',
    type: 'openai-chat',
    baseUrls: ['http://127.0.0.1:11434/v1'],
    baseUrlHint: 'http://127.0.0.1:11434/v1',
    keyRequired: false,
    modelListUrl: 'http://127.0.0.1:11434/v1/models',
    balance: null,
    suggestedModels: [],
    docsUrl: 'https://docs.ollama.com/api/openai-compatibility'
  },
  {
    id: 'lm-studio',
    name: 'LM Studio',
    type: 'openai-chat',
    baseUrls: ['http://127.0.0.1:1234/v1'],
    baseUrlHint: 'http://127.0.0.1:1234/v1',
    keyRequired: false,
    modelListUrl: 'http://127.0.0.1:1234/v1/models',
    balance: null,
    suggestedModels: [],
    docsUrl: 'https://lmstudio.ai/docs/app/api/endpoints/openai'
  },
  {
    id: 'vllm',
    name: 'vLLM',
    type: 'openai-chat',
    baseUrls: ['http://127.0.0.1:8000/v1'],
    baseUrlHint: 'http://127.0.0.1:8000/v1',
    keyRequired: false,
    modelListUrl: 'http://127.0.0.1:8000/v1/models',
    balance: null,
    suggestedModels: [],
    docsUrl: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html'
  }
]

/** The preset with `id`, or undefined. */
export function findPreset(id: string): ProviderPreset | undefined {
  return PROVIDER_PRESETS.find(preset => preset.id === id)
}
