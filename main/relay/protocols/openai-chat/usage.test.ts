import { describe, expect, it } from 'vitest'
import { usageFromChat } from './usage'

describe('usageFromChat: cache reads where compatible servers put them', () => {
  it('reads OpenAI details first, then LiteLLM, Moonshot and DeepSeek top-level counts', () => {
    const base = { prompt_tokens: 300, completion_tokens: 25 }
    const cacheRead = (extra: Record<string, unknown>): number | undefined => usageFromChat({ ...base, ...extra })?.cacheRead
    expect(cacheRead({ prompt_tokens_details: { cached_tokens: 200 }, cached_tokens: 9 })).toBe(200)
    expect(cacheRead({ cache_read_input_tokens: 100 })).toBe(100)
    expect(cacheRead({ cached_tokens: 256 })).toBe(256)
    expect(cacheRead({ prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 236 })).toBe(64)
    expect(cacheRead({})).toBe(0)
  })
})
