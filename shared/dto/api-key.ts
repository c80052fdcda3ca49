import { z } from 'zod'
import { EpochMsSchema, ModelNameSchema, NameSchema } from './common'

/** Limits of one client key, enforced by the relay before routing: rpm and tpm per instance, the monthly USD budget across instances. */
export const ApiKeyLimitsSchema = z
  .object({
    rpm: z.number().int().positive().optional(),
    tpm: z.number().int().positive().optional(),
    monthlyBudgetUsd: z.number().positive().optional()
  })
  .strict()
export type ApiKeyLimits = z.infer<typeof ApiKeyLimitsSchema>

/** A client key chosen by the operator (imports, provisioning); generated when absent. */
export const ClientKeySchema = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')

const apiKeyFields = {
  name: NameSchema,
  allowedGroups: z.array(ModelNameSchema).max(500).nullable(),
  limits: ApiKeyLimitsSchema,
  expiresAt: EpochMsSchema.nullable(),
  enabled: z.boolean()
}

/** Body of `POST /api/v1/api-keys`. `allowedGroups: null` allows every group. */
export const ApiKeyCreateSchema = z
  .object({
    ...apiKeyFields,
    key: ClientKeySchema.optional(),
    allowedGroups: apiKeyFields.allowedGroups.default(null),
    limits: apiKeyFields.limits.default({}),
    expiresAt: apiKeyFields.expiresAt.default(null),
    enabled: apiKeyFields.enabled.default(true)
  })
  .strict()
export type ApiKeyCreate = z.infer<typeof ApiKeyCreateSchema>

/** Body of `PATCH /api/v1/api-keys/:id`; the key itself cannot change. */
export const ApiKeyUpdateSchema = z.object(apiKeyFields).partial().strict()
export type ApiKeyUpdate = z.infer<typeof ApiKeyUpdateSchema>

/** A client key as listed: only a short prefix of the key is shown. */
export const ApiKeyDtoSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  allowedGroups: z.array(z.string()).nullable(),
  limits: ApiKeyLimitsSchema,
  expiresAt: EpochMsSchema.nullable(),
  enabled: z.boolean(),
  createdAt: EpochMsSchema,
  updatedAt: EpochMsSchema
})
export type ApiKeyDto = z.infer<typeof ApiKeyDtoSchema>

/** Answer to a creation: the only time the full key is shown. */
export const ApiKeyCreatedSchema = ApiKeyDtoSchema.extend({ key: z.string() })
export type ApiKeyCreated = z.infer<typeof ApiKeyCreatedSchema>
