import type { EncodeContext } from '../protocol-adapter'
import { toolChoice, wireTool } from './request-build'
import type { JsonObject } from './types'

/**
 * The response object's fixed fields (docs/protocols.md §3.4 C): status in_progress, no output,
 * `usage: null`, and the request's settings echoed as the API echoes them.
 */
export function responseShell(ctx: EncodeContext, id: string): JsonObject {
  const { request } = ctx
  const instructions = request.system.filter(s => s.origin === 'instructions').map(s => s.text)
  const format = request.responseFormat
  return {
    id,
    object: 'response',
    created_at: Math.floor(ctx.createdAt / 1000),
    status: 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: instructions.length > 0 ? instructions.join('\n\n') : null,
    max_output_tokens: request.generation.maxOutputTokens,
    model: ctx.clientModel,
    output: [],
    parallel_tool_calls: request.parallelToolCalls ?? true,
    previous_response_id: null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    store: false,
    temperature: request.generation.temperature,
    text: { format: format.type === 'json_schema' ? { ...format, type: 'json_schema' } : { type: format.type } },
    tool_choice: toolChoice(request.toolChoice, request.tools) ?? 'auto',
    tools: request.tools.map(wireTool),
    top_p: request.generation.topP,
    truncation: 'disabled',
    usage: null,
    metadata: {}
  }
}
