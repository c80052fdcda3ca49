/** How many failed sign-ins a client may make, over what window, and how many clients are tracked. */
export interface LoginAttemptPolicy {
  maxFailures: number
  windowMs: number
  /** Upper bound of tracked (client, username) pairs, so a flood of names cannot grow memory. */
  maxTracked: number
}

/** 5 failures per client address and username in 15 minutes. */
export const LOGIN_ATTEMPT_POLICY: LoginAttemptPolicy = { maxFailures: 5, windowMs: 15 * 60_000, maxTracked: 10_000 }

/**
 * Failed sign-ins per key (client address + username) in a sliding window. Once a key has
 * `maxFailures` failures inside the window it is refused until the oldest of them leaves it.
 * Each key holds at most `maxFailures` times; when `maxTracked` keys are held, the one whose last
 * failure is oldest is forgotten (a Map keeps insertion order and a failure re-inserts its key).
 */
export class LoginAttempts {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly now: () => number,
    private readonly policy: LoginAttemptPolicy = LOGIN_ATTEMPT_POLICY
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  blockedForMs(key: string): number {
    const times = this.recent(key)
    const [oldest] = times
    if (oldest === undefined || times.length < this.policy.maxFailures) return 0
    return oldest + this.policy.windowMs - this.now()
  }

  /** Counts a failed sign-in of `key`. */
  fail(key: string): void {
    const times = this.recent(key)
    this.failures.delete(key)
    if (this.failures.size >= this.policy.maxTracked) {
      const oldest = this.failures.keys().next()
      if (!oldest.done) this.failures.delete(oldest.value)
    }
    this.failures.set(key, [...times, this.now()].slice(-this.policy.maxFailures))
  }

  /** A successful sign-in forgets the failures of `key`. */
  succeed(key: string): void {
    this.failures.delete(key)
  }

  /** Number of keys held (for tests of the memory bound). */
  get size(): number {
    return this.failures.size
  }

  /** The failure times of `key` still inside the window, oldest first. */
  private recent(key: string): number[] {
    const times = this.failures.get(key)
    if (!times) return []
    const since = this.now() - this.policy.windowMs
    const kept = times.filter(t => t > since)
    if (kept.length === 0) this.failures.delete(key)
    return kept
  }
}
