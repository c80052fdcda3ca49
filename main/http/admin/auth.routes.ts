import { LoginAttempts } from '../../security/login-attempts'
import { hashPassword, verifyPassword } from '../../security/password'
import type { UserRecord } from '../../store/records'
import { adminErrors } from '../http-errors'
import type { AdminDeps, AdminHandlers } from './admin-context'

/** Checked against when the user does not exist, so a wrong name takes as long as a wrong password. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='

/** Sign-in, sign-out and password change. */
export function authHandlers(deps: AdminDeps): Pick<AdminHandlers, 'auth.login' | 'auth.me' | 'auth.logout' | 'auth.password'> {
  const { repos, tokens, tokenTtlMs, now } = deps
  // Per address and username: guessing one user's password is slowed without letting anyone
  // lock the admin out from elsewhere (unless they share the address, e.g. behind one proxy).
  const attempts = new LoginAttempts(now)
  const issue = (user: UserRecord): { token: string; expiresAt: number; username: string } => {
    const expiresAt = now() + tokenTtlMs
    return { token: tokens.sign({ userId: user.id, epoch: user.sessionEpoch, expiresAt }), expiresAt, username: user.username }
  }
  const signedIn = (user: UserRecord | null): UserRecord => {
    if (!user) throw adminErrors.unauthorized()
    return user
  }
  return {
    'auth.login': async ({ body }, request) => {
      const attempt = `${request.clientIp} ${body.username}`
      // Refused before the password is checked, so a blocked guesser learns nothing.
      const blockedMs = attempts.blockedForMs(attempt)
      if (blockedMs > 0) throw adminErrors.tooManyAttempts(Math.ceil(blockedMs / 1000))
      // Counted as failed before the slow check, so parallel guesses cannot all slip past the limit.
      attempts.fail(attempt)
      const user = await repos.users.findByUsername(body.username)
      const valid = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH)
      if (!user || !valid) throw adminErrors.unauthorized('Wrong username or password.')
      attempts.succeed(attempt)
      return issue(user)
    },
    'auth.me': async (_input, request) => {
      const user = signedIn(request.user)
      return { username: user.username, expiresAt: request.tokenExpiresAt ?? now() }
    },
    'auth.logout': async (_input, request) => {
      await repos.users.revokeSessions(signedIn(request.user).id)
      return { revoked: true }
    },
    'auth.password': async ({ body }, request) => {
      const user = signedIn(request.user)
      if (!(await verifyPassword(body.currentPassword, user.passwordHash))) {
        throw adminErrors.invalidReference('currentPassword', 'is not the current password')
      }
      await repos.users.setPassword(user.id, await hashPassword(body.newPassword))
      const updated = await repos.users.get(user.id)
      return issue(signedIn(updated))
    }
  }
}
