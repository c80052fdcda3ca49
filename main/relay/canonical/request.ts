import type { ChannelType } from '@shared/constants/protocol'
import type { Opaque } from './opaque'

/** One of the four wire protocols; a client speaks one, a channel speaks one. */
export type Protocol = ChannelType

/**
 * The canonical request every protocol converts to and from (docs/protocols.md §3.1). It keeps
 * what survives a conversion; a same-protocol request never goes through it (pass-through).
 */
export interface CanonicalRequest {
  /** The model name as the client sent it (a group or a model a channel lists). */
  model: string
  stream: boolean
  /** Leading system / developer instructions, in order; an empty list means none. */
  system: SystemSegment[]
  messages: Message[]
  tools: ToolDefinition[]
  /** null: the client did not say (each protocol's default, normally auto). */
  toolChoice: ToolChoice | null
  /** null: the client did not say. */
  parallelToolCalls: boolean | null
  generation: Generation
  responseFormat: ResponseFormat
  /** null: the client asked nothing about reasoning. */
  reasoning: ReasoningRequest | null
  /** End-user or session identity (`metadata.user_id`, `safety_identifier`, `user`). */
  user: string | null
  /** OpenAI `prompt_cache_key`, kept so caching stays stable across conversions. */
  promptCacheKey: string | null
  /** The client asked for usage in the stream (Chat `stream_options.include_usage`); others always get it. */
  streamUsage: boolean
}

/** Where a system text came from; a Responses `instructions` string is its own origin. */
export interface SystemSegment {
  text: string
  origin: 'system' | 'developer' | 'instructions'
  /** Anthropic `cache_control` was set on it. */
  cache: boolean
}

/**
 * One turn. Tool results are parts of a `user` turn, as Anthropic and Gemini carry them; the
 * Chat and Responses adapters split them into their own messages / items and join them back.
 * `system` is a system or developer message in the middle of the conversation.
 */
export interface Message {
  role: 'user' | 'assistant' | 'system'
  /** In the client's order (Anthropic interleaves text and tool calls). */
  parts: Part[]
}

export type Part = TextPart | ImagePart | FilePart | ToolCallPart | ToolResultPart | ReasoningPart | RefusalPart

export interface TextPart {
  type: 'text'
  text: string
  /** Anthropic `cache_control` breakpoint on this block. */
  cache?: boolean
}

/** An image by URL (`https:` or `data:`), as base64 bytes, or by the id of an uploaded file. */
export interface ImagePart {
  type: 'image'
  source: MediaSource | FileIdSource
  /** OpenAI `detail`. */
  detail?: 'auto' | 'low' | 'high'
}

/** A document (PDF and similar). */
export interface FilePart {
  type: 'file'
  source: MediaSource | FileIdSource
  filename?: string
}

export type MediaSource = { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string }

/**
 * A file in a provider's file store (OpenAI Files, Anthropic Files API). The id means nothing to
 * another provider, so builders send it only where the target can take a file id.
 */
export interface FileIdSource {
  kind: 'file_id'
  fileId: string
}

/**
 * A tool call made by the assistant. `arguments` is JSON text (Chat and Responses carry it as a
 * string; Anthropic and Gemini as an object, which their adapters stringify / parse). For a
 * free-form (`custom`) tool, `arguments` is the raw input text instead.
 */
export interface ToolCallPart {
  type: 'tool_call'
  id: string
  name: string
  arguments: string
  kind: 'function' | 'custom'
  /** Gemini `thoughtSignature` riding on a functionCall part. */
  opaque?: Opaque
}

/** The result of one tool call, matched by id. */
export interface ToolResultPart {
  type: 'tool_result'
  callId: string
  /** Known when the protocol says it (Gemini needs it; Chat and Anthropic do not carry it). */
  name?: string
  /** Text and images; a plain string result is one text part. */
  content: Array<TextPart | ImagePart>
  isError: boolean
  /** The call was a free-form (`custom`) tool (Responses `custom_tool_call_output`). */
  custom?: boolean
}

/**
 * Reasoning the model produced. `text` is the readable thinking or summary; `opaque` is what
 * must go back byte-identical to the provider that minted it (Anthropic signature, redacted
 * thinking, Responses encrypted_content, Gemini thoughtSignature) and nowhere else. Anthropic
 * `redacted_thinking` has no text and an opaque marked `redacted`.
 */
export interface ReasoningPart {
  type: 'reasoning'
  text: string
  opaque?: Opaque
  /** Responses reasoning item id (`rs_…`), replayed only to a Responses upstream. */
  id?: string
}

export interface RefusalPart {
  type: 'refusal'
  text: string
}

/** A tool the model may call. */
export interface ToolDefinition {
  name: string
  description?: string
  /** JSON Schema of the arguments (`{type:"object", …}`); for `custom` tools, unused. */
  parameters: Record<string, unknown>
  kind: 'function' | 'custom'
  strict?: boolean
  /** Responses custom tool `format` (grammar), kept for a Responses upstream. */
  customFormat?: Record<string, unknown>
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string }
  | { type: 'allowed'; names: string[]; mode: 'auto' | 'required' }

export interface Generation {
  maxOutputTokens: number | null
  temperature: number | null
  topP: number | null
  topK: number | null
  stop: string[]
  seed: number | null
  presencePenalty: number | null
  frequencyPenalty: number | null
  /** Number of choices (Chat `n`, Gemini `candidateCount`); null = 1. */
  n: number | null
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict: boolean; description?: string }

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max'

/** What the client asked of reasoning, in whichever terms its protocol has. */
export interface ReasoningRequest {
  effort?: ReasoningEffort
  /** Anthropic `budget_tokens` / Gemini `thinkingBudget` (-1 = dynamic). */
  budgetTokens?: number
  /** Anthropic `thinking.type: adaptive`. */
  adaptive?: boolean
  /** Responses `reasoning.summary`. */
  summary?: 'auto' | 'concise' | 'detailed'
  /** The client wants the thinking text back (Gemini `includeThoughts`, Anthropic thinking on). */
  includeThoughts?: boolean
}

/** A request with nothing in it, for building canonical requests field by field. */
export function emptyRequest(model: string, stream: boolean): CanonicalRequest {
  return {
    model,
    stream,
    system: [],
    messages: [],
    tools: [],
    toolChoice: null,
    parallelToolCalls: null,
    generation: {
      maxOutputTokens: null,
      temperature: null,
      topP: null,
      topK: null,
      stop: [],
      seed: null,
      presencePenalty: null,
      frequencyPenalty: null,
      n: null
    },
    responseFormat: { type: 'text' },
    reasoning: null,
    user: null,
    promptCacheKey: null,
    streamUsage: false
  }
}
