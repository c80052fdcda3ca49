/**
 * docs/protocols.md §4 cases about tools, as pair tests: long MCP tool names (#16) and the tool
 * list a function-only upstream gets (#32), asserted on the bodies built for the upstream and on
 * what the client of the other protocol gets back.
 */
import { describe, expect, it } from 'vitest'
import type { CanonicalRequest, Protocol } from './canonical/request'
import { portableToolName } from './canonical/tool-names'
import { obj, objs, readBody } from '../testing/client-answers'
import { readStream } from '../testing/client-streams'
import { fixture } from '../testing/conversion-fixtures'
import { adapters, buildUpstream, clientRequest, CLIENT_MODEL, convertBody, convertStream, PAIRS, PROTOCOLS, randomPieces } from '../testing/conversion-relay'
import { checkUpstreamRequest } from '../testing/upstream-request-checks'

/** A Claude Code MCP tool name of 80 characters. */
const LONG = 'mcp__github-enterprise__search_repositories_with_advanced_filters_and_sorting_v2'

/** Each upstream's recorded tool-calling answers (stream, body) and the tool name each one calls. */
const CALLING: Readonly<Record<Protocol, Array<{ file: string; name: string }>>> = {
  'openai-chat': [
    { file: 'stream-parallel-tools.sse', name: 'get_weather' },
    { file: 'response-tools.json', name: 'get_weather' }
  ],
  'openai-responses': [
    { file: 'upstream-reasoning-text-tools.sse', name: 'get_weather' },
    { file: 'upstream-response.json', name: 'get_weather' }
  ],
  anthropic: [
    { file: 'upstream-thinking-tools.sse', name: 'Read' },
    { file: 'upstream-message.json', name: 'get_weather' }
  ],
  gemini: [
    { file: 'stream-parallel-calls.sse', name: 'get_weather' },
    { file: 'response-tools.json', name: 'read_file' }
  ]
}

/** Every tool name a built body mentions: definitions, forced choices, calls and results. */
function toolNames(body: Record<string, unknown>): string[] {
  const names: string[] = []
  JSON.stringify(body, (key, value: unknown) => {
    if (key === 'name' && typeof value === 'string') names.push(value)
    return value
  })
  return names
}

