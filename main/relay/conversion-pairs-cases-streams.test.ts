/**
 * docs/protocols.md §4 cases about streams, as pair tests: the upstream's recorded stream goes
 * through the relay's conversion and the assertion is on what the client of the other protocol
 * gets (the adapter tests cover one side each).
 */
import { describe, expect, it } from 'vitest'
import type { Protocol } from './canonical/request'
import { relayErrors } from './relay-errors'
import { objs, text } from '../testing/client-answers'
import { checkClientStream } from '../testing/client-stream-checks'
import { readStream, sseFrames, type Frame } from '../testing/client-streams'
import { fixture } from '../testing/conversion-fixtures'
import { CLIENT_MODEL, clientRequest, convertStream, PAIRS, PROTOCOLS, randomPieces, relayTransform } from '../testing/conversion-relay'

const OTHERS = (upstream: Protocol): Protocol[] => PROTOCOLS.filter(p => p !== upstream)
const run = (upstream: Protocol, client: Protocol, file: string, streamUsage = true): string =>
  convertStream(upstream, client, fixture(upstream, file), clientRequest(client, { streamUsage }), randomPieces(11, 5))

/** Anthropic frames as `event@index:block-or-delta-type`. */
const shape = (frames: Frame[]): string[] =>
  frames.map(({ event, json }) => {
    const index = typeof json.index === 'number' ? `@${json.index}` : ''
    const block = event === 'content_block_start' ? `:${text(json.content_block, 'type')}` : ''
    const delta = event === 'content_block_delta' ? `:${text(json.delta, 'type')}` : ''
    return `${event ?? ''}${index}${block}${delta}`
  })

describe('§4 stream cases across protocols', () => {
  it('§4 #2: a Chat upstream whose first content is a tool call gives Claude Code tool_use at index 0, blocks contiguous', () => {
    const out = run('openai-chat', 'anthropic', 'stream-parallel-tools.sse')
    checkClientStream('anthropic', out, { clientModel: CLIENT_MODEL, streamUsage: true })
    expect(shape(sseFrames(out))).toEqual([
      'message_start',
      'content_block_start@0:tool_use',
      'content_block_delta@0:input_json_delta',
      'content_block_delta@0:input_json_delta',
      'content_block_stop@0',
      'content_block_start@1:tool_use',
      'content_block_delta@1:input_json_delta',
      'content_block_stop@1',
      'message_delta',
      'message_stop'
    ])
  })

  it.each(OTHERS('openai-chat'))('§4 #4: interleaved Chat argument fragments (0,1,0,1) reach a %s client as two whole, right calls', client => {
    const out = run('openai-chat', client, 'stream-interleaved-tools.sse')
    checkClientStream(client, out, { clientModel: CLIENT_MODEL, streamUsage: true })
    expect(readStream(client, out).calls.map(({ name, args }) => ({ name, args }))).toEqual([
      { name: 'read_file', args: { path: 'a.txt' } },
      { name: 'list_dir', args: { dir: 'src' } }
    ])
  })

  it.each(OTHERS('anthropic'))('§4 #6: Anthropic usage split over message_start and message_delta is whole for a %s client', client => {
    const usage = readStream(client, run('anthropic', client, 'upstream-thinking-tools.sse')).usage
    // input 120 + cache write 50 + cache read 800; output only in message_delta.
    expect(usage).toMatchObject({ input: 970, cacheRead: 800, output: 210 })
    if (client === 'openai-chat') {
      const chunk = sseFrames(run('anthropic', client, 'upstream-thinking-tools.sse')).at(-2)?.json
      expect(chunk?.usage).toMatchObject({ prompt_tokens: 970, completion_tokens: 210, prompt_tokens_details: { cached_tokens: 800, cache_write_tokens: 50 } })
    }
  })

  it('§4 #7: Chat prompt 1000 / cached 800 → Claude Code input_tokens 200, cache_read 800, cache_creation 0', () => {
    const delta = sseFrames(run('openai-chat', 'anthropic', 'stream-text-usage.sse')).find(f => f.event === 'message_delta')
    expect(delta?.json.usage).toEqual({ input_tokens: 200, cache_read_input_tokens: 800, cache_creation_input_tokens: 0, output_tokens: 12 })
  })

  it('§4 #12: Gemini functionCall chunk, then STOP in another chunk → Chat tool_calls, Anthropic tool_use, Responses completed with function_call items', () => {
    const chat = sseFrames(run('gemini', 'openai-chat', 'stream-parallel-calls.sse'))
    expect(chat.flatMap(f => objs(f.json, 'choices').flatMap(c => (typeof c.finish_reason === 'string' ? [c.finish_reason] : [])))).toEqual(['tool_calls'])
    const anthropic = sseFrames(run('gemini', 'anthropic', 'stream-parallel-calls.sse'))
    expect(anthropic.find(f => f.event === 'message_delta')?.json.delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null })
    const responses = sseFrames(run('gemini', 'openai-responses', 'stream-parallel-calls.sse')).at(-1)
    expect(responses?.event).toBe('response.completed')
    const output = (responses?.json.response as { output: Array<{ type: string; name: string; arguments: string }> }).output
    expect(output.map(item => [item.type, item.name, JSON.parse(item.arguments)])).toEqual([
      ['function_call', 'get_weather', { city: 'Paris' }],
      ['function_call', 'get_weather', { city: 'Berlin' }]
    ])
  })

  it('§4 #13: Gemini candidates 6 + thoughts 190 → Chat completion 196 / reasoning 190, Anthropic output 196, Responses 196 / 190', () => {
    const chat = sseFrames(run('gemini', 'openai-chat', 'stream-thinking-text.sse')).at(-2)?.json.usage
    expect(chat).toMatchObject({ completion_tokens: 196, completion_tokens_details: { reasoning_tokens: 190 } })
    const anthropic = sseFrames(run('gemini', 'anthropic', 'stream-thinking-text.sse')).find(f => f.event === 'message_delta')
    expect(anthropic?.json.usage).toMatchObject({ output_tokens: 196 })
    const responses = sseFrames(run('gemini', 'openai-responses', 'stream-thinking-text.sse')).at(-1)?.json.response
    expect(responses).toMatchObject({ usage: { output_tokens: 196, output_tokens_details: { reasoning_tokens: 190 } } })
  })

  it.each(OTHERS('openai-chat'))('§4 #27: a Chat client gets the choices:[] usage chunk only when it asked, right before [DONE] (%s upstream)', upstream => {
    const file = { 'openai-responses': 'upstream-text.sse', anthropic: 'upstream-text-cache.sse', gemini: 'stream-thinking-text.sse', 'openai-chat': '' }[upstream]
    const asked = sseFrames(run(upstream, 'openai-chat', file, true))
    const usageChunks = asked.filter(f => Array.isArray(f.json.choices) && f.json.choices.length === 0)
    expect(usageChunks).toHaveLength(1)
    expect(asked.at(-2)).toBe(usageChunks[0])
    expect(asked.at(-1)?.data).toBe('[DONE]')
    const silent = sseFrames(run(upstream, 'openai-chat', file, false))
    expect(silent.filter(f => Array.isArray(f.json.choices) && f.json.choices.length === 0)).toEqual([])
    expect(silent.some(f => f.json.usage !== undefined && f.json.usage !== null)).toBe(false)
  })
})

