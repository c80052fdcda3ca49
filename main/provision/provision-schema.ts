import { z } from 'zod'
import { ApiKeyCreateSchema, ClientKeySchema } from '@shared/dto/api-key'
import { ChannelCreateSchema } from '@shared/dto/channel'
import { NameSchema } from '@shared/dto/common'
import { GroupCreateSchema, GroupMemberSchema } from '@shared/dto/group'
import { SettingsUpdateSchema } from '@shared/dto/settings'

/** A field with its default removed: `T.default(x)` and `T.default(x).optional()` both become `T.optional()`. */
type WithoutDefault<F> =
  F extends z.ZodDefault<infer I extends z.core.SomeType>
    ? z.ZodOptional<I>
    : F extends z.ZodOptional<z.ZodDefault<infer I extends z.core.SomeType>>
      ? z.ZodOptional<I>
      : F

type ShapeWithoutDefaults<S extends z.core.$ZodShape> = { [K in keyof S]: WithoutDefault<S[K]> }

/**
 * The same field rules without their defaults. A provisioning entry only overwrites the fields it
 * names on an existing row, so parsing must not invent values for the fields it leaves out; the
 * create schemas fill the defaults in when the row is new.
 */
function withoutDefaults<S extends z.core.$ZodShape>(shape: S): ShapeWithoutDefaults<S> {
  const out: Record<string, z.core.$ZodType> = {}
  for (const [key, field] of Object.entries(shape)) {
    const inner = field instanceof z.ZodOptional ? field.unwrap() : field
    out[key] = inner instanceof z.ZodDefault ? z.optional(inner.unwrap()) : field
  }
  return out as ShapeWithoutDefaults<S>
}

/** A channel entry: every rule of ChannelCreateSchema; name, type and baseUrls required. */
export const ProvisionChannelSchema = ChannelCreateSchema.extend(withoutDefaults(ChannelCreateSchema.shape))
export type ProvisionChannel = z.infer<typeof ProvisionChannelSchema>

/** A group member naming its channel by name; the member list is replaced as a whole, so defaults stay. */
export const ProvisionMemberSchema = GroupMemberSchema.omit({ channelId: true }).extend({ channel: NameSchema })
export type ProvisionMember = z.infer<typeof ProvisionMemberSchema>

const groupBase = GroupCreateSchema.omit({ members: true })

/** A group entry; members reference channels of this file or of the database by name. */
export const ProvisionGroupSchema = groupBase.extend({
  ...withoutDefaults(groupBase.shape),
  // Same cap as GroupCreateSchema's member list (its element type differs, so it cannot be reused).
  members: z.array(ProvisionMemberSchema).max(500).optional()
})
export type ProvisionGroup = z.infer<typeof ProvisionGroupSchema>

const apiKeyBase = ApiKeyCreateSchema.omit({ key: true, allowedGroups: true })

/** A client key entry; `key` is required (it is the identity the client sends), `groups` limits it. */
export const ProvisionApiKeySchema = apiKeyBase.extend({
  ...withoutDefaults(apiKeyBase.shape),
  key: ClientKeySchema,
  groups: ApiKeyCreateSchema.shape.allowedGroups.unwrap().optional()
})
export type ProvisionApiKey = z.infer<typeof ProvisionApiKeySchema>

/** Any subset of the runtime settings; unnamed settings are left as stored. */
export const ProvisionSettingsSchema = SettingsUpdateSchema
export type ProvisionSettings = z.infer<typeof ProvisionSettingsSchema>

/** Sections of a provisioning file, in the order they are applied. */
export const PROVISION_SECTIONS = ['channels', 'groups', 'apiKeys', 'settings'] as const

/** A whole provisioning file; every section is optional and unknown keys are errors. */
export const ProvisionFileSchema = z
  .object({
    channels: z.array(ProvisionChannelSchema).optional(),
    groups: z.array(ProvisionGroupSchema).optional(),
    apiKeys: z.array(ProvisionApiKeySchema).optional(),
    settings: ProvisionSettingsSchema.optional()
  })
  .strict()
export type ProvisionFile = z.infer<typeof ProvisionFileSchema>
