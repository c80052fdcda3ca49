import { z } from 'zod'
import { BALANCE_MODES } from '../constants/protocol'
import { EpochMsSchema, ModelNameSchema } from './common'
import { ErrorRuleSchema, ErrorRulesSchema } from './error-rule'
import { ModelPatternSchema } from './model-pattern'

/** One (channel, upstream model) pair of a group. */
export const GroupMemberSchema = z
  .object({
    channelId: z.number().int().positive(),
    model: ModelNameSchema,
    priority: z.number().int().min(0).max(1000).default(0),
    weight: z.number().int().min(1).max(1000).default(1)
  })
  .strict()
export type GroupMember = z.infer<typeof GroupMemberSchema>

const groupFields = {
  name: ModelNameSchema,
  mode: z.enum(BALANCE_MODES),
  enabled: z.boolean(),
  /** Groups tried, in order, when every member failed with a retryable failure; a chain must not reach back to its group. */
  fallback: z.array(ModelNameSchema).max(20),
  firstTokenTimeoutMs: z.number().int().min(100).max(3_600_000).nullable(),
  totalTimeoutMs: z.number().int().min(100).max(86_400_000).nullable(),
  maxAttempts: z.number().int().min(1).max(20).nullable(),
  /**
   * A JavaScript regular expression (case-sensitive, matched anywhere in the name; anchor with
   * `^…$`), at most 500 characters, or null. Model sync adds the models it finds that match it.
   */
  modelPattern: ModelPatternSchema,
  members: z.array(GroupMemberSchema).max(500),
  /** Checked after the member channel's rules, before the default failure table. */
  errorRules: ErrorRulesSchema
}

/** Body of `POST /api/v1/groups`; the name is the model name clients send. */
export const GroupCreateSchema = z
  .object({
    ...groupFields,
    mode: groupFields.mode.default('failover'),
    enabled: groupFields.enabled.default(true),
    fallback: groupFields.fallback.default([]),
    firstTokenTimeoutMs: groupFields.firstTokenTimeoutMs.default(null),
    totalTimeoutMs: groupFields.totalTimeoutMs.default(null),
    maxAttempts: groupFields.maxAttempts.default(null),
    modelPattern: groupFields.modelPattern.default(null),
    members: groupFields.members.default([]),
    errorRules: groupFields.errorRules.default([])
  })
  .strict()
export type GroupCreate = z.infer<typeof GroupCreateSchema>

/** Body of `PATCH /api/v1/groups/:id`; `members` replaces the whole member list. */
export const GroupUpdateSchema = z.object(groupFields).partial().strict()
export type GroupUpdate = z.infer<typeof GroupUpdateSchema>

/** A group as the admin API returns it. */
export const GroupDtoSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  mode: z.enum(BALANCE_MODES),
  enabled: z.boolean(),
  fallback: z.array(z.string()),
  firstTokenTimeoutMs: z.number().int().nullable(),
  totalTimeoutMs: z.number().int().nullable(),
  maxAttempts: z.number().int().nullable(),
  modelPattern: z.string().nullable(),
  errorRules: z.array(ErrorRuleSchema),
  members: z.array(
    z.object({
      channelId: z.number().int(),
      channelName: z.string(),
      model: z.string(),
      priority: z.number().int(),
      weight: z.number().int()
    })
  ),
  createdAt: EpochMsSchema,
  updatedAt: EpochMsSchema
})
export type GroupDto = z.infer<typeof GroupDtoSchema>
