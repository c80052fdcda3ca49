import { createHash, randomBytes } from 'node:crypto'

/** SHA-256 hex of a client key: what the database stores and the relay looks up. */
export function hashClientKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** A new client key: `ck-` and 40 random URL-safe characters. */
export function generateClientKey(): string {
  return `ck-${randomBytes(30).toString('base64url')}`
}

/** The part of a client key shown in lists. */
export function clientKeyPrefix(key: string): string {
  return `${key.slice(0, 7)}…`
}

/** Stable short identifier of a provider key, safe to show. */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 12)
}

/** A provider key as people may see it: a hint of its start and end, never enough to use it. */
export function maskKey(key: string): string {
  return key.length >= 16 ? `${key.slice(0, 3)}…${key.slice(-4)}` : `…${key.slice(-2)}`
}
