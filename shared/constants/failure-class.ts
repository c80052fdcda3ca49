/** Why an attempt at a channel failed (DESIGN §4 step 6); the relay's failure table keys on it. */
export const FAILURE_CLASSES = ['client', 'auth', 'quota', 'rate_limit', 'server', 'network', 'timeout'] as const
export type FailureClass = (typeof FAILURE_CLASSES)[number]
