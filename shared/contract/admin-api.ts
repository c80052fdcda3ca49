/**
 * The admin API, described once. Main registers one handler per entry (a missing or mistyped
 * handler is a compile error), validates inputs with these schemas and builds the OpenAPI
 * document from them; the renderer's client calls the same names.
 */
import { z } from 'zod'
import {
  ApiKeyCreateSchema,
  ApiKeyCreatedSchema,
  ApiKeyDtoSchema,
  ApiKeyUpdateSchema
} from '../dto/api-key'
import { LoginInputSchema, LoginResultSchema, MeSchema, PasswordChangeSchema } from '../dto/auth'
import { ChannelDtoSchema, ChannelUpdateSchema } from '../dto/channel'
import { ChannelTestRequestSchema, ChannelTestResultSchema } from '../dto/channel-test'
import { DeletedSchema, IdParamsSchema } from '../dto/common'
import { GroupCreateSchema, GroupDtoSchema, GroupUpdateSchema } from '../dto/group'
import { ChannelBalanceSchema } from '../dto/balance'
import { ModelSyncRequestSchema, ModelSyncResultSchema } from '../dto/model-sync'
import { ChannelCreateInputSchema, ProviderPresetSchema } from '../dto/provider-preset'
import {
  PriceCreateSchema,
  PriceDtoSchema,
  PriceListQuerySchema,
  PricePageSchema,
  PriceResolutionSchema,
  PriceResolveQuerySchema,
  PriceSyncResultSchema,
  PriceUpdateSchema
} from '../dto/price'
import { SettingsSchema, SettingsUpdateSchema } from '../dto/settings'
import { LiveStatsSchema } from '../dto/stats'
import {
  StatsSeriesQuerySchema,
  StatsSeriesSchema,
  StatsSummaryQuerySchema,
  StatsSummarySchema,
  StatsTopQuerySchema,
  StatsTopSchema
} from '../dto/analytics'
import { RequestLogPageSchema, RequestLogQuerySchema } from '../dto/log-query'
import { RequestLogSchema } from '../dto/request-log'

/** Prefix of every admin route. */
export const ADMIN_API_PREFIX = '/api/v1'

/** One admin endpoint: route, schemas and whether it needs a token. */
export interface EndpointDef {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  readonly path: string
  readonly summary: string
  readonly public?: true
  readonly status?: number
  readonly params?: z.ZodType
  /** Query string fields; values arrive as strings, so number fields use `z.coerce`. */
  readonly query?: z.ZodType
  readonly body?: z.ZodType
  readonly res: z.ZodType
}