/** The in-band failure frame of each client format, and the success terminators it must never be joined by. */
function expectFailedStream(client: Protocol, out: string, message: string): void {
  checkClientStream(client, out, { clientModel: CLIENT_MODEL, streamUsage: true })
  const frames = sseFrames(out)
  const last = frames.at(-1)
  switch (client) {
    case 'anthropic':
      expect(last?.event).toBe('error')
      expect(last?.json).toMatchObject({ type: 'error', error: { type: expect.any(String), message: expect.stringContaining(message) } })
      break
    case 'openai-chat':
      expect(last?.raw.startsWith('data: {"error":')).toBe(true)
      expect(frames.some(f => f.data === '[DONE]')).toBe(false)
      break
    case 'openai-responses':
      expect(last?.event).toBe('response.failed')
      expect(frames.some(f => f.event === 'response.completed' || f.event === 'response.incomplete')).toBe(false)
      break
    case 'gemini':
      expect(last?.json.error).toMatchObject({ message: expect.stringContaining(message) })
  }
}

describe('§4 #30: an upstream that dies after three deltas', () => {
  it.each(OTHERS('openai-chat'))('reports the upstream error event to a %s client in-band, after the text, with no success terminator', client => {
    const out = run('openai-chat', client, 'stream-error.sse')
    expectFailedStream(client, out, 'Rate limit reached')
    expect(readStream(client, out).text).toBe('One two three')
  })

  it.each(PAIRS)('reports a broken connection ($upstream upstream) to a $client client in-band', ({ upstream, client }) => {
    const file = { 'openai-chat': 'stream-text-usage.sse', 'openai-responses': 'upstream-reasoning-text-tools.sse', anthropic: 'upstream-thinking-tools.sse', gemini: 'stream-thinking-text.sse' }[upstream]
    const transform = relayTransform(upstream, client, clientRequest(client, { streamUsage: true }))
    // The upstream's first three frames arrive, then the socket breaks.
    const frames = fixture(upstream, file).split(/(?<=\n\n)/).slice(0, 4).join('')
    const out = transform.push(Buffer.from(frames)).toString() + transform.fail(relayErrors.upstreamFailed(502, 'upstream connection reset'))
    expectFailedStream(client, out, 'upstream connection reset')
    expect(transform.fail(relayErrors.upstreamFailed(502, 'again'))).toBe('')
  })
})
