import { describe, expect, it } from 'vitest'
import { movableClock } from '../testing/factories'
import { LoginAttempts } from './login-attempts'

const WINDOW = 15 * 60_000

describe('LoginAttempts', () => {
  it('blocks a key at the fifth failure inside the window until the oldest failure leaves it', () => {
    const clock = movableClock(1_000_000)
    const attempts = new LoginAttempts(clock)
    for (let i = 0; i < 4; i++) {
      attempts.fail('1.2.3.4 admin')
      clock.set(clock() + 1000)
    }
    expect(attempts.blockedForMs('1.2.3.4 admin')).toBe(0)
    attempts.fail('1.2.3.4 admin')
    expect(attempts.blockedForMs('1.2.3.4 admin')).toBe(WINDOW - 4000)
    expect(attempts.blockedForMs('1.2.3.4 root')).toBe(0)
    clock.set(1_000_000 + WINDOW)
    expect(attempts.blockedForMs('1.2.3.4 admin')).toBe(0)
  })

  it('a success forgets the failures of its key only', () => {
    const attempts = new LoginAttempts(movableClock())
    for (let i = 0; i < 5; i++) {
      attempts.fail('a admin')
      attempts.fail('b admin')
    }
    attempts.succeed('a admin')
    expect(attempts.blockedForMs('a admin')).toBe(0)
    expect(attempts.blockedForMs('b admin')).toBeGreaterThan(0)
  })

  it('holds at most maxTracked keys, forgetting the one whose last failure is oldest', () => {
    const clock = movableClock()
    const attempts = new LoginAttempts(clock, { maxFailures: 2, windowMs: WINDOW, maxTracked: 3 })
    for (const key of ['a', 'b', 'c']) attempts.fail(key)
    attempts.fail('a')
    attempts.fail('d')
    expect(attempts.size).toBe(3)
    expect(attempts.blockedForMs('a')).toBeGreaterThan(0)
    // 'b' was forgotten, so its next failure starts a new count.
    attempts.fail('b')
    expect(attempts.blockedForMs('b')).toBe(0)
    for (let i = 0; i < 1000; i++) attempts.fail(`flood-${i}`)
    expect(attempts.size).toBe(3)
  })
})
