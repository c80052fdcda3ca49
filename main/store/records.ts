import type { ApiKeyLimits } from '@shared/dto/api-key'
import type { AntigravityOptions, AzureOptions, ChannelTimeouts } from '@shared/dto/channel'
import type { ErrorRule } from '@shared/dto/error-rule'
import type { PriceTier } from '@shared/dto/price'
import type { BalanceMode, ChannelType } from '@shared/constants/protocol'

/** A channel as the core uses it: provider keys in clear (they are sealed only at rest). */
export interface ChannelRecord {
  id: number
  name: string
  type: ChannelType
  baseUrls: string[]
  keys: string[]
  models: string[]
  enabled: boolean
  priority: number
  weight: number
  headers: Record<string, string>
  proxy: string | null
  timeouts: ChannelTimeouts
  modelMap: Record<string, string>
  autoSync: boolean
  /** Azure OpenAI addressing, or null for the channel type's own. */
  azure: AzureOptions | null
  /** Cloud Code addressing with OAuth refresh tokens as keys, or null for the type's own. */
  antigravity: AntigravityOptions | null
  errorRules: ErrorRule[]
  createdAt: number
  updatedAt: number
}

/** The writable part of a channel. */
export type ChannelFields = Omit<ChannelRecord, 'id' | 'createdAt' | 'updatedAt'>

/** One (channel, upstream model) member of a group. */
export interface GroupMemberRecord {
  channelId: number
  model: string
  priority: number
  weight: number
}

/** A group with its members in their saved order. */
export interface GroupRecord {
  id: number
  name: string
  mode: BalanceMode
  enabled: boolean
  fallback: string[]
  firstTokenTimeoutMs: number | null
  totalTimeoutMs: number | null
  maxAttempts: number | null
  /** Regular expression model sync matches new models against (null: none). */
  modelPattern: string | null
  members: GroupMemberRecord[]
  errorRules: ErrorRule[]
  createdAt: number
  updatedAt: number
}

/** The writable part of a group. */
export type GroupFields = Omit<GroupRecord, 'id' | 'createdAt' | 'updatedAt'>

/** A client key; only its hash and a display prefix are stored. */
export interface ApiKeyRecord {
  id: number
  name: string
  keyHash: string
  keyPrefix: string
  allowedGroups: string[] | null
  limits: ApiKeyLimits
  expiresAt: number | null
  enabled: boolean
  createdAt: number
  updatedAt: number
}

/** The writable part of a client key. */
export type ApiKeyFields = Omit<ApiKeyRecord, 'id' | 'createdAt' | 'updatedAt'>

/** An admin account. */
export interface UserRecord {
  id: number
  username: string
  passwordHash: string
  sessionEpoch: number
  createdAt: number
  updatedAt: number
}

/** Where a price comes from; a channel price beats a user price beats models.dev. */
export type PriceSource = 'models.dev' | 'user' | 'channel'

/** USD per million tokens of each kind. */
export interface PriceRecord {
  id: number
  model: string
  source: PriceSource
  channelId: number | null
  /** The models.dev provider it was listed under; null for user and channel prices. */
  provider: string | null
  input: number
  output: number
  /** Null: cache reads cost the input price. */
  cacheRead: number | null
  /** Null: cache writes cost the input price. */
  cacheWrite: number | null
  /** Long-context prices (stored in `extra`). */
  tiers: PriceTier[]
  updatedAt: number
}

/** The writable part of a price. */
export type PriceFields = Omit<PriceRecord, 'id' | 'updatedAt'>
