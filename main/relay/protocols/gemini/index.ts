import type { ProtocolAdapter } from '../protocol-adapter'
import { geminiHeaders, geminiUrl } from './endpoint'
import { geminiErrorBody, geminiErrorMessage, geminiStreamError } from './errors'
import { geminiPassThrough } from './pass-through'
import { buildGeminiRequest } from './request-build'
import { parseGeminiRequest } from './request-parse'
import { decodeGeminiResponse, encodeGeminiResponse } from './response'
import { GeminiStreamDecoder } from './stream-decoder'
import { GeminiStreamEncoder } from './stream-encoder'

/** Google Gemini (Generative Language API), both as Cuttle's client-facing format and as an upstream. */
export const geminiAdapter: ProtocolAdapter = {
  protocol: 'gemini',
  client: {
    parseRequest: parseGeminiRequest,
    encodeResponse: encodeGeminiResponse,
    streamEncoder: ctx => new GeminiStreamEncoder(ctx),
    errorBody: geminiErrorBody,
    streamError: geminiStreamError
  },
  upstream: {
    url: geminiUrl,
    headers: geminiHeaders,
    buildRequest: buildGeminiRequest,
    decodeResponse: decodeGeminiResponse,
    streamDecoder: () => new GeminiStreamDecoder(),
    errorMessage: geminiErrorMessage
  },
  passThrough: geminiPassThrough
}
