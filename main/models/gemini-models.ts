import { modelsUrl, withParam, type ModelListShape } from './model-list-shape'
import { authHeader, objectOf } from './provider-call'

/**
 * Gemini channels: `GET {root}/models?pageSize=1000` with `x-goog-api-key`; `{models: [{name:
 * "models/…", supportedGenerationMethods}], nextPageToken}`. Only models that can
 * `generateContent` are kept (embedding and other models cannot serve a chat), without the
 * `models/` prefix.
 */
export const geminiModels: ModelListShape = {
  firstPage: baseUrl => modelsUrl(baseUrl, '/v1beta', { pageSize: '1000' }),
  headers: key => authHeader('x-goog-api-key', key),
  readPage(body, pageUrl) {
    const page = objectOf(body)
    if (!page) return null
    // The API leaves `models` out of an empty answer; any other object is not a Gemini list.
    if (page.models === undefined && Object.keys(page).some(key => key !== 'nextPageToken')) return null
    const models = page.models ?? []
    if (!Array.isArray(models)) return null
    const ids: string[] = []
    for (const entry of models) {
      const model = objectOf(entry)
      const methods = model?.supportedGenerationMethods
      if (typeof model?.name !== 'string' || !Array.isArray(methods) || !methods.includes('generateContent')) continue
      ids.push(model.name.replace(/^models\//, ''))
    }
    const token = page.nextPageToken
    return { ids, next: typeof token === 'string' && token !== '' ? withParam(pageUrl, 'pageToken', token) : null }
  }
}
