/**
 * The fixes the adapter authors asked for, tested across protocols: Gemini tool call ids the
 * relay makes are unique per response; Anthropic redacted thinking survives other clients as
 * redacted; images by file id are images, sent only where the target can take a file id.
 */
import { describe, expect, it } from 'vitest'
import type { CanonicalRequest, Protocol } from './canonical/request'
import type { StreamEvent } from './canonical/stream-event'
import { parseSseBlock } from './sse'
import { isJson, readBody } from '../testing/client-answers'
import { followUp } from '../testing/client-follow-up'
import { assembleStream, readStream } from '../testing/client-streams'
import { fixture } from '../testing/conversion-fixtures'
import { adapters, buildUpstream, CLIENT_MODEL, clientRequest, convertBody, convertStream } from '../testing/conversion-relay'
import { checkUpstreamRequest, upstreamArtefacts, upstreamCallIds } from '../testing/upstream-request-checks'

const parse = (client: Protocol, body: Record<string, unknown>): CanonicalRequest => adapters[client].client.parseRequest(body, { model: CLIENT_MODEL, stream: false })

describe('fix: Gemini tool call ids the relay makes are unique per response', () => {
  const turn = (responseId: string): string => fixture('gemini', 'stream-parallel-calls.sse').replaceAll('"resp-calls-1"', `"${responseId}"`)
  const streamIds = (sse: string): string[] => {
    const decoder = adapters.gemini.upstream.streamDecoder()
    const events: StreamEvent[] = sse.split('\n\n').flatMap(block => {
      const event = parseSseBlock(block)
      return event === null ? [] : decoder.push(event)
    })
    return events.flatMap(e => (e.type === 'tool_call_start' ? [e.id] : []))
  }
  const bodyId = (responseId?: string): string | undefined => {
    const body = { candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] }, finishReason: 'STOP', index: 0 }], ...(responseId !== undefined ? { responseId } : {}) }
    const call = adapters.gemini.upstream.decodeResponse(body).parts[0]
    return call?.type === 'tool_call' ? call.id : undefined
  }

  it('differ between responses, stay the same for one response, in streams and in bodies', () => {
    const first = streamIds(turn('resp-a'))
    const second = streamIds(turn('resp-b'))
    expect(first).toEqual([expect.stringMatching(/^call_[0-9a-f]{8}_0$/), expect.stringMatching(/^call_[0-9a-f]{8}_1$/)])
    expect(new Set([...first, ...second]).size).toBe(4)
    expect(streamIds(turn('resp-a'))).toEqual(first)
    expect(bodyId('resp-a')).toMatch(/^call_[0-9a-f]{8}_0$/)
    expect(bodyId('resp-a')).not.toBe(bodyId('resp-b'))
    // Without a responseId the tag is random: two answers still differ.
    expect(bodyId()).not.toBe(bodyId())
  })

  it.each(['openai-chat', 'openai-responses', 'anthropic'] as const)('let a two-turn Gemini conversation held by a %s client go to Anthropic without duplicate tool_use ids', client => {
    const turnRequest = (responseId: string): CanonicalRequest => {
      const answer = assembleStream(client, convertStream('gemini', client, turn(responseId), clientRequest(client, { streamUsage: true }))).body
      return parse(client, followUp(client, answer))
    }
    const [first, second] = [turnRequest('resp-turn-1'), turnRequest('resp-turn-2')]
    const body = buildUpstream('anthropic', { ...second, messages: [...first.messages, ...second.messages] })
    checkUpstreamRequest('anthropic', body)
    expect(new Set(upstreamCallIds('anthropic', body)).size).toBe(4)
  })

  it('are made per request for a Gemini client history without ids, the same each time, never one the history already uses', () => {
    const call = (name: string, id?: string) => ({ functionCall: { ...(id !== undefined ? { id } : {}), name, args: {} } })
    const answer = (name: string, id?: string) => ({ functionResponse: { ...(id !== undefined ? { id } : {}), name, response: { result: 'ok' } } })
    const history = {
      contents: [
        { role: 'user', parts: [{ text: 'go' }] },
        { role: 'model', parts: [call('a'), call('b', 'call_0')] },
        { role: 'user', parts: [answer('a'), answer('b', 'call_0')] },
        { role: 'model', parts: [call('c', 'call_1'), call('d')] },
        { role: 'user', parts: [answer('c', 'call_1'), answer('d')] }
      ]
    }
    const ids = (request: CanonicalRequest): string[] => request.messages.flatMap(m => m.parts.flatMap(p => (p.type === 'tool_call' ? [p.id] : [])))
    const parsed = parse('gemini', history)
    expect(ids(parsed)).toEqual(['call_2', 'call_0', 'call_1', 'call_3'])
    expect(ids(parse('gemini', history))).toEqual(ids(parsed))
    const body = buildUpstream('anthropic', parsed)
    checkUpstreamRequest('anthropic', body)
    expect(upstreamCallIds('anthropic', body)).toEqual(ids(parsed))
  })
})

