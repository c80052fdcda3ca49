import { randomUUID } from 'node:crypto'
import type { AntigravityOptions } from '@shared/dto/channel'
import type { ProtocolAdapter } from '../protocol-adapter'
import { geminiHeaders } from './endpoint'
import { isRec } from './read'
import { GeminiStreamDecoder } from './stream-decoder'

/** The field Cloud Code wraps each Gemini answer (and stream chunk) in. */
const ENVELOPE = 'response'

/** Cloud Code's generate URL: the model is named in the body, not the path. */
export function antigravityUrl(endpoint: string, stream: boolean): string {
  const url = new URL(endpoint)
  const root = url.pathname.replace(/\/+$/, '')
  url.pathname = `${root}/v1internal:${stream ? 'streamGenerateContent' : 'generateContent'}`
  if (stream) url.searchParams.set('alt', 'sse')
  return url.toString()
}

/** Cloud Code takes an OAuth access token as Bearer, never Gemini's API-key header. */
export function antigravityHeaders(accessToken: string | null, stream: boolean): Record<string, string> {
  return { ...geminiHeaders(null, stream), ...(accessToken !== null ? { authorization: `Bearer ${accessToken}` } : {}) }
}

/** `body` as Cloud Code expects it: the Gemini request inside an envelope naming model and project. */
export function antigravityEnvelope(body: Record<string, unknown>, model: string, project: string | undefined): Record<string, unknown> {
  return { model: model.replace(/^models\//, ''), ...(project !== undefined ? { project } : {}), userAgent: 'antigravity', requestId: randomUUID(), request: body }
}

/** The Gemini answer inside a Cloud Code answer; a body without the envelope (an error) as it is. */
export function antigravityAnswer(body: unknown): unknown {
  return isRec(body) && isRec(body[ENVELOPE]) ? body[ENVELOPE] : body
}

/**
 * The Gemini adapter as an Antigravity channel speaks it: addressed to the Cloud Code endpoint
 * (the channel's base URLs are not used), with the access token the relay exchanged the channel's
 * refresh token for, bodies wrapped and answers unwrapped. Clients always reach it by conversion
 * (see createExchange): the envelope is not Gemini's wire, so nothing passes through untouched.
 */
export function antigravityAdapter(adapter: ProtocolAdapter, options: AntigravityOptions | null): ProtocolAdapter {
  if (options === null) return adapter
  const { upstream } = adapter
  return {
    ...adapter,
    upstream: {
      ...upstream,
      url: (_baseUrl, _model, stream) => antigravityUrl(options.endpoint, stream),
      headers: antigravityHeaders,
      buildRequest: (request, model) => antigravityEnvelope(upstream.buildRequest(request, model), model, options.project),
      decodeResponse: body => upstream.decodeResponse(antigravityAnswer(body)),
      streamDecoder: () => new GeminiStreamDecoder(ENVELOPE)
    }
  }
}
