import { z } from 'zod'
import { EpochMsSchema, ModelNameSchema } from './common'

/** Where a price comes from; a channel price beats a user price beats models.dev. */
export const PriceSourceSchema = z.enum(['models.dev', 'user', 'channel'])
export type PriceSource = z.infer<typeof PriceSourceSchema>

/** USD per million tokens: finite and never negative. */
const UsdPerMillionSchema = z.number().nonnegative('must not be negative')

/** Prices that replace the base ones for a whole request whose input exceeds a size (long-context pricing). */
export const PriceTierSchema = z
  .object({
    /** The tier applies when the request's input tokens (cache included) exceed this. */
    aboveInputTokens: z.number().int().positive(),
    input: UsdPerMillionSchema,
    output: UsdPerMillionSchema,
    /** Null: cache reads cost the tier's input price. */
    cacheRead: UsdPerMillionSchema.nullable().default(null),
    /** Null: cache writes cost the tier's input price. */
    cacheWrite: UsdPerMillionSchema.nullable().default(null)
  })
  .strict()
export type PriceTier = z.infer<typeof PriceTierSchema>

/** A price as the admin API shows it (USD per million tokens). */
export const PriceDtoSchema = z.object({
  id: z.number().int(),
  model: z.string(),
  source: PriceSourceSchema,
  /** Set for channel prices only. */
  channelId: z.number().int().nullable(),
  /** The models.dev provider the price was listed under (null for user and channel prices). */
  provider: z.string().nullable(),
  input: z.number(),
  output: z.number(),
  /** Null: cache reads cost the input price. */
  cacheRead: z.number().nullable(),
  /** Null: cache writes cost the input price. */
  cacheWrite: z.number().nullable(),
  tiers: z.array(PriceTierSchema),
  updatedAt: EpochMsSchema
})
export type PriceDto = z.infer<typeof PriceDtoSchema>

const tiersSchema = z
  .array(PriceTierSchema)
  .max(8)
  .refine(tiers => new Set(tiers.map(t => t.aboveInputTokens)).size === tiers.length, 'two tiers must not start at the same size')

/** Body of `POST /api/v1/prices`: a user price, or a channel price when `channelId` is given. */
export const PriceCreateSchema = z
  .object({
    model: ModelNameSchema,
    /** Defaults to `channel` when a channel is given, else `user`; models.dev prices come only from sync. */
    source: z.enum(['user', 'channel']).optional(),
    channelId: z.number().int().positive().nullable().optional(),
    input: UsdPerMillionSchema,
    output: UsdPerMillionSchema,
    cacheRead: UsdPerMillionSchema.nullable().default(null),
    cacheWrite: UsdPerMillionSchema.nullable().default(null),
    tiers: tiersSchema.default([])
  })
  .strict()
  .superRefine((value, ctx) => {
    const hasChannel = value.channelId !== undefined && value.channelId !== null
    if (value.source === 'channel' && !hasChannel) {
      ctx.addIssue({ code: 'custom', path: ['channelId'], message: 'a channel price needs the channel id' })
    }
    if (value.source === 'user' && hasChannel) {
      ctx.addIssue({ code: 'custom', path: ['channelId'], message: 'a user price applies to every channel; use source "channel" for one channel' })
    }
  })
export type PriceCreate = z.infer<typeof PriceCreateSchema>

/** Body of `PATCH /api/v1/prices/:id`: only the given fields change (source and channel stay). */
export const PriceUpdateSchema = z
  .object({
    model: ModelNameSchema,
    input: UsdPerMillionSchema,
    output: UsdPerMillionSchema,
    cacheRead: UsdPerMillionSchema.nullable(),
    cacheWrite: UsdPerMillionSchema.nullable(),
    tiers: tiersSchema
  })
  .partial()
  .strict()
export type PriceUpdate = z.infer<typeof PriceUpdateSchema>

/** Query of `GET /api/v1/prices`. */
export const PriceListQuerySchema = z.object({
  /** Part of the model name, any case. */
  search: z.string().max(200).optional(),
  source: PriceSourceSchema.optional(),
  channelId: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50)
})
export type PriceListQuery = z.infer<typeof PriceListQuerySchema>

/** One page of prices. */
export const PricePageSchema = z.object({
  items: z.array(PriceDtoSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int()
})
export type PricePage = z.infer<typeof PricePageSchema>

/** What `POST /api/v1/prices/sync` did to the models.dev prices. */
export const PriceSyncResultSchema = z.object({
  /** models.dev prices now stored. */
  prices: z.number().int(),
  added: z.number().int(),
  removed: z.number().int(),
  changed: z.number().int(),
  /** Where they came from. */
  url: z.string(),
  syncedAt: EpochMsSchema
})
export type PriceSyncResult = z.infer<typeof PriceSyncResultSchema>

/** Query of `GET /api/v1/prices/resolve`. */
export const PriceResolveQuerySchema = z.object({
  model: ModelNameSchema,
  channelId: z.coerce.number().int().positive().optional()
})
export type PriceResolveQuery = z.infer<typeof PriceResolveQuerySchema>

/** How a models.dev price was found. */
export const PriceMatchSchema = z.enum(['exact', 'without-date-suffix'])
export type PriceMatch = z.infer<typeof PriceMatchSchema>

/** Which price applies to a model (on a channel), and why. */
export const PriceResolutionSchema = z.object({
  model: z.string(),
  channelId: z.number().int().nullable(),
  /** The price that applies; null when none is known (requests then log no cost). */
  price: PriceDtoSchema.nullable(),
  /** How a models.dev price was matched; null for user and channel prices. */
  match: PriceMatchSchema.nullable(),
  /** The reason in words. */
  reason: z.string()
})
export type PriceResolution = z.infer<typeof PriceResolutionSchema>
