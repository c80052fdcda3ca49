import { z } from 'zod'
import { EpochMsSchema } from './common'

/** Body of `POST /api/v1/auth/login`. */
export const LoginInputSchema = z
  .object({
    username: z.string().min(1).max(100),
    password: z.string().min(1).max(1000)
  })
  .strict()
export type LoginInput = z.infer<typeof LoginInputSchema>

/** A bearer token for the admin API and when it stops working. */
export const LoginResultSchema = z.object({
  token: z.string(),
  expiresAt: EpochMsSchema,
  username: z.string()
})
export type LoginResult = z.infer<typeof LoginResultSchema>

/** The signed-in admin. */
export const MeSchema = z.object({ username: z.string(), expiresAt: EpochMsSchema })
export type Me = z.infer<typeof MeSchema>

/** Body of `POST /api/v1/auth/password`; changing it signs out every other session. */
export const PasswordChangeSchema = z
  .object({
    currentPassword: z.string().min(1).max(1000),
    newPassword: z.string().min(12, 'must be at least 12 characters').max(1000)
  })
  .strict()
export type PasswordChange = z.infer<typeof PasswordChangeSchema>
