import { encodeLogCursor } from '@shared/dto/log-query'
import { adminErrors } from '../http-errors'
import type { AdminDeps, AdminHandlers } from './admin-context'

/** The request log: filtered pages without bodies, and one request in full. */
export function logHandlers(deps: AdminDeps): Pick<AdminHandlers, 'logs.list' | 'logs.get'> {
  const logs = deps.repos.requestLogs
  return {
    'logs.list': async ({ query }) => {
      const { cursor, limit, ...filter } = query
      const page = await logs.page(filter, cursor ?? null, limit)
      return { items: page.items, nextCursor: page.next ? encodeLogCursor(page.next) : null }
    },
    'logs.get': async ({ params }) => {
      const log = await logs.get(params.id)
      if (!log) throw adminErrors.notFound('Request log', params.id)
      return log
    }
  }
}
