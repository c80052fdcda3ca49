import { describe, expect, it } from 'vitest'
import { bodySession } from './session-key'

describe('bodySession', () => {
  it('reads the first of Claude Code session, prompt_cache_key, user and previous_response_id', () => {
    expect(bodySession({ metadata: { user_id: 'user_ab12_account__session_57a121ec-f78c' } })).toBe('claude:57a121ec-f78c')
    expect(bodySession({ metadata: { user_id: '{"device_id":"d","account_uuid":"","session_id":"54c1eb09"}' } })).toBe('claude:54c1eb09')
    expect(bodySession({ metadata: { user_id: 'customer-42' } })).toBe('user:customer-42')
    expect(bodySession({ prompt_cache_key: 'pk', user: 'u', previous_response_id: 'resp_1' })).toBe('cache:pk')
    expect(bodySession({ user: 'u', previous_response_id: 'resp_1' })).toBe('user:u')
    expect(bodySession({ previous_response_id: 'resp_1' })).toBe('resp:resp_1')
    expect(bodySession({ user: '', metadata: null, prompt_cache_key: 7 })).toBeNull()
  })

  it('cuts long values', () => {
    expect(bodySession({ user: 'x'.repeat(1000) })).toBe(`user:${'x'.repeat(200)}`)
  })
})
