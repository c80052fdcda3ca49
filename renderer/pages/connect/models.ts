import type { ApiKeyDto } from '@shared/dto/api-key'
import type { ChannelDto } from '@shared/dto/channel'
import type { GroupDto } from '@shared/dto/group'

/** Model names a client key may send, as the relay resolves them. */
export interface KeyModels {
  groups: string[]
  /** Models enabled channels list that no group is named after (each is a group of its own). */
  channelModels: string[]
}

/**
 * The models a key may use, mirroring the relay's route table: explicit groups that are enabled
 * and have members, plus every model an enabled channel lists; a key with `allowedGroups` sees
 * only those names. `/v1/models` answers the same but needs the client key, which the admin
 * cannot read back.
 */
export function modelsForKey(key: ApiKeyDto | null, groups: readonly GroupDto[], channels: readonly ChannelDto[]): KeyModels {
  const allowed = key?.allowedGroups ? new Set(key.allowedGroups) : null
  const usable = (name: string): boolean => allowed === null || allowed.has(name)
  const explicit = new Set(groups.map(group => group.name))
  const groupNames = groups.filter(group => group.enabled && group.members.length > 0 && usable(group.name)).map(group => group.name)
  const channelModels = new Set(channels.filter(channel => channel.enabled).flatMap(channel => channel.models))
  return {
    groups: groupNames.sort(),
    channelModels: [...channelModels].filter(name => !explicit.has(name) && usable(name)).sort()
  }
}