describe('§4 #16: an 80-character MCP tool name', () => {
  const upstreamName = portableToolName(LONG)
  const request = (client: Protocol, stream: boolean): CanonicalRequest =>
    clientRequest(client, {
      stream,
      streamUsage: true,
      tools: [{ name: LONG, kind: 'function', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
      toolChoice: { type: 'tool', name: LONG },
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Search.' }] },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'toolu_h1', name: LONG, arguments: '{"q":"cuttle"}', kind: 'function' }] },
        { role: 'user', parts: [{ type: 'tool_result', callId: 'toolu_h1', name: LONG, content: [{ type: 'text', text: '3 repos' }], isError: false }] }
      ]
    })

  it('is shortened to one valid name of at most 64 characters for every upstream', () => {
    expect(upstreamName.length).toBeLessThanOrEqual(64)
    expect(upstreamName).toMatch(/^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/)
    for (const upstream of PROTOCOLS) {
      const body = buildUpstream(upstream, request('anthropic', false))
      checkUpstreamRequest(upstream, body)
      expect(JSON.stringify(body)).not.toContain(LONG)
      const names = toolNames(body)
      expect(names.length).toBeGreaterThan(1)
      expect(new Set(names)).toEqual(new Set([upstreamName]))
    }
  })

  it.each(PAIRS)('comes back whole to a $client client from a $upstream upstream, streamed and not', ({ upstream, client }) => {
    // The upstream calls the tool by the name it was given.
    const [stream, body] = CALLING[upstream].map(({ file, name }) => fixture(upstream, file).replaceAll(`"${name}"`, `"${upstreamName}"`))
    const answers = [
      readStream(client, convertStream(upstream, client, stream ?? '', request(client, true), randomPieces(5))),
      readBody(client, convertBody(upstream, client, JSON.parse(body ?? '{}'), request(client, false)))
    ]
    for (const answer of answers) {
      expect(answer.calls.length).toBeGreaterThan(0)
      expect(answer.calls.map(call => call.name)).toEqual(answer.calls.map(() => LONG))
    }
  })
})

describe('§4 #32: allowed tools, hosted tools and tools without a schema', () => {
  const parse = (client: Protocol, body: Record<string, unknown>): CanonicalRequest => adapters[client].client.parseRequest(body, { model: CLIENT_MODEL, stream: false })
  const chatTool = (name: string): Record<string, unknown> => ({ type: 'function', function: { name, parameters: { type: 'object', properties: { x: { type: 'string' } } } } })
  const allowedRequests: Array<[string, 'auto' | 'any', CanonicalRequest]> = [
    ['Chat auto', 'auto', parse('openai-chat', { messages: [{ role: 'user', content: 'hi' }], tools: [chatTool('a'), chatTool('b')], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'a' } }] } } })],
    [
      'Responses required',
      'any',
      parse('openai-responses', {
        model: CLIENT_MODEL,
        input: 'hi',
        tools: [{ type: 'function', name: 'a', parameters: { type: 'object' } }, { type: 'function', name: 'b', parameters: { type: 'object' } }, { type: 'web_search' }],
        tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'a' }] }
      })
    ],
    [
      'Gemini AUTO with allowedFunctionNames',
      'auto',
      parse('gemini', { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], tools: [{ functionDeclarations: [{ name: 'a' }, { name: 'b' }] }], toolConfig: { functionCallingConfig: { mode: 'AUTO', allowedFunctionNames: ['a'] } } })
    ]
  ]

  it.each(allowedRequests)('allowed_tools [a] from a %s client → Anthropic tools [a] with %s', (_label, mode, request) => {
    const body = buildUpstream('anthropic', request)
    checkUpstreamRequest('anthropic', body)
    expect(objs(body, 'tools').map(t => t.name)).toEqual(['a'])
    expect(body.tool_choice).toEqual({ type: mode })
    // Gemini likewise: a filtered list (auto) or ANY restricted to the allowed names (required).
    const gemini = buildUpstream('gemini', request)
    const declared = objs(objs(gemini, 'tools')[0], 'functionDeclarations').map(d => d.name)
    if (mode === 'auto') expect(declared).toEqual(['a'])
    else expect(obj(gemini, 'toolConfig').functionCallingConfig).toEqual({ mode: 'ANY', allowedFunctionNames: ['a'] })
  })

  it('drops the hosted tools of Codex and Claude Code for every upstream that is not their own', () => {
    const codex = parse('openai-responses', JSON.parse(fixture('openai-responses', 'codex-request.json')))
    const claude = parse('anthropic', JSON.parse(fixture('anthropic', 'claude-code-request.json')))
    const hostedOnly = parse('openai-responses', { model: CLIENT_MODEL, input: 'hi', tools: [{ type: 'web_search' }, { type: 'local_shell' }], tool_choice: { type: 'web_search' } })
    for (const upstream of ['openai-chat', 'anthropic', 'gemini'] as const) {
      const names = toolNames({ tools: buildUpstream(upstream, codex).tools })
      expect(names).toEqual(['shell', 'apply_patch'])
      const bare = buildUpstream(upstream, hostedOnly)
      checkUpstreamRequest(upstream, bare)
      expect(bare.tools).toBeUndefined()
      expect(JSON.stringify(bare)).not.toMatch(/web_search|local_shell|tool_choice|toolConfig/)
    }
    for (const upstream of ['openai-chat', 'openai-responses', 'gemini'] as const) expect(toolNames({ tools: buildUpstream(upstream, claude).tools })).toEqual(['Bash', 'Read'])
  })

  it('gives every tool an object schema before it reaches a function-only upstream', () => {
    const chat = parse('openai-chat', { messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'no_params' } }] })
    const responses = parse('openai-responses', {
      model: CLIENT_MODEL,
      input: 'hi',
      tools: [{ type: 'function', name: 'no_params' }, { type: 'custom', name: 'apply_patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } }]
    })
    for (const request of [chat, responses]) {
      for (const upstream of ['openai-chat', 'anthropic', 'gemini'] as const) {
        const body = buildUpstream(upstream, request)
        checkUpstreamRequest(upstream, body)
        const schemas = JSON.stringify(body.tools).match(/"(input_schema|parameters)":\{"type":"object"/g) ?? []
        expect(schemas).toHaveLength(request.tools.length)
      }
    }
  })
})
