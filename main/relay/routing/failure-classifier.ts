/** Why an attempt failed, which decides whether another channel may help. */
export type FailureClass = 'client' | 'auth' | 'rate_limit' | 'server' | 'network' | 'timeout'

/**
 * Classifies an upstream HTTP status (DESIGN §4 step 6). Client errors fail the request at once:
 * the same body would fail on every channel, and no channel is to blame.
 */
export function classifyStatus(status: number): FailureClass {
  if (status === 401 || status === 403) return 'auth'
  if (status === 429) return 'rate_limit'
  if (status === 408) return 'timeout'
  if (status >= 500) return 'server'
  return 'client'
}

/** Whether a failure of this class lets the request move on to the next candidate. */
export function isRetryable(failure: FailureClass): boolean {
  return failure !== 'client'
}
