import { anthropicAdapter } from './anthropic'
import { geminiAdapter } from './gemini'
import { openAiChatAdapter } from './openai-chat'
import { openAiResponsesAdapter } from './openai-responses'
import type { ProtocolRegistry } from './protocol-adapter'

/** The four protocols Cuttle speaks on either side (the single registry, as Portkey's providers/index.ts). */
export function protocolAdapters(): ProtocolRegistry {
  return {
    'openai-chat': openAiChatAdapter,
    'openai-responses': openAiResponsesAdapter,
    anthropic: anthropicAdapter,
    gemini: geminiAdapter
  }
}
