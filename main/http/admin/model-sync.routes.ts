import { ModelListError } from '../../models/list-models'
import { adminErrors } from '../http-errors'
import type { AdminDeps, AdminHandlers } from './admin-context'

/** Model sync and balances of a channel: both ask the channel's provider. */
export function modelSyncHandlers(deps: AdminDeps): Pick<AdminHandlers, 'channels.syncModels' | 'channels.balance'> {
  return {
    'channels.syncModels': async ({ params, body }) => {
      try {
        const result = await deps.modelSync.sync(params.id, body.apply)
        if (!result) throw adminErrors.notFound('Channel', params.id)
        return result
      } catch (err) {
        // The provider failed, not the request: 502 with the reason (channel, URL, status; never a key).
        if (err instanceof ModelListError) throw adminErrors.upstreamFailed(err.message)
        throw err
      }
    },
    'channels.balance': async ({ params }) => {
      const channel = await deps.repos.channels.get(params.id)
      if (!channel) throw adminErrors.notFound('Channel', params.id)
      return deps.balances.forChannel(channel)
    }
  }
}
