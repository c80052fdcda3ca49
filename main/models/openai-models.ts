import { modelsUrl, type ModelListShape } from './model-list-shape'
import { authHeader, objectOf } from './provider-call'

/** OpenAI Chat and Responses channels: `GET {root}/models`, Bearer auth, `{data: [{id}]}` in one page. */
export const openAiModels: ModelListShape = {
  firstPage: baseUrl => modelsUrl(baseUrl, '/v1', {}),
  headers: key => authHeader('authorization', key === null ? null : `Bearer ${key}`),
  readPage(body) {
    const data = objectOf(body)?.data
    if (!Array.isArray(data)) return null
    const ids = data.map(entry => objectOf(entry)?.id).filter((id): id is string => typeof id === 'string')
    return { ids, next: null }
  }
}
