import { z } from 'zod'
import { CHANNEL_TYPES } from '../constants/protocol'
import { EpochMsSchema, ModelNameSchema, NameSchema } from './common'
import { ErrorRuleSchema, ErrorRulesSchema } from './error-rule'

const TimeoutMsSchema = z.number().int().min(100).max(3_600_000)

/** Per-channel deadlines; unset fields fall back to the relay settings. */
export const ChannelTimeoutsSchema = z
  .object({
    connectMs: TimeoutMsSchema.optional(),
    firstByteMs: TimeoutMsSchema.optional(),
    idleMs: TimeoutMsSchema.optional()
  })
  .strict()
export type ChannelTimeouts = z.infer<typeof ChannelTimeoutsSchema>

/**
 * Azure OpenAI: the base URL is the resource endpoint, models name deployments (through
 * `modelMap`), requests go to `/openai/deployments/<deployment>/chat/completions?api-version=`
 * with the key in `api-key`. Only for `openai-chat` channels.
 */
export const AzureOptionsSchema = z
  .object({ apiVersion: z.string().regex(/^[A-Za-z0-9.-]{1,40}$/, 'must be an api-version such as 2024-10-21') })
  .strict()
export type AzureOptions = z.infer<typeof AzureOptionsSchema>

/** The URL `text` stands for, or null when it is none. */
function parseUrl(text: string): URL | null {
  try {
    return new URL(text)
  } catch {
    return null
  }
}

const BaseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2000)
  // Zod runs this check even when the URL check above failed: a text that is no URL must not throw here.
  .refine(url => {
    const parsed = parseUrl(url)
    return parsed === null || (!parsed.search && !parsed.hash)
  }, 'must not have a query or fragment')

/** Google's OAuth token endpoint and the Cloud Code API: an Antigravity channel's defaults. */
export const ANTIGRAVITY_TOKEN_URL = 'https://oauth2.googleapis.com/token'
export const ANTIGRAVITY_ENDPOINT = 'https://cloudcode-pa.googleapis.com'

/**
 * Antigravity (Google's Cloud Code API, README "Antigravity (opt-in)"): the channel's keys are
 * OAuth refresh tokens, exchanged at `tokenUrl` with this client for access tokens; requests go to
 * `endpoint` wrapped in the Cloud Code envelope. Only for `gemini` channels, and only when the
 * operator opted in. The client secret is sealed at rest and masked in answers.
 */
export const AntigravityOptionsSchema = z
  .object({
    clientId: z.string().trim().min(1, 'must not be empty').max(512),
    clientSecret: z.string().trim().min(1, 'must not be empty').max(512),
    tokenUrl: BaseUrlSchema.default(ANTIGRAVITY_TOKEN_URL),
    endpoint: BaseUrlSchema.default(ANTIGRAVITY_ENDPOINT),
    project: z.string().trim().min(1).max(200).optional()
  })
  .strict()
export type AntigravityOptions = z.infer<typeof AntigravityOptionsSchema>

const ProviderKeySchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(4096)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')

/** Headers the relay owns: framing and routing would break if a channel overrode them. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer'])

/** Extra headers sent upstream; names are validated so they cannot break the request. */
const HeadersSchema = z.record(
  z
    .string()
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a valid header name')
    .refine(name => !RESERVED_HEADERS.has(name.toLowerCase()), 'is set by the relay and cannot be overridden'),
  z.string().max(8192).regex(/^[^\r\n]*$/, 'must not contain line breaks')
)

/** A key that is already stored, referenced by its fingerprint (keeps it on update). */
export const KeepKeySchema = z.object({ fingerprint: z.string().regex(/^[0-9a-f]{12}$/) }).strict()

const channelFields = {
  name: NameSchema,
  type: z.enum(CHANNEL_TYPES),
  baseUrls: z.array(BaseUrlSchema).min(1, 'needs at least one base URL').max(16),
  models: z.array(ModelNameSchema).max(5000),
  enabled: z.boolean(),
  priority: z.number().int().min(0).max(1000),
  weight: z.number().int().min(1).max(1000),
  headers: HeadersSchema,
  proxy: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// proxy URL' }).nullable(),
  timeouts: ChannelTimeoutsSchema,
  modelMap: z.record(ModelNameSchema, ModelNameSchema),
  autoSync: z.boolean(),
  azure: AzureOptionsSchema.nullable(),
  antigravity: AntigravityOptionsSchema.nullable(),
  /** Checked before the group's rules and the default failure table (README "Error rules"). */
  errorRules: ErrorRulesSchema
}

/** Body of `POST /api/v1/channels`. */
export const ChannelCreateSchema = z
  .object({
    ...channelFields,
    keys: z.array(ProviderKeySchema).max(256).default([]),
    models: channelFields.models.default([]),
    enabled: channelFields.enabled.default(true),
    priority: channelFields.priority.default(0),
    weight: channelFields.weight.default(1),
    headers: channelFields.headers.default({}),
    proxy: channelFields.proxy.default(null),
    timeouts: channelFields.timeouts.default({}),
    modelMap: channelFields.modelMap.default({}),
    autoSync: channelFields.autoSync.default(false),
    azure: channelFields.azure.default(null),
    antigravity: channelFields.antigravity.default(null),
    errorRules: channelFields.errorRules.default([])
  })
  .strict()
export type ChannelCreate = z.infer<typeof ChannelCreateSchema>

/**
 * Body of `PATCH /api/v1/channels/:id`. `keys` replaces the key list: a string adds a new key,
 * `{ fingerprint }` keeps a stored one, so the UI never needs to see a key to edit the list.
 */
export const ChannelUpdateSchema = z
  .object({
    ...channelFields,
    keys: z.array(z.union([ProviderKeySchema, KeepKeySchema])).max(256)
  })
  .partial()
  .strict()
export type ChannelUpdate = z.infer<typeof ChannelUpdateSchema>

/** Circuit state of a channel or key: cooling after failures, half-open while one request probes it. */
export const HealthViewSchema = z.object({
  status: z.enum(['healthy', 'cooling', 'half-open', 'disabled']),
  reason: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  cooldownUntil: EpochMsSchema.nullable()
})
export type HealthViewDto = z.infer<typeof HealthViewSchema>

/** A provider key as the API shows it: never the key itself. */
export const MaskedKeySchema = z.object({ fingerprint: z.string(), masked: z.string(), health: HealthViewSchema })
export type MaskedKey = z.infer<typeof MaskedKeySchema>

/** A channel as the admin API returns it. */
export const ChannelDtoSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(CHANNEL_TYPES),
  baseUrls: z.array(z.string()),
  keys: z.array(MaskedKeySchema),
  models: z.array(z.string()),
  enabled: z.boolean(),
  priority: z.number().int(),
  weight: z.number().int(),
  headers: z.record(z.string(), z.string()),
  proxy: z.string().nullable(),
  timeouts: ChannelTimeoutsSchema,
  modelMap: z.record(z.string(), z.string()),
  autoSync: z.boolean(),
  azure: AzureOptionsSchema.nullable(),
  /** `clientSecret` masked like a key; sending the mask back keeps the stored secret. */
  antigravity: AntigravityOptionsSchema.nullable(),
  errorRules: z.array(ErrorRuleSchema),
  /** This instance's view: health is kept in memory per process. */
  health: HealthViewSchema,
  createdAt: EpochMsSchema,
  updatedAt: EpochMsSchema
})
export type ChannelDto = z.infer<typeof ChannelDtoSchema>
