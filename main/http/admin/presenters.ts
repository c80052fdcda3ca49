import type { ApiKeyDto } from '@shared/dto/api-key'
import type { ChannelDto } from '@shared/dto/channel'
import type { GroupDto } from '@shared/dto/group'
import { keyFingerprint, maskKey } from '../../security/client-key'
import type { HealthRegistry } from '../../relay/routing/health'
import type { ApiKeyRecord, ChannelRecord, GroupRecord } from '../../store/records'

/** Header names whose values are credentials and are masked like keys. */
export const SENSITIVE_HEADER = /authorization|api[-_]?key|token|secret|cookie|password/i

/** A channel for the API: keys as fingerprint + mask, credential headers and the OAuth client secret masked. */
export function presentChannel(c: ChannelRecord, health: HealthRegistry): ChannelDto {
  const headers = Object.fromEntries(
    Object.entries(c.headers).map(([name, value]) => [name, SENSITIVE_HEADER.test(name) ? maskKey(value) : value])
  )
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    baseUrls: c.baseUrls,
    keys: c.keys.map(key => {
      const fingerprint = keyFingerprint(key)
      return { fingerprint, masked: maskKey(key), health: health.keyView(c.id, fingerprint) }
    }),
    models: c.models,
    enabled: c.enabled,
    priority: c.priority,
    weight: c.weight,
    headers,
    proxy: c.proxy === null ? null : maskProxy(c.proxy),
    timeouts: c.timeouts,
    modelMap: c.modelMap,
    autoSync: c.autoSync,
    errorRules: c.errorRules,
    azure: c.azure,
    antigravity: c.antigravity === null ? null : { ...c.antigravity, clientSecret: maskKey(c.antigravity.clientSecret) },
    health: health.channelView(c.id),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt
  }
}

/** A group with its members' channel names. */
export function presentGroup(g: GroupRecord, channelNames: ReadonlyMap<number, string>): GroupDto {
  return {
    id: g.id,
    name: g.name,
    mode: g.mode,
    enabled: g.enabled,
    fallback: g.fallback,
    firstTokenTimeoutMs: g.firstTokenTimeoutMs,
    totalTimeoutMs: g.totalTimeoutMs,
    maxAttempts: g.maxAttempts,
    modelPattern: g.modelPattern,
    errorRules: g.errorRules,
    members: g.members.map(m => ({ ...m, channelName: channelNames.get(m.channelId) ?? `#${m.channelId}` })),
    createdAt: g.createdAt,
    updatedAt: g.updatedAt
  }
}

/** A client key: never the key or its hash. */
export function presentApiKey(k: ApiKeyRecord): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    prefix: k.keyPrefix,
    allowedGroups: k.allowedGroups,
    limits: k.limits,
    expiresAt: k.expiresAt,
    enabled: k.enabled,
    createdAt: k.createdAt,
    updatedAt: k.updatedAt
  }
}

/** Hides a proxy password (`http://user:****@host`). */
export function maskProxy(proxy: string): string {
  const url = new URL(proxy)
  if (url.password) url.password = '****'
  return url.toString()
}
