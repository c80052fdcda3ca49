import { describe, expect, it } from 'vitest'
import type { CanonicalRequest, Message, ReasoningRequest } from '../../canonical/request'
import { build, generation, loop, tool } from './build-support'

const high: ReasoningRequest = { effort: 'high' }

describe('anthropic request building: thinking', () => {
  it('drops thinking when the client forces a tool (case 20)', () => {
    const forced: Array<CanonicalRequest['toolChoice']> = [{ type: 'required' }, { type: 'tool', name: 'f' }, { type: 'allowed', names: ['f'], mode: 'required' }]
    for (const toolChoice of forced) {
      const body = build({ reasoning: high, tools: [tool('f')], toolChoice })
      expect(body.thinking).toBeUndefined()
      expect(body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool').toBe(true)
    }
  })

  it('keeps the thinking budget below max_tokens (case 21)', () => {
    const body = build({ reasoning: high, generation: generation({ maxOutputTokens: 4096 }) })
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 })
    expect(body.max_tokens).toBe(16384 + 4096)
    const roomy = build({ reasoning: { budgetTokens: 500 }, generation: generation({ maxOutputTokens: 32000 }) })
    expect([roomy.thinking, roomy.max_tokens]).toEqual([{ type: 'enabled', budget_tokens: 1024 }, 32000])
  })

  it.each([
    [{ effort: 'minimal' }, { type: 'enabled', budget_tokens: 1024 }],
    [{ effort: 'low' }, { type: 'enabled', budget_tokens: 2048 }],
    [{ effort: 'medium' }, { type: 'enabled', budget_tokens: 8192 }],
    [{ effort: 'xhigh' }, { type: 'enabled', budget_tokens: 32768 }],
    [{ effort: 'max' }, { type: 'enabled', budget_tokens: 32768 }],
    [{ effort: 'none', budgetTokens: 4000 }, undefined],
    [{ budgetTokens: 0 }, undefined],
    [{ budgetTokens: -1 }, { type: 'enabled', budget_tokens: 8192 }],
    [{ includeThoughts: true }, { type: 'enabled', budget_tokens: 8192 }],
    [{ summary: 'auto' }, undefined]
  ] satisfies Array<[ReasoningRequest, unknown]>)('maps reasoning %o to thinking %o', (reasoning, thinking) => {
    expect(build({ reasoning }).thinking).toEqual(thinking)
  })

  it('sends adaptive thinking with its effort in output_config', () => {
    const body = build({ reasoning: { adaptive: true, effort: 'minimal' } })
    expect([body.thinking, body.output_config]).toEqual([{ type: 'adaptive' }, { effort: 'low' }])
  })

  it('drops temperature and top_k with thinking, and top_p outside 0.95–1', () => {
    const body = build({ reasoning: high, generation: generation({ temperature: 0.3, topK: 5, topP: 0.5 }) })
    expect([body.temperature, body.top_k, body.top_p]).toEqual([undefined, undefined, undefined])
    expect(build({ reasoning: high, generation: generation({ topP: 0.97 }) }).top_p).toBe(0.97)
  })

  it('forwards its own signed thinking byte-identical and keeps thinking on (case 9)', () => {
    const signature = 'EqQBCkYIBxgCKkB+/=native'
    const body = build({ reasoning: high, messages: loop([{ type: 'reasoning', text: 'Use the tool.', opaque: { protocol: 'anthropic', value: signature } }]) })
    expect(body.messages[1]?.content[0]).toEqual({ type: 'thinking', thinking: 'Use the tool.', signature })
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 })
  })

  it('drops foreign reasoning and switches thinking off when the open tool loop has no signed block (case 9)', () => {
    const body = build({ reasoning: high, messages: loop([{ type: 'reasoning', text: 'gemini thought', opaque: { protocol: 'gemini', value: 'c2ln' } }]) })
    expect(body.messages[1]?.content.map(b => b.type)).toEqual(['tool_use'])
    expect(body.thinking).toBeUndefined()
  })

  it('drops unsigned reasoning (DeepSeek reasoning_content) from the history (case 10)', () => {
    const body = build({ messages: loop([{ type: 'reasoning', text: 'deepseek thoughts' }]) })
    expect(JSON.stringify(body.messages)).not.toContain('thinking')
    expect(body.messages[1]?.content.map(b => b.type)).toEqual(['tool_use'])
  })

  it('replays redacted thinking and keeps thinking on a new user turn or off after a prefill', () => {
    const redacted = build({ reasoning: high, messages: loop([{ type: 'reasoning', text: '', opaque: { protocol: 'anthropic', value: 'EmwK', redacted: true } }]) })
    expect(redacted.messages[1]?.content[0]).toEqual({ type: 'redacted_thinking', data: 'EmwK' })
    expect(redacted.thinking).toBeDefined()
    const after: Message[] = [
      { role: 'assistant', parts: [{ type: 'text', text: 'Sunny.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'thanks' }] }
    ]
    const newTurn = build({ reasoning: high, messages: [...loop([]), ...after] })
    expect(newTurn.thinking).toBeDefined()
    const prefill = build({ reasoning: high, messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }, { role: 'assistant', parts: [{ type: 'text', text: '{' }] }] })
    expect(prefill.thinking).toBeUndefined()
  })
})
