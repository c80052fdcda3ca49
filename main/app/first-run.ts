import { generatePassword, hashPassword } from '../security/password'
import type { UserRepository } from '../store/repositories/user.repository'

/** The admin account name created on first start. */
export const FIRST_ADMIN = 'admin'

/**
 * Creates the admin account when there is none: with `CUTTLE_ADMIN_PASSWORD`, or a generated
 * password returned so the caller can show it once. Never a fixed default.
 */
export async function ensureAdmin(users: UserRepository, configured: string | null): Promise<{ generatedPassword: string | null }> {
  if ((await users.count()) > 0) return { generatedPassword: null }
  const password = configured ?? generatePassword()
  await users.create(FIRST_ADMIN, await hashPassword(password))
  return { generatedPassword: configured === null ? password : null }
}
