import type { StatsGroupBy } from '@shared/dto/analytics'
import type { Repositories } from '../store/repositories'

/** Where the names of channels and client keys come from. */
export interface NameSource {
  channelNames(): Promise<Map<number, string>>
  apiKeyNames(): Promise<Map<number, string>>
}

/** Names read from the repositories, at the time of the query (a renamed channel shows its new name). */
export function namesFrom(repos: Pick<Repositories, 'channels' | 'apiKeys'>): NameSource {
  return {
    channelNames: async () => new Map((await repos.channels.list()).map(c => [c.id, c.name])),
    apiKeyNames: async () => new Map((await repos.apiKeys.list()).map(k => [k.id, k.name]))
  }
}

/** Label of the series that sums the ones beyond the limit. */
export const OTHER_LABEL = 'other'
/** Key and label of the one series of an ungrouped chart. */
export const ALL_KEY = 'all'

/**
 * Turns keys of a dimension into what a legend shows. Ids 0 and the empty upstream model stand
 * for "none" (no key, no channel answered); ids of deleted channels or keys are kept as ids.
 */
export async function labeler(groupBy: StatsGroupBy, names: NameSource): Promise<(key: string) => string> {
  switch (groupBy) {
    case 'none':
      return () => ALL_KEY
    case 'group':
      return key => key
    case 'model':
      return key => (key === '' ? 'no model' : key)
    case 'channel': {
      const channels = await names.channelNames()
      return key => (key === '0' ? 'no channel' : (channels.get(Number(key)) ?? `channel ${key} (deleted)`))
    }
    case 'apiKey': {
      const keys = await names.apiKeyNames()
      return key => (key === '0' ? 'no key' : (keys.get(Number(key)) ?? `key ${key} (deleted)`))
    }
  }
}
