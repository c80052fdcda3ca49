import { z } from 'zod'

/** `:id` route parameter of every admin resource. */
export const IdParamsSchema = z.object({ id: z.coerce.number().int().positive() })
export type IdParams = z.infer<typeof IdParamsSchema>

/** One field that failed validation. */
export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() })
export type FieldError = z.infer<typeof FieldErrorSchema>

/** Body of every admin API error. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(FieldErrorSchema).optional()
  })
})
export type ErrorBody = z.infer<typeof ErrorBodySchema>

/** A name an operator types; trimmed, no control characters. */
export const NameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters')

/** A model or group name as clients send it (`gpt-4.1`, `anthropic/claude-sonnet-4`, `smart`). */
export const ModelNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[^\s\p{Cc}]+$/u, 'must not contain spaces or control characters')

/** Milliseconds since the Unix epoch. */
export const EpochMsSchema = z.number().int().nonnegative()

/** Admin confirmation for deletions. */
export const DeletedSchema = z.object({ deleted: z.literal(true) })
export type Deleted = z.infer<typeof DeletedSchema>
