import type { ProtocolAdapter } from '../protocol-adapter'
import { messagesHeaders, messagesUrl } from './endpoint'
import { anthropicErrorBody, anthropicErrorMessage, anthropicStreamError } from './errors'
import { anthropicPassThrough } from './pass-through'
import { buildAnthropicRequest } from './request-build'
import { parseAnthropicRequest } from './request-parse'
import { decodeAnthropicResponse, encodeAnthropicResponse } from './response'
import { anthropicStreamDecoder } from './stream-decoder'
import { anthropicStreamEncoder } from './stream-encoder'
import { ANTHROPIC } from './types'

/** The Anthropic Messages protocol (`POST /v1/messages`), as Cuttle serves it and as it calls it. */
export const anthropicAdapter: ProtocolAdapter = {
  protocol: ANTHROPIC,
  client: {
    parseRequest: parseAnthropicRequest,
    encodeResponse: encodeAnthropicResponse,
    streamEncoder: anthropicStreamEncoder,
    errorBody: anthropicErrorBody,
    streamError: anthropicStreamError
  },
  upstream: {
    url: baseUrl => messagesUrl(baseUrl),
    headers: messagesHeaders,
    buildRequest: buildAnthropicRequest,
    decodeResponse: decodeAnthropicResponse,
    streamDecoder: anthropicStreamDecoder,
    errorMessage: anthropicErrorMessage
  },
  passThrough: anthropicPassThrough
}