describe('fix: Anthropic redacted_thinking carried by a client of another protocol', () => {
  const REDACTED = [
    { kind: 'stream', file: 'upstream-server-tools.sse', data: 'EmwKAhgBEgy3redacted==' },
    { kind: 'body', file: 'upstream-message.json', data: 'EmwKredacted-full==' }
  ] as const

  it.each(['openai-responses', 'gemini'] as const)('comes back to Anthropic as redacted_thinking through a %s client (stream and body)', client => {
    for (const { kind, file, data } of REDACTED) {
      const payload = fixture('anthropic', file)
      const out = kind === 'stream' ? convertStream('anthropic', client, payload) : convertBody('anthropic', client, JSON.parse(payload))
      const answer = typeof out === 'string' ? readStream(client, out) : readBody(client, out)
      // The client holds it sealed and marked redacted (Responses encrypted_content, Gemini thoughtSignature).
      expect(answer.artefacts).toContain(`cuttle1.anthropic.r.${data}`)
      const assembled = typeof out === 'string' ? assembleStream(client, out).body : isJson(out) ? out : {}
      const body = buildUpstream('anthropic', parse(client, followUp(client, assembled)))
      checkUpstreamRequest('anthropic', body)
      expect(upstreamArtefacts('anthropic', body).reasoning).toContainEqual({ type: 'redacted_thinking', data })
      expect(JSON.stringify(body)).not.toContain(`"signature":"${data}"`)
    }
  })
})

describe('fix: images by file id', () => {
  const FROM_ANTHROPIC = parse('anthropic', {
    model: CLIENT_MODEL,
    max_tokens: 1024,
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'What is on this screenshot?' }, { type: 'image', source: { type: 'file', file_id: 'file_011' } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'zoom', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'zoomed' }, { type: 'image', source: { type: 'file', file_id: 'file_012' } }] }] }
    ]
  })
  const FROM_RESPONSES = parse('openai-responses', {
    model: CLIENT_MODEL,
    input: [
      { role: 'user', content: [{ type: 'input_text', text: 'What is on this screenshot?' }, { type: 'input_image', file_id: 'file-img1' }] },
      { type: 'function_call', call_id: 'call_1', name: 'zoom', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: [{ type: 'input_text', text: 'zoomed' }, { type: 'input_image', file_id: 'file-img2' }] }
    ]
  })

  it('are images in canonical form, in user content and in tool results', () => {
    for (const [request, ids] of [
      [FROM_ANTHROPIC, ['file_011', 'file_012']],
      [FROM_RESPONSES, ['file-img1', 'file-img2']]
    ] as const) {
      const images = request.messages.flatMap(m => m.parts.flatMap(p => (p.type === 'image' ? [p] : p.type === 'tool_result' ? p.content.filter(c => c.type === 'image') : [])))
      expect(images.map(i => i.source)).toEqual(ids.map(fileId => ({ kind: 'file_id', fileId })))
      expect(request.messages.some(m => m.parts.some(p => p.type === 'file'))).toBe(false)
    }
  })

  it('go to a Responses upstream as input_image file_id', () => {
    const input = buildUpstream('openai-responses', FROM_ANTHROPIC).input
    expect(input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is on this screenshot?' }, { type: 'input_image', file_id: 'file_011', detail: 'auto' }] },
      { type: 'function_call', call_id: 'toolu_1', name: 'zoom', arguments: '{}' },
      { type: 'function_call_output', call_id: 'toolu_1', output: [{ type: 'input_text', text: 'zoomed' }, { type: 'input_image', file_id: 'file_012', detail: 'auto' }] }
    ])
  })

  it.each(['openai-chat', 'anthropic', 'gemini'] as const)('are dropped for a %s upstream, the rest of each message kept', upstream => {
    for (const request of [FROM_ANTHROPIC, FROM_RESPONSES]) {
      if (upstream === 'anthropic' && request === FROM_ANTHROPIC) continue
      const body = buildUpstream(upstream, request)
      checkUpstreamRequest(upstream, body)
      const json = JSON.stringify(body)
      expect(json).not.toMatch(/file_01|file-img|image/)
      expect(json).toContain('What is on this screenshot?')
      expect(json).toContain('zoomed')
    }
  })
})
