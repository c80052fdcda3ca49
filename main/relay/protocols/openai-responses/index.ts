import type { ProtocolAdapter } from '../protocol-adapter'
import { responsesHeaders, responsesUrl } from './endpoint'
import { responsesErrorBody, responsesErrorMessage, responsesStreamError } from './errors'
import { responsesPassThrough } from './pass-through'
import { buildResponsesRequest } from './request-build'
import { parseResponsesRequest } from './request-parse'
import { decodeResponsesResponse, encodeResponsesResponse } from './response'
import { ResponsesStreamDecoder } from './stream-decoder'
import { ResponsesStreamEncoder } from './stream-encoder'

/** The OpenAI Responses API (`POST /v1/responses`), the protocol Codex CLI speaks. */
export const openAiResponsesAdapter: ProtocolAdapter = {
  protocol: 'openai-responses',
  client: {
    parseRequest: parseResponsesRequest,
    encodeResponse: encodeResponsesResponse,
    streamEncoder: ctx => new ResponsesStreamEncoder(ctx),
    errorBody: responsesErrorBody,
    streamError: responsesStreamError
  },
  upstream: {
    url: baseUrl => responsesUrl(baseUrl),
    headers: responsesHeaders,
    buildRequest: buildResponsesRequest,
    decodeResponse: decodeResponsesResponse,
    streamDecoder: () => new ResponsesStreamDecoder(),
    errorMessage: responsesErrorMessage
  },
  passThrough: responsesPassThrough
}