/** Every admin endpoint by `resource.verb` name. */
export const ADMIN_API = {
  'auth.login': {
    method: 'POST',
    path: '/auth/login',
    summary: 'Exchange the admin password for an expiring bearer token',
    public: true,
    body: LoginInputSchema,
    res: LoginResultSchema
  },
  'auth.me': { method: 'GET', path: '/auth/me', summary: 'The signed-in admin', res: MeSchema },
  'auth.logout': {
    method: 'POST',
    path: '/auth/logout',
    summary: 'Revoke every token of the signed-in admin',
    res: z.object({ revoked: z.literal(true) })
  },
  'auth.password': {
    method: 'POST',
    path: '/auth/password',
    summary: 'Change the admin password and revoke older tokens',
    body: PasswordChangeSchema,
    res: LoginResultSchema
  },
  'channels.list': {
    method: 'GET',
    path: '/channels',
    summary: 'List channels (keys masked)',
    res: z.array(ChannelDtoSchema)
  },
  'channels.get': {
    method: 'GET',
    path: '/channels/:id',
    summary: 'One channel',
    params: IdParamsSchema,
    res: ChannelDtoSchema
  },
  'channels.create': {
    method: 'POST',
    path: '/channels',
    summary: 'Create a channel; with `preset`, the fields left out come from that provider preset',
    status: 201,
    body: ChannelCreateInputSchema,
    res: ChannelDtoSchema
  },
  'channels.update': {
    method: 'PATCH',
    path: '/channels/:id',
    summary: 'Change a channel; keys are replaced by the given list',
    params: IdParamsSchema,
    body: ChannelUpdateSchema,
    res: ChannelDtoSchema
  },
  'channels.resetHealth': {
    method: 'POST',
    path: '/channels/:id/health/reset',
    summary: 'Forget the cooldowns of a channel and bring back its set-aside keys',
    params: IdParamsSchema,
    res: ChannelDtoSchema
  },
  'channels.delete': {
    method: 'DELETE',
    path: '/channels/:id',
    summary: 'Delete a channel and its group memberships',
    params: IdParamsSchema,
    res: DeletedSchema
  },
  'channels.syncModels': {
    method: 'POST',
    path: '/channels/:id/models/sync',
    summary: "List the provider's models; with apply, add the new ones to the channel and to matching groups",
    params: IdParamsSchema,
    body: ModelSyncRequestSchema,
    res: ModelSyncResultSchema
  },
  'channels.balance': {
    method: 'GET',
    path: '/channels/:id/balance',
    summary: "The provider account's balance, for providers that report one (cached for a minute)",
    params: IdParamsSchema,
    res: ChannelBalanceSchema
  },
  'providerPresets.list': {
    method: 'GET',
    path: '/provider-presets',
    summary: 'Known providers: channel type, base URLs, whether a key is needed, model listing, balance, suggested models',
    res: z.array(ProviderPresetSchema)
  },
  'channels.test': {
    method: 'POST',
    path: '/channels/:id/test',
    summary: "Send one tiny request to the channel (its first model unless named) and report the provider's answer; health and stats stay untouched",
    params: IdParamsSchema,
    body: ChannelTestRequestSchema,
    res: ChannelTestResultSchema
  },
  'groups.list': {
    method: 'GET',
    path: '/groups',
    summary: 'List groups with members',
    res: z.array(GroupDtoSchema)
  },
  'groups.get': {
    method: 'GET',
    path: '/groups/:id',
    summary: 'One group',
    params: IdParamsSchema,
    res: GroupDtoSchema
  },
  'groups.create': {
    method: 'POST',
    path: '/groups',
    summary: 'Create a group; its name is the model name clients send',
    status: 201,
    body: GroupCreateSchema,
    res: GroupDtoSchema
  },
  'groups.update': {
    method: 'PATCH',
    path: '/groups/:id',
    summary: 'Change a group; members are replaced by the given list',
    params: IdParamsSchema,
    body: GroupUpdateSchema,
    res: GroupDtoSchema
  },
  'groups.delete': {
    method: 'DELETE',
    path: '/groups/:id',
    summary: 'Delete a group',
    params: IdParamsSchema,
    res: DeletedSchema
  },
  'apiKeys.list': {
    method: 'GET',
    path: '/api-keys',
    summary: 'List client keys (prefix only)',
    res: z.array(ApiKeyDtoSchema)
  },
  'apiKeys.get': {
    method: 'GET',
    path: '/api-keys/:id',
    summary: 'One client key',
    params: IdParamsSchema,
    res: ApiKeyDtoSchema
  },
  'apiKeys.create': {
    method: 'POST',
    path: '/api-keys',
    summary: 'Create a client key; the answer is the only time the key is shown',
    status: 201,
    body: ApiKeyCreateSchema,
    res: ApiKeyCreatedSchema
  },
  'apiKeys.update': {
    method: 'PATCH',
    path: '/api-keys/:id',
    summary: 'Change a client key',
    params: IdParamsSchema,
    body: ApiKeyUpdateSchema,
    res: ApiKeyDtoSchema
  },
  'apiKeys.delete': {
    method: 'DELETE',
    path: '/api-keys/:id',
    summary: 'Revoke and delete a client key',
    params: IdParamsSchema,
    res: DeletedSchema
  },
  'prices.list': {
    method: 'GET',
    path: '/prices',
    summary: 'List prices (USD per million tokens): search by model, filter by source or channel, one page at a time',
    query: PriceListQuerySchema,
    res: PricePageSchema
  },
  'prices.resolve': {
    method: 'GET',
    path: '/prices/resolve',
    summary: 'Which price a model costs (on a channel) and why: channel price, user price or models.dev',
    query: PriceResolveQuerySchema,
    res: PriceResolutionSchema
  },
  'prices.get': {
    method: 'GET',
    path: '/prices/:id',
    summary: 'One price',
    params: IdParamsSchema,
    res: PriceDtoSchema
  },
  'prices.create': {
    method: 'POST',
    path: '/prices',
    summary: 'Add a user price, or a price for one channel (it beats models.dev)',
    status: 201,
    body: PriceCreateSchema,
    res: PriceDtoSchema
  },
  'prices.update': {
    method: 'PATCH',
    path: '/prices/:id',
    summary: 'Change a user or channel price (models.dev prices are read-only)',
    params: IdParamsSchema,
    body: PriceUpdateSchema,
    res: PriceDtoSchema
  },
  'prices.delete': {
    method: 'DELETE',
    path: '/prices/:id',
    summary: 'Delete a user or channel price (models.dev prices are read-only)',
    params: IdParamsSchema,
    res: DeletedSchema
  },
  'prices.sync': {
    method: 'POST',
    path: '/prices/sync',
    summary: 'Replace the models.dev prices with the live catalogue (user and channel prices stay)',
    res: PriceSyncResultSchema
  },
  'settings.get': {
    method: 'GET',
    path: '/settings',
    summary: 'Runtime settings',
    res: SettingsSchema
  },
  'settings.update': {
    method: 'PATCH',
    path: '/settings',
    summary: 'Change runtime settings',
    body: SettingsUpdateSchema,
    res: SettingsSchema
  },
  'stats.live': {
    method: 'GET',
    path: '/stats/live',
    summary: 'Live counters: in flight, today, per group, requests per second, dropped log rows',
    res: LiveStatsSchema
  },
  'stats.summary': {
    method: 'GET',
    path: '/stats/summary',
    summary: 'Usage totals of a window (today, 7d, 30d in the client\'s time zone, or from/to)',
    query: StatsSummaryQuerySchema,
    res: StatsSummarySchema
  },
  'stats.series': {
    method: 'GET',
    path: '/stats/series',
    summary: 'Usage per hour or local day, as one series or split by group, model, channel or client key (CSV: stats/series.csv)',
    query: StatsSeriesQuerySchema,
    res: StatsSeriesSchema
  },
  'stats.top': {
    method: 'GET',
    path: '/stats/top',
    summary: 'The groups, models, channels or client keys with the most requests, cost or tokens in a window',
    query: StatsTopQuerySchema,
    res: StatsTopSchema
  },
  'logs.list': {
    method: 'GET',
    path: '/logs',
    summary: 'Request log, newest first, filtered, one page at a time (keyset cursor; no bodies)',
    query: RequestLogQuerySchema,
    res: RequestLogPageSchema
  },
  'logs.get': {
    method: 'GET',
    path: '/logs/:id',
    summary: 'One logged request with its attempts and captured bodies',
    params: IdParamsSchema,
    res: RequestLogSchema
  }
} as const satisfies Record<string, EndpointDef>

/** The admin API map type. */
export type AdminApi = typeof ADMIN_API
/** Name of an admin endpoint. */
export type AdminEndpoint = keyof AdminApi

type InferOr<T, Fallback> = T extends z.ZodType ? z.output<T> : Fallback

/** Validated input a handler receives. */
export interface EndpointInput<K extends AdminEndpoint> {
  params: InferOr<AdminApi[K] extends { params: infer P } ? P : undefined, Record<string, never>>
  query: InferOr<AdminApi[K] extends { query: infer Q } ? Q : undefined, Record<string, never>>
  body: InferOr<AdminApi[K] extends { body: infer B } ? B : undefined, undefined>
}

/** Request body a caller sends (before defaults are applied). */
export type EndpointBody<K extends AdminEndpoint> = AdminApi[K] extends { body: infer B extends z.ZodType }
  ? z.input<B>
  : undefined

/** Query a caller sends (before defaults and coercion are applied). */
export type EndpointQuery<K extends AdminEndpoint> = AdminApi[K] extends { query: infer Q extends z.ZodType } ? z.input<Q> : undefined

/** What an endpoint answers. */
export type EndpointResult<K extends AdminEndpoint> = z.output<AdminApi[K]['res']>
