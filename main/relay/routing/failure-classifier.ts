import type { FailureClass } from '@shared/constants/failure-class'

export type { FailureClass }

/** What the relay does about a failure: what to cool or set aside, and where to go next. */
export interface FailureAction {
  /** `key`: cool this key for a while; `disable-key`: set it aside until an admin resets it. */
  penalty: 'none' | 'key' | 'disable-key' | 'channel'
  /** `next-key`: another key of the same channel may work; `next-channel`: move on; `fail`: answer now. */
  next: 'next-key' | 'next-channel' | 'fail'
}

/**
 * DESIGN §4 step 6 as a table. Client errors fail at once and cool nothing (the same body would
 * fail everywhere and no channel is to blame); key problems try the channel's next key first;
 * channel problems cool the channel and move on.
 */
export const FAILURE_ACTIONS: Readonly<Record<FailureClass, FailureAction>> = {
  client: { penalty: 'none', next: 'fail' },
  auth: { penalty: 'disable-key', next: 'next-key' },
  quota: { penalty: 'disable-key', next: 'next-key' },
  rate_limit: { penalty: 'key', next: 'next-key' },
  server: { penalty: 'channel', next: 'next-channel' },
  network: { penalty: 'channel', next: 'next-channel' },
  timeout: { penalty: 'channel', next: 'next-channel' }
}

/** Error bodies that mean the key ran out of money, not that it is briefly throttled. */
const QUOTA_BODY = /insufficient_quota|quota exceeded|exceeded your current quota|billing|credit balance|insufficient balance/i

/** Classifies an upstream HTTP error from its status and (the start of) its body. */
export function classifyStatus(status: number, body = ''): FailureClass {
  if (status === 401 || status === 403) return 'auth'
  if (status === 402) return 'quota'
  if (status === 429) return QUOTA_BODY.test(body) ? 'quota' : 'rate_limit'
  if (status === 408) return 'timeout'
  if (status >= 500) return 'server'
  return 'client'
}

/**
 * Milliseconds a `Retry-After` header asks to wait (seconds or an HTTP date), or null when absent
 * or unreadable. Capped at an hour so a bad header cannot shelve a key for days.
 */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | null {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return null
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now
  if (!Number.isFinite(ms) || ms < 0) return null
  return Math.min(ms, 3_600_000)
}
