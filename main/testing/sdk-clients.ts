import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI, type Content, type FunctionCall } from '@google/genai'
import OpenAI from 'openai'
import type { ResponseInputItem } from 'openai/resources/responses/responses'
import type { Protocol } from '../relay/canonical/request'

/** What one official SDK got back from a turn of the weather conversation. */
export interface TurnResult {
  toolCall: { id: string | undefined; name: string; args: unknown } | null
  text: string
  /** Input tokens (cache included) and output tokens as the SDK reports them, converted to totals. */
  usage: { input: number; cached: number; output: number } | null
}

/** Runs the two turns of the weather conversation through one SDK. */
export interface SdkDriver {
  /** Asks for the weather with the tool offered. */
  ask(model: string, stream: boolean): Promise<TurnResult>
  /** Sends the tool result for `first`'s call and reads the final answer. */
  answer(model: string, stream: boolean, first: TurnResult): Promise<TurnResult>
}

const QUESTION = 'What is the weather in Paris?'
const TOOL_RESULT = { temperature: 22, sky: 'sunny' }
const PARAMETERS = { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, required: ['city'] }

const parseArgs = (text: string): unknown => (text === '' ? {} : JSON.parse(text))

/** The official SDK of `protocol`, pointed at Cuttle with a client key. */
export function sdkDriver(protocol: Protocol, baseUrl: string, key: string): SdkDriver {
  return { 'openai-chat': chatDriver, 'openai-responses': responsesDriver, anthropic: anthropicDriver, gemini: geminiDriver }[protocol](baseUrl, key)
}

function chatDriver(baseUrl: string, key: string): SdkDriver {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: key, maxRetries: 0 })
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather of a city', parameters: PARAMETERS } }]
  const run = async (model: string, stream: boolean, messages: OpenAI.ChatCompletionMessageParam[]): Promise<TurnResult> => {
    const completion = stream
      ? await client.chat.completions.stream({ model, messages, tools, stream_options: { include_usage: true } }).finalChatCompletion()
      : await client.chat.completions.create({ model, messages, tools })
    const message = completion.choices[0]?.message
    const call = message?.tool_calls?.[0]
    const u = completion.usage
    return {
      toolCall: call?.type === 'function' ? { id: call.id, name: call.function.name, args: parseArgs(call.function.arguments) } : null,
      text: message?.content ?? '',
      usage: u ? { input: u.prompt_tokens, cached: u.prompt_tokens_details?.cached_tokens ?? 0, output: u.completion_tokens } : null
    }
  }
  const question: OpenAI.ChatCompletionMessageParam = { role: 'user', content: QUESTION }
  return {
    ask: (model, stream) => run(model, stream, [question]),
    answer: (model, stream, first) => {
      const call = first.toolCall
      if (!call?.id) throw new Error('no tool call to answer')
      return run(model, stream, [
        question,
        { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }] },
        { role: 'tool', tool_call_id: call.id, content: JSON.stringify(TOOL_RESULT) }
      ])
    }
  }
}

function responsesDriver(baseUrl: string, key: string): SdkDriver {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: key, maxRetries: 0 })
  const tools = [{ type: 'function' as const, name: 'get_weather', description: 'Weather of a city', parameters: PARAMETERS, strict: false }]
  const run = async (model: string, stream: boolean, input: ResponseInputItem[]): Promise<TurnResult> => {
    const response = stream ? await client.responses.stream({ model, input, tools }).finalResponse() : await client.responses.create({ model, input, tools })
    const call = response.output.find(item => item.type === 'function_call')
    const u = response.usage
    return {
      toolCall: call?.type === 'function_call' ? { id: call.call_id, name: call.name, args: parseArgs(call.arguments) } : null,
      text: response.output_text,
      usage: u ? { input: u.input_tokens, cached: u.input_tokens_details.cached_tokens, output: u.output_tokens } : null
    }
  }
  const question: ResponseInputItem = { role: 'user', content: QUESTION }
  return {
    ask: (model, stream) => run(model, stream, [question]),
    answer: (model, stream, first) => {
      const call = first.toolCall
      if (!call?.id) throw new Error('no tool call to answer')
      return run(model, stream, [
        question,
        { type: 'function_call', call_id: call.id, name: call.name, arguments: JSON.stringify(call.args) },
        { type: 'function_call_output', call_id: call.id, output: JSON.stringify(TOOL_RESULT) }
      ])
    }
  }
}

function anthropicDriver(baseUrl: string, key: string): SdkDriver {
  const client = new Anthropic({ baseURL: baseUrl, apiKey: key, maxRetries: 0 })
  const tools = [{ name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object' as const, properties: PARAMETERS.properties, required: PARAMETERS.required } }]
  const run = async (model: string, stream: boolean, messages: Anthropic.MessageParam[]): Promise<TurnResult> => {
    const params = { model, max_tokens: 1024, messages, tools }
    const message = stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params)
    const call = message.content.find(block => block.type === 'tool_use')
    const text = message.content.map(block => (block.type === 'text' ? block.text : '')).join('')
    const u = message.usage
    const cached = u.cache_read_input_tokens ?? 0
    return {
      toolCall: call?.type === 'tool_use' ? { id: call.id, name: call.name, args: call.input } : null,
      text,
      usage: { input: u.input_tokens + cached + (u.cache_creation_input_tokens ?? 0), cached, output: u.output_tokens }
    }
  }
  const question: Anthropic.MessageParam = { role: 'user', content: QUESTION }
  return {
    ask: (model, stream) => run(model, stream, [question]),
    answer: (model, stream, first) => {
      const call = first.toolCall
      if (!call?.id) throw new Error('no tool call to answer')
      return run(model, stream, [
        question,
        { role: 'assistant', content: [{ type: 'tool_use', id: call.id, name: call.name, input: call.args }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: JSON.stringify(TOOL_RESULT) }] }
      ])
    }
  }
}

function geminiDriver(baseUrl: string, key: string): SdkDriver {
  const ai = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl } })
  const config = { tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather of a city', parametersJsonSchema: PARAMETERS }] }] }
  const run = async (model: string, stream: boolean, contents: Content[]): Promise<TurnResult> => {
    let calls: FunctionCall[] = []
    let text = ''
    let usage: TurnResult['usage'] = null
    const take = (r: { functionCalls?: FunctionCall[]; text?: string; usageMetadata?: { promptTokenCount?: number; cachedContentTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number } }): void => {
      calls = [...calls, ...(r.functionCalls ?? [])]
      text += r.text ?? ''
      const u = r.usageMetadata
      if (u) usage = { input: u.promptTokenCount ?? 0, cached: u.cachedContentTokenCount ?? 0, output: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0) }
    }
    if (stream) for await (const chunk of await ai.models.generateContentStream({ model, contents, config })) take(chunk)
    else take(await ai.models.generateContent({ model, contents, config }))
    const call = calls[0]
    return { toolCall: call?.name ? { id: call.id, name: call.name, args: call.args } : null, text, usage }
  }
  const question: Content = { role: 'user', parts: [{ text: QUESTION }] }
  return {
    ask: (model, stream) => run(model, stream, [question]),
    answer: (model, stream, first) => {
      const call = first.toolCall
      if (!call) throw new Error('no tool call to answer')
      const id = call.id === undefined ? {} : { id: call.id }
      return run(model, stream, [
        question,
        { role: 'model', parts: [{ functionCall: { ...id, name: call.name, args: call.args as Record<string, unknown> } }] },
        { role: 'user', parts: [{ functionResponse: { ...id, name: call.name, response: TOOL_RESULT } }] }
      ])
    }
  }
}
