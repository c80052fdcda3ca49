/**
 * What each upstream API certainly rejects, as checks on the bodies Cuttle builds
 * (docs/protocols.md §7 invariants 4, 5 and 7): tool calls and results paired (adjacent for
 * Anthropic, equal counts for Gemini), no empty text blocks, valid tool names and schemas, no
 * sampling or thinking combination the API refuses, and no artefact of another provider.
 */
import { expect } from 'vitest'
import type { Protocol } from '../relay/canonical/request'
import { count, isJson, obj, objs, text, type Json } from './client-answers'

/** OpenAI and Anthropic tool names. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/
/** Gemini function names: a letter or underscore first. */
const GEMINI_NAME = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/
/** Schema keywords Gemini's `parameters` (OpenAPI subset) rejects (§3.5 item 10, §4 case 14). */
const GEMINI_BANNED = ['$schema', '$id', '$ref', '$defs', 'definitions', 'additionalProperties', 'propertyNames', 'patternProperties', 'const', 'exclusiveMinimum', 'exclusiveMaximum', 'if', 'then', 'else', 'examples']

/** Every key of a JSON tree that names a schema keyword (property names under `properties` are data, not keywords). */
function schemaKeys(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(schemaKeys)
  if (!isJson(schema)) return []
  return Object.entries(schema).flatMap(([key, value]) =>
    key === 'properties' && isJson(value) ? Object.values(value).flatMap(schemaKeys) : [key, ...schemaKeys(value)]
  )
}

/** Tool call ids a message list calls, by message index, and the ids the next message answers. */
function expectPaired(calls: string[][], results: string[][]): void {
  calls.forEach((ids, i) => {
    if (ids.length === 0) return
    // The message right after a tool-calling turn answers exactly its calls (§4 case 18, §7 invariant 4).
    expect(new Set(results[i + 1] ?? [])).toEqual(new Set(ids))
    expect(results[i + 1]).toHaveLength(ids.length)
  })
  results.forEach((ids, i) => {
    if (ids.length > 0) expect(new Set(calls[i - 1] ?? [])).toEqual(new Set(ids))
  })
}

function checkAnthropic(body: Json): void {
  expect(body.max_tokens).toEqual(expect.any(Number))
  const messages = objs(body, 'messages')
  expect(messages[0]?.role).toBe('user')
  messages.forEach((m, i) => i > 0 && expect(m.role).not.toBe(messages[i - 1]?.role))
  for (const block of [...objs(body, 'system'), ...messages.flatMap(m => objs(m, 'content'))]) {
    if (block.type === 'text') expect(text(block, 'text').trim()).not.toBe('')
    if (block.type === 'thinking') expect(text(block, 'signature')).not.toBe('')
    if (block.type === 'image') expect(['base64', 'url']).toContain(obj(block, 'source').type)
  }
  const calls = messages.map(m => objs(m, 'content').flatMap(b => (b.type === 'tool_use' ? [text(b, 'id')] : [])))
  const results = messages.map(m => objs(m, 'content').flatMap(b => (b.type === 'tool_result' ? [text(b, 'tool_use_id')] : [])))
  expectPaired(calls, results)
  const allCalls = calls.flat()
  expect(new Set(allCalls).size).toBe(allCalls.length)
  for (const id of allCalls) expect(id).toMatch(/^[a-zA-Z0-9_-]+$/)
  // Tool results come first in their message.
  for (const m of messages) {
    const types = objs(m, 'content').map(b => b.type)
    expect(types.slice(0, types.filter(t => t === 'tool_result').length).every(t => t === 'tool_result')).toBe(true)
  }
  for (const tool of objs(body, 'tools')) {
    expect(text(tool, 'name')).toMatch(TOOL_NAME)
    expect(obj(tool, 'input_schema').type).toBe('object')
  }
  if (body.temperature !== undefined) {
    expect(body.top_p).toBeUndefined()
    expect(Number(body.temperature)).toBeLessThanOrEqual(1)
  }
  const thinking = obj(body, 'thinking')
  if (thinking.type === 'enabled' || thinking.type === 'adaptive') {
    expect(['any', 'tool']).not.toContain(obj(body, 'tool_choice').type)
    expect(body.temperature).toBeUndefined()
    if (thinking.type === 'enabled') expect(count(thinking, 'budget_tokens')).toBeLessThan(count(body, 'max_tokens'))
    // The assistant turn of an open tool loop must start with its own signed thinking (§3.5 item 3).
    const last = messages.findLastIndex(m => m.role === 'assistant')
    if (last !== -1 && (results[last + 1] ?? []).length > 0) expect(['thinking', 'redacted_thinking']).toContain(objs(messages[last], 'content')[0]?.type)
  }
}

function checkGemini(body: Json): void {
  const contents = objs(body, 'contents')
  for (const content of contents) {
    expect(['user', 'model']).toContain(content.role)
    expect(objs(content, 'parts').length).toBeGreaterThan(0)
  }
  const parts = contents.map(c => objs(c, 'parts'))
  const calls = parts.map(ps => ps.flatMap(p => (isJson(p.functionCall) ? [text(p.functionCall, 'id')] : [])))
  const results = parts.map(ps => ps.flatMap(p => (isJson(p.functionResponse) ? [text(p.functionResponse, 'id')] : [])))
  expectPaired(calls, results)
  for (const part of parts.flat()) {
    if (isJson(part.functionCall)) {
      expect(text(part.functionCall, 'name')).toMatch(GEMINI_NAME)
      // Gemini 3 rejects a historical call without a signature: its own, or the documented sentinel.
      expect(text(part, 'thoughtSignature')).not.toBe('')
    }
    if (isJson(part.functionResponse)) {
      expect(text(part.functionResponse, 'name')).toMatch(GEMINI_NAME)
      expect(isJson(part.functionResponse.response)).toBe(true)
    }
  }
  for (const declaration of objs(body, 'tools').flatMap(t => objs(t, 'functionDeclarations'))) {
    expect(text(declaration, 'name')).toMatch(GEMINI_NAME)
    expect(obj(declaration, 'parameters').type).toBe('object')
    for (const key of schemaKeys(declaration.parameters)) expect(GEMINI_BANNED).not.toContain(key)
  }
  const stops = obj(body, 'generationConfig').stopSequences
  if (Array.isArray(stops)) expect(stops.length).toBeLessThanOrEqual(5)
}

