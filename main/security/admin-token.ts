import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'

/** What an admin token proves: who, which session epoch, until when. */
export interface AdminTokenClaims {
  userId: number
  epoch: number
  expiresAt: number
}

const ClaimsSchema = z.object({ u: z.number().int(), e: z.number().int(), x: z.number().int() })
const PREFIX = 'cat1'

/**
 * Stateless HMAC-signed admin tokens, valid on every instance that shares the secret.
 * Revocation bumps the user's epoch, which verification compares against the database.
 */
export interface AdminTokenSigner {
  sign(claims: AdminTokenClaims): string
  verify(token: string, now: number): AdminTokenClaims | null
}

/** Builds a signer from a key derived for this purpose only. */
export function createAdminTokenSigner(key: Buffer): AdminTokenSigner {
  const mac = (payload: string): Buffer => createHmac('sha256', key).update(payload).digest()
  return {
    sign({ userId, epoch, expiresAt }) {
      const payload = Buffer.from(JSON.stringify({ u: userId, e: epoch, x: expiresAt })).toString('base64url')
      return `${PREFIX}.${payload}.${mac(payload).toString('base64url')}`
    },
    verify(token, now) {
      const [prefix, payload, signature] = token.split('.')
      if (prefix !== PREFIX || !payload || !signature) return null
      const given = Buffer.from(signature, 'base64url')
      const expected = mac(payload)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
      let json: unknown
      try {
        json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
      } catch {
        return null
      }
      const claims = ClaimsSchema.safeParse(json)
      if (!claims.success || claims.data.x <= now) return null
      return { userId: claims.data.u, epoch: claims.data.e, expiresAt: claims.data.x }
    }
  }
}
