import type { ApiKeyLimits } from '@shared/dto/api-key'
import type { Settings } from '@shared/dto/settings'
import type { BalanceMode } from '@shared/constants/protocol'
import { hashClientKey } from '../../security/client-key'
import type { ApiKeyRecord, ChannelRecord, GroupRecord } from '../../store/records'
import { compileErrorRules, type CompiledErrorRule } from './error-rules'

/** One way to serve a model: a channel and the model name it expects. */
export interface RouteMember {
  channel: ChannelRecord
  upstreamModel: string
  priority: number
  weight: number
  /** The channel's error rules, then its group's: first match wins. */
  errorRules: readonly CompiledErrorRule[]
}

/** A model clients can ask for: an explicit group, or the implicit one of channels listing it. */
export interface RouteGroup {
  name: string
  mode: BalanceMode
  enabled: boolean
  implicit: boolean
  maxAttempts: number | null
  totalTimeoutMs: number | null
  members: RouteMember[]
  /**
   * The groups tried after this one's members, in order: its fallback groups depth-first, each
   * followed by its own fallbacks; none twice, never this group (a cycle only cuts the chain short).
   */
  fallbacks: RouteGroup[]
}

/** A client key as the relay checks it. */
export interface RouteApiKey {
  id: number
  name: string
  allowedGroups: ReadonlySet<string> | null
  /** Checked per request by KeyLimits; a new table carries edited limits to the next request. */
  limits: ApiKeyLimits
  expiresAt: number | null
  enabled: boolean
}

/** Everything the hot path needs, in memory; replaced whole, never mutated. */
export interface RouteTable {
  readonly settings: Settings
  readonly groups: ReadonlyMap<string, RouteGroup>
  readonly apiKeysByHash: ReadonlyMap<string, RouteApiKey>
  /** The client key a presented secret belongs to, by its SHA-256; remembered per table. */
  findApiKey(presented: string): RouteApiKey | undefined
}

/** Input of buildRouteTable: the current database contents. */
export interface RouteTableSource {
  channels: readonly ChannelRecord[]
  groups: readonly GroupRecord[]
  apiKeys: readonly ApiKeyRecord[]
  settings: Settings
}

/**
 * Builds the route table. Explicit groups win over implicit ones of the same name; implicit
 * groups list every enabled channel that names the model, lowest channel priority first.
 */
export function buildRouteTable(source: RouteTableSource): RouteTable {
  const channelsById = new Map(source.channels.map(c => [c.id, c]))
  const channelRules = new Map(source.channels.map(c => [c.id, compileErrorRules(c.errorRules)]))
  const groups = new Map<string, RouteGroup>()

  for (const channel of source.channels) {
    if (!channel.enabled) continue
    for (const model of channel.models) {
      const group = groups.get(model) ?? newImplicitGroup(model)
      group.members.push({
        channel,
        upstreamModel: channel.modelMap[model] ?? model,
        priority: channel.priority,
        weight: channel.weight,
        errorRules: channelRules.get(channel.id) ?? []
      })
      groups.set(model, group)
    }
  }
  for (const group of groups.values()) {
    group.members.sort((a, b) => a.priority - b.priority || a.channel.id - b.channel.id)
  }

  for (const group of source.groups) {
    const members: RouteMember[] = []
    const groupRules = compileErrorRules(group.errorRules)
    for (const member of group.members) {
      const channel = channelsById.get(member.channelId)
      if (channel?.enabled) {
        const errorRules = [...(channelRules.get(channel.id) ?? []), ...groupRules]
        members.push({ channel, upstreamModel: member.model, priority: member.priority, weight: member.weight, errorRules })
      }
    }
    groups.set(group.name, {
      name: group.name,
      mode: group.mode,
      enabled: group.enabled,
      implicit: false,
      maxAttempts: group.maxAttempts,
      totalTimeoutMs: group.totalTimeoutMs,
      members,
      fallbacks: []
    })
  }
  const records = new Map(source.groups.map(group => [group.name, group]))
  for (const group of source.groups) {
    const built = groups.get(group.name)
    if (built) built.fallbacks = fallbackChain(group.name, records, groups)
  }

  const apiKeysByHash = new Map<string, RouteApiKey>()
  for (const key of source.apiKeys) {
    apiKeysByHash.set(key.keyHash, {
      id: key.id,
      name: key.name,
      allowedGroups: key.allowedGroups === null ? null : new Set(key.allowedGroups),
      limits: key.limits,
      expiresAt: key.expiresAt,
      enabled: key.enabled
    })
  }
  return { settings: source.settings, groups, apiKeysByHash, findApiKey: apiKeyFinder(apiKeysByHash) }
}

/** Secrets remembered per table; beyond it the memo starts over (a relay sees a few keys, not thousands). */
const KNOWN_SECRETS = 1024

/**
 * Hashing every presented key costs more than the rest of authentication, so the secrets that
 * matched a key are remembered — in the table, so a key revoked or edited (a new table) is
 * looked up afresh. Wrong secrets are not remembered: guesses can neither fill the memo nor get
 * an answer faster than the hash.
 */
function apiKeyFinder(byHash: ReadonlyMap<string, RouteApiKey>): (presented: string) => RouteApiKey | undefined {
  const known = new Map<string, RouteApiKey>()
  return presented => {
    const remembered = known.get(presented)
    if (remembered) return remembered
    const key = byHash.get(hashClientKey(presented))
    if (key) {
      if (known.size >= KNOWN_SECRETS) known.clear()
      known.set(presented, key)
    }
    return key
  }
}

/**
 * The fallback groups of `name` in the order they are tried: each fallback group, then its own
 * fallbacks, depth-first. Saving refuses cycles; the visited set still keeps a chain finite if one
 * reached the database some other way. Names that are no group (one deleted since) are skipped.
 */
function fallbackChain(name: string, records: ReadonlyMap<string, GroupRecord>, groups: ReadonlyMap<string, RouteGroup>): RouteGroup[] {
  const visited = new Set([name])
  const chain: RouteGroup[] = []
  const visit = (from: string): void => {
    for (const next of records.get(from)?.fallback ?? []) {
      const group = groups.get(next)
      if (visited.has(next) || !group) continue
      visited.add(next)
      chain.push(group)
      visit(next)
    }
  }
  visit(name)
  return chain
}

function newImplicitGroup(name: string): RouteGroup {
  return { name, mode: 'failover', enabled: true, implicit: true, maxAttempts: null, totalTimeoutMs: null, members: [], fallbacks: [] }
}

/** Model names a key may use, as `/v1/models` lists them. */
export function visibleModels(table: RouteTable, key: RouteApiKey): string[] {
  const names: string[] = []
  for (const group of table.groups.values()) {
    if (group.enabled && group.members.length > 0 && (key.allowedGroups === null || key.allowedGroups.has(group.name))) {
      names.push(group.name)
    }
  }
  return names.sort()
}
