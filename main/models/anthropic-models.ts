import { modelsUrl, withParam, type ModelListShape } from './model-list-shape'
import { authHeader, objectOf } from './provider-call'

/**
 * Anthropic channels: `GET {root}/models?limit=1000` with `x-api-key` and `anthropic-version`;
 * `{data: [{id}], has_more, last_id}`, the next page asked with `after_id`.
 */
export const anthropicModels: ModelListShape = {
  firstPage: baseUrl => modelsUrl(baseUrl, '/v1', { limit: '1000' }),
  headers: key => ({ ...authHeader('x-api-key', key), 'anthropic-version': '2023-06-01' }),
  readPage(body, pageUrl) {
    const page = objectOf(body)
    if (!page || !Array.isArray(page.data)) return null
    const ids = page.data.map(entry => objectOf(entry)?.id).filter((id): id is string => typeof id === 'string')
    const last = page.last_id
    const next = page.has_more === true && typeof last === 'string' && last !== '' ? withParam(pageUrl, 'after_id', last) : null
    return { ids, next }
  }
}
