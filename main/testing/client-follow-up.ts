/**
 * The next request a client of each protocol sends after a tool-calling answer: the question,
 * the assistant turn replayed as the client keeps it (message, output items, content blocks,
 * parts — artefacts and ids included), and one result per tool call, in the client's format.
 * It asks for reasoning, so an Anthropic upstream decides whether thinking may stay on.
 */
import type { Protocol } from '../relay/canonical/request'
import { isJson, obj, objs, text, type Json } from './client-answers'
import { CLIENT_MODEL } from './conversion-relay'

/** The result every call gets. */
const RESULT = 'the result'

const QUESTION = 'Look it up, please.'

function chat(answer: Json): Json {
  const message = obj(objs(answer, 'choices')[0], 'message')
  const results = objs(message, 'tool_calls').map(call => ({ role: 'tool', tool_call_id: text(call, 'id'), content: RESULT }))
  return { model: CLIENT_MODEL, stream: false, reasoning_effort: 'high', messages: [{ role: 'user', content: QUESTION }, message, ...results] }
}

function responses(answer: Json): Json {
  const output = objs(answer, 'output')
  // Codex replays every output item it recorded (reasoning with encrypted_content included) and answers each call.
  const results = output.flatMap(item => {
    if (item.type === 'function_call') return [{ type: 'function_call_output', call_id: text(item, 'call_id'), output: RESULT }]
    if (item.type === 'custom_tool_call') return [{ type: 'custom_tool_call_output', call_id: text(item, 'call_id'), output: RESULT }]
    return []
  })
  return {
    model: CLIENT_MODEL,
    stream: false,
    store: false,
    include: ['reasoning.encrypted_content'],
    reasoning: { effort: 'high', summary: 'auto' },
    input: [{ role: 'user', content: QUESTION }, ...output, ...results]
  }
}

function anthropic(answer: Json): Json {
  const content = objs(answer, 'content')
  const results = content.flatMap(b => (b.type === 'tool_use' ? [{ type: 'tool_result', tool_use_id: text(b, 'id'), content: RESULT }] : []))
  return {
    model: CLIENT_MODEL,
    max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 2048 },
    messages: [
      { role: 'user', content: QUESTION },
      { role: 'assistant', content },
      { role: 'user', content: results }
    ]
  }
}

function gemini(answer: Json): Json {
  const parts = objs(obj(objs(answer, 'candidates')[0], 'content'), 'parts')
  const results = parts.flatMap(p => {
    const call = isJson(p.functionCall) ? p.functionCall : null
    return call === null ? [] : [{ functionResponse: { id: text(call, 'id'), name: text(call, 'name'), response: { result: RESULT } } }]
  })
  return {
    contents: [
      { role: 'user', parts: [{ text: QUESTION }] },
      { role: 'model', parts },
      { role: 'user', parts: results }
    ],
    generationConfig: { thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 } }
  }
}

/** The request body a client of `protocol` sends after `answer` (a body of its protocol). */
export function followUp(protocol: Protocol, answer: Json): Json {
  switch (protocol) {
    case 'openai-chat':
      return chat(answer)
    case 'openai-responses':
      return responses(answer)
    case 'anthropic':
      return anthropic(answer)
    case 'gemini':
      return gemini(answer)
  }
}
