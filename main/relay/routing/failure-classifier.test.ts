import { describe, expect, it } from 'vitest'
import { classifyStatus, FAILURE_ACTIONS, retryAfterMs } from './failure-classifier'

describe('classifyStatus, case by case', () => {
  it.each([
    [400, '', 'client'],
    [404, '', 'client'],
    [413, '', 'client'],
    [422, '', 'client'],
    [401, '', 'auth'],
    [403, '', 'auth'],
    [402, '', 'quota'],
    [429, '{"error":{"code":"rate_limit_exceeded"}}', 'rate_limit'],
    [429, '{"error":{"code":"insufficient_quota","message":"You exceeded your current quota"}}', 'quota'],
    [408, '', 'timeout'],
    [500, '', 'server'],
    [502, '', 'server'],
    [503, '', 'server'],
    [504, '', 'server'],
    [529, '{"type":"error","error":{"type":"overloaded_error"}}', 'server']
  ] as const)('%i %s → %s', (status, body, expected) => {
    expect(classifyStatus(status, body)).toBe(expected)
  })
})

describe('FAILURE_ACTIONS', () => {
  it('client errors fail at once and cool nothing', () => {
    expect(FAILURE_ACTIONS.client).toEqual({ penalty: 'none', next: 'fail' })
  })
  it('key problems try the next key; bad and empty keys are set aside, throttled ones cooled', () => {
    expect(FAILURE_ACTIONS.auth).toEqual({ penalty: 'disable-key', next: 'next-key' })
    expect(FAILURE_ACTIONS.quota).toEqual({ penalty: 'disable-key', next: 'next-key' })
    expect(FAILURE_ACTIONS.rate_limit).toEqual({ penalty: 'key', next: 'next-key' })
  })
  it('channel problems cool the channel and move to the next one', () => {
    for (const cls of ['server', 'network', 'timeout'] as const) {
      expect(FAILURE_ACTIONS[cls]).toEqual({ penalty: 'channel', next: 'next-channel' })
    }
  })
})

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-22T10:00:00Z')
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('7', now)).toBe(7000)
    expect(retryAfterMs('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000)
    expect(retryAfterMs(['2', '9'], now)).toBe(2000)
  })
  it('ignores absent, past and unreadable values and caps long ones at an hour', () => {
    expect(retryAfterMs(undefined, now)).toBeNull()
    expect(retryAfterMs('soon', now)).toBeNull()
    expect(retryAfterMs('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBeNull()
    expect(retryAfterMs('999999', now)).toBe(3_600_000)
  })
})
