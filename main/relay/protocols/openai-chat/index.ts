import type { ProtocolAdapter } from '../protocol-adapter'
import { chatCompletionsUrl, chatHeaders } from './endpoint'
import { chatErrorBody, chatErrorMessage, chatStreamErrorEvent } from './errors'
import { chatPassThrough } from './pass-through'
import { buildChatRequest } from './request-build'
import { parseChatRequest } from './request-parse'
import { decodeChatResponse, encodeChatResponse } from './response'
import { createChatStreamDecoder } from './stream-decoder'
import { createChatStreamEncoder } from './stream-encoder'

/** OpenAI Chat Completions (`POST /v1/chat/completions`), both as Cuttle's client face and as an upstream. */
export const openAiChatAdapter: ProtocolAdapter = {
  protocol: 'openai-chat',
  client: {
    parseRequest: parseChatRequest,
    encodeResponse: encodeChatResponse,
    streamEncoder: createChatStreamEncoder,
    errorBody: chatErrorBody,
    streamError: chatStreamErrorEvent
  },
  upstream: {
    url: baseUrl => chatCompletionsUrl(baseUrl),
    headers: chatHeaders,
    buildRequest: buildChatRequest,
    decodeResponse: decodeChatResponse,
    streamDecoder: createChatStreamDecoder,
    errorMessage: chatErrorMessage
  },
  passThrough: chatPassThrough
}
