import { z } from 'zod'

/** Body of `POST /api/v1/channels/:id/models/sync`; without `apply` nothing is written (a preview). */
export const ModelSyncRequestSchema = z.object({ apply: z.boolean().default(false) }).strict()
export type ModelSyncRequest = z.infer<typeof ModelSyncRequestSchema>

/** A group a sync changed (or, in a preview, would change): created, or given new members. */
export const GroupChangeSchema = z.object({
  name: z.string(),
  /** True when the group was made by the `autoGroups` setting. */
  created: z.boolean(),
  /** The channel's models that became members of the group. */
  models: z.array(z.string())
})
export type GroupChange = z.infer<typeof GroupChangeSchema>

/** What a model sync found, and what it changed when `apply` was given. */
export const ModelSyncResultSchema = z.object({
  /** Every model the provider lists, in the provider's order. */
  models: z.array(z.string()),
  /** Listed models the channel does not have yet. */
  added: z.array(z.string()),
  /** Models of the channel the provider no longer lists (reported, never removed). */
  missing: z.array(z.string()),
  /** Whether `added` was written to the channel (and the groups). */
  applied: z.boolean(),
  groupsChanged: z.array(GroupChangeSchema)
})
export type ModelSyncResult = z.infer<typeof ModelSyncResultSchema>
