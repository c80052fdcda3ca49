import { z } from 'zod'
import { ModelNameSchema } from './common'

/** Body of `POST /api/v1/channels/:id/test`; without `model` the channel's first model is asked. */
export const ChannelTestRequestSchema = z.object({ model: ModelNameSchema.optional() }).strict()
export type ChannelTestRequest = z.infer<typeof ChannelTestRequestSchema>

/**
 * What one tiny request to the channel gave. A failure of the provider is an answer too
 * (`ok: false` with the reason); it never changes the channel's health or stats.
 */
export const ChannelTestResultSchema = z.object({
  /** The provider answered 2xx with a readable answer. */
  ok: z.boolean(),
  /** The provider's HTTP status; null when no answer came (refused, timed out). */
  status: z.number().int().nullable(),
  /** From sending the request to the end of the answer (or the failure). */
  latencyMs: z.number().int().nonnegative(),
  /** The model asked, as the channel lists it (before its model map). */
  model: z.string(),
  /** The text the model answered; null on failure. */
  answer: z.string().nullable(),
  /** Why the test failed, with the provider's own message; never a key. */
  error: z.string().nullable(),
  /** The base URL the request went to. */
  baseUrl: z.string(),
  /** Fingerprint of the key used; null for a channel without keys. */
  keyFingerprint: z.string().nullable()
})
export type ChannelTestResult = z.infer<typeof ChannelTestResultSchema>