function checkChat(body: Json): void {
  const messages = objs(body, 'messages')
  const calls = messages.map(m => (m.role === 'assistant' ? objs(m, 'tool_calls').map(c => text(c, 'id')) : []))
  // A run of tool messages answers the assistant message right before it.
  messages.forEach((m, i) => {
    if (m.role !== 'tool') return
    let at = i - 1
    while (messages[at]?.role === 'tool') at -= 1
    expect(calls[at] ?? []).toContain(text(m, 'tool_call_id'))
  })
  calls.forEach((ids, i) => {
    if (messages[i]?.role !== 'assistant') return
    const answered = messages.slice(i + 1).filter((m, j, rest) => m.role === 'tool' && rest.slice(0, j).every(r => r.role === 'tool'))
    expect(answered.map(m => text(m, 'tool_call_id')).sort()).toEqual([...ids].sort())
  })
  for (const tool of objs(body, 'tools')) {
    expect(tool.type).toBe('function')
    expect(text(obj(tool, 'function'), 'name')).toMatch(TOOL_NAME)
    expect(obj(obj(tool, 'function'), 'parameters').type).toBe('object')
  }
  if (Array.isArray(body.stop)) expect(body.stop.length).toBeLessThanOrEqual(4)
}

function checkResponses(body: Json): void {
  const items = objs(body, 'input')
  const calls = items.flatMap(item => (item.type === 'function_call' || item.type === 'custom_tool_call' ? [text(item, 'call_id')] : []))
  const outputs = items.flatMap(item => (item.type === 'function_call_output' || item.type === 'custom_tool_call_output' ? [text(item, 'call_id')] : []))
  expect(new Set(outputs)).toEqual(new Set(calls))
  for (const item of items) {
    if (item.type === 'reasoning') expect(text(item, 'encrypted_content')).not.toBe('')
    if (item.type === 'reasoning' && item.id !== undefined) expect(text(item, 'id')).toMatch(/^rs_/)
  }
  for (const tool of objs(body, 'tools')) {
    expect(['function', 'custom']).toContain(tool.type)
    expect(text(tool, 'name')).toMatch(TOOL_NAME)
    if (tool.type === 'function') expect(obj(tool, 'parameters').type).toBe('object')
  }
}

/** Checks a body built for an upstream of `protocol` against what that API certainly rejects. */
export function checkUpstreamRequest(protocol: Protocol, body: Record<string, unknown>): void {
  // Envelopes and id-borne artefacts are for clients; no upstream ever gets one (§7 invariant 5).
  expect(JSON.stringify(body)).not.toMatch(/cuttle1\.|__cx1_/)
  switch (protocol) {
    case 'anthropic':
      return checkAnthropic(body)
    case 'gemini':
      return checkGemini(body)
    case 'openai-chat':
      return checkChat(body)
    case 'openai-responses':
      return checkResponses(body)
  }
}

/** The tool call ids of a body built for `protocol`, in order. */
export function upstreamCallIds(protocol: Protocol, body: Record<string, unknown>): string[] {
  switch (protocol) {
    case 'anthropic':
      return objs(body, 'messages').flatMap(m => objs(m, 'content').flatMap(b => (b.type === 'tool_use' ? [text(b, 'id')] : [])))
    case 'gemini':
      return objs(body, 'contents').flatMap(c => objs(c, 'parts').flatMap(p => (isJson(p.functionCall) ? [text(p.functionCall, 'id')] : [])))
    case 'openai-chat':
      return objs(body, 'messages').flatMap(m => objs(m, 'tool_calls').map(c => text(c, 'id')))
    case 'openai-responses':
      return objs(body, 'input').flatMap(i => (i.type === 'function_call' || i.type === 'custom_tool_call' ? [text(i, 'call_id')] : []))
  }
}

/**
 * The reasoning artefacts a body built for `protocol` sends back, in order: Anthropic thinking
 * blocks and redacted data, Responses encrypted_content, Gemini thoughtSignatures (on thoughts
 * and on calls apart).
 */
export function upstreamArtefacts(protocol: Protocol, body: Record<string, unknown>): { reasoning: Json[]; calls: string[] } {
  switch (protocol) {
    case 'anthropic':
      return { reasoning: objs(body, 'messages').flatMap(m => objs(m, 'content').filter(b => b.type === 'thinking' || b.type === 'redacted_thinking')), calls: [] }
    case 'openai-responses':
      return { reasoning: objs(body, 'input').filter(i => i.type === 'reasoning'), calls: [] }
    case 'gemini': {
      const parts = objs(body, 'contents').flatMap(c => objs(c, 'parts'))
      return {
        reasoning: parts.filter(p => p.thought === true).map(p => ({ text: text(p, 'text'), thoughtSignature: text(p, 'thoughtSignature') })),
        calls: parts.flatMap(p => (isJson(p.functionCall) ? [text(p, 'thoughtSignature')] : []))
      }
    }
    case 'openai-chat':
      return { reasoning: [], calls: [] }
  }
}
