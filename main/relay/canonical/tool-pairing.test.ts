import { describe, expect, it } from 'vitest'
import type { Message, ToolCallPart, ToolResultPart } from './request'
import { MISSING_RESULT, pairToolResults } from './tool-pairing'

const call = (id: string, kind: ToolCallPart['kind'] = 'function'): ToolCallPart => ({ type: 'tool_call', id, name: `f_${id}`, arguments: '{}', kind })
const result = (callId: string, text = `out ${callId}`): ToolResultPart => ({ type: 'tool_result', callId, content: [{ type: 'text', text }], isError: false })
const missing = (id: string, custom = false): ToolResultPart => ({
  type: 'tool_result',
  callId: id,
  name: `f_${id}`,
  content: [{ type: 'text', text: MISSING_RESULT }],
  isError: true,
  ...(custom ? { custom: true } : {})
})
const text = (value: string) => ({ type: 'text' as const, text: value })

describe('pairToolResults (§7 invariant 4)', () => {
  it('leaves a well-formed conversation as it is', () => {
    const messages: Message[] = [
      { role: 'user', parts: [text('go')] },
      { role: 'assistant', parts: [call('a'), call('b')] },
      { role: 'user', parts: [result('a'), result('b'), text('thanks')] }
    ]
    expect(pairToolResults(messages)).toEqual(messages)
  })

  it('gathers results spread over the answer window to its start, in call order', () => {
    expect(
      pairToolResults([
        { role: 'assistant', parts: [call('a'), call('b')] },
        { role: 'system', parts: [text('be brief')] },
        { role: 'user', parts: [result('b')] },
        { role: 'user', parts: [text('and'), result('a')] }
      ])
    ).toEqual([
      { role: 'assistant', parts: [call('a'), call('b')] },
      { role: 'user', parts: [result('a'), result('b')] },
      { role: 'system', parts: [text('be brief')] },
      { role: 'user', parts: [text('and')] }
    ])
  })

  it('answers unanswered calls, also at the end, and turns stray or repeated results into text', () => {
    expect(
      pairToolResults([
        { role: 'user', parts: [result('early')] },
        { role: 'assistant', parts: [call('a'), call('p', 'custom')] },
        { role: 'user', parts: [result('a'), result('a', 'again'), result('zz'), text('stop')] },
        { role: 'assistant', parts: [text('ok'), call('c')] }
      ])
    ).toEqual([
      { role: 'user', parts: [text('[tool result early] out early')] },
      { role: 'assistant', parts: [call('a'), call('p', 'custom')] },
      { role: 'user', parts: [result('a'), missing('p', true), text('[tool result a] again'), text('[tool result zz] out zz'), text('stop')] },
      { role: 'assistant', parts: [text('ok'), call('c')] },
      { role: 'user', parts: [missing('c')] }
    ])
  })
})
