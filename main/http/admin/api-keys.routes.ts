import { clientKeyPrefix, generateClientKey, hashClientKey } from '../../security/client-key'
import { isUniqueViolation } from '../../store/columns'
import { adminErrors } from '../http-errors'
import type { AdminDeps, AdminHandlers } from './admin-context'
import { uniqueName } from './channels.routes'
import { presentApiKey } from './presenters'

/** Client keys: created once with the key shown, then only their prefix. */
export function apiKeyHandlers(deps: AdminDeps): Pick<AdminHandlers, 'apiKeys.list' | 'apiKeys.get' | 'apiKeys.create' | 'apiKeys.update' | 'apiKeys.delete'> {
  const { repos, routes } = deps
  return {
    'apiKeys.list': async () => (await repos.apiKeys.list()).map(presentApiKey),
    'apiKeys.get': async ({ params }) => {
      const key = await repos.apiKeys.get(params.id)
      if (!key) throw adminErrors.notFound('API key', params.id)
      return presentApiKey(key)
    },
    'apiKeys.create': async ({ body }) => {
      const { key: chosen, ...fields } = body
      const key = chosen ?? generateClientKey()
      if (await repos.apiKeys.findByName(fields.name)) throw adminErrors.conflict(`The name "${fields.name}" is already taken.`)
      // With a free name, a unique violation can only be the key hash: say so without naming its owner.
      const created = await repos.apiKeys
        .create({ ...fields, keyHash: hashClientKey(key), keyPrefix: clientKeyPrefix(key) })
        .catch((err: unknown) => {
          throw isUniqueViolation(err) ? adminErrors.conflict('This key is already in use; choose another.') : err
        })
      await routes.reload()
      return { ...presentApiKey(created), key }
    },
    'apiKeys.update': async ({ params, body }) => {
      const current = await repos.apiKeys.get(params.id)
      if (!current) throw adminErrors.notFound('API key', params.id)
      const updated = await uniqueName(() => repos.apiKeys.update(params.id, body), body.name ?? current.name)
      if (!updated) throw adminErrors.notFound('API key', params.id)
      await routes.reload()
      return presentApiKey(updated)
    },
    'apiKeys.delete': async ({ params }) => {
      if (!(await repos.apiKeys.delete(params.id))) throw adminErrors.notFound('API key', params.id)
      await routes.reload()
      return { deleted: true }
    }
  }
}
