import { testChannel } from '../../relay/channel-test'
import { adminErrors } from '../http-errors'
import type { AdminDeps, AdminHandlers } from './admin-context'

/** The channel test: one tiny request to the provider, answered whatever the provider did. */
export function channelTestHandlers(deps: AdminDeps): Pick<AdminHandlers, 'channels.test'> {
  return {
    'channels.test': async ({ params, body }) => {
      const channel = await deps.repos.channels.get(params.id)
      if (!channel) throw adminErrors.notFound('Channel', params.id)
      const model = body.model ?? channel.models[0]
      if (model === undefined) throw adminErrors.invalidReference('model', 'the channel lists no models: name the model to test')
      return testChannel(deps.channelTests, channel, model)
    }
  }
}
