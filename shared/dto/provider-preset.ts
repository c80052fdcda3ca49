import { z } from 'zod'
import { CHANNEL_TYPES } from '../constants/protocol'
import { findPreset, PROVIDER_PRESETS } from '../constants/provider-presets'
import { BALANCE_PROVIDERS } from './balance'
import { AzureOptionsSchema, ChannelCreateSchema } from './channel'

/** A provider preset as `GET /api/v1/provider-presets` lists it (shared/constants/provider-presets.ts). */
export const ProviderPresetSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(CHANNEL_TYPES),
  baseUrls: z.array(z.string()),
  baseUrlHint: z.string(),
  keyRequired: z.boolean(),
  modelListUrl: z.string().nullable(),
  balance: z.enum(BALANCE_PROVIDERS).nullable(),
  suggestedModels: z.array(z.string()),
  docsUrl: z.string(),
  azure: AzureOptionsSchema.optional()
})
export type ProviderPresetDto = z.infer<typeof ProviderPresetSchema>

const PresetIdSchema = z
  .string()
  .refine(id => findPreset(id) !== undefined, `must be one of ${PROVIDER_PRESETS.map(p => p.id).join(', ')}`)

/**
 * Body of `POST /api/v1/channels`: a channel, or a `preset` that fills what is left out (name:
 * the preset id, made unique; type; base URLs; suggested models when none are given; Azure options).
 */
export const ChannelCreateInputSchema = ChannelCreateSchema.extend({
  preset: PresetIdSchema.optional(),
  name: ChannelCreateSchema.shape.name.optional(),
  type: ChannelCreateSchema.shape.type.optional(),
  baseUrls: ChannelCreateSchema.shape.baseUrls.optional()
}).superRefine((body, ctx) => {
  if (body.preset !== undefined) return
  for (const field of ['name', 'type', 'baseUrls'] as const) {
    if (body[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is required unless a preset is given' })
  }
})
export type ChannelCreateInput = z.infer<typeof ChannelCreateInputSchema>
