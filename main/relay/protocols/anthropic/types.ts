/**
 * Wire types of the Anthropic Messages API. The request side reuses the official SDK's param
 * types; the answer side is narrowed to what Cuttle writes (the SDK's response types carry
 * newer fields, such as `caller` or `diagnostics`, that the relay has no value for).
 */
import type {
  Base64ImageSource,
  DocumentBlockParam,
  ImageBlockParam,
  MessageCreateParamsBase,
  RedactedThinkingBlockParam,
  StopReason,
  TextBlockParam,
  ThinkingBlockParam,
  Tool,
  ToolChoice,
  ToolResultBlockParam,
  ToolUseBlockParam
} from '@anthropic-ai/sdk/resources/messages'

/** The SDK's block and tool types this adapter builds, under one import path for the folder. */
export type { Base64ImageSource, DocumentBlockParam, ImageBlockParam, StopReason, TextBlockParam, Tool, ToolChoice, ToolResultBlockParam }

/** The protocol id of this adapter. */
export const ANTHROPIC = 'anthropic' as const

/** A content block Cuttle sends upstream. */
export type WireBlock =
  | TextBlockParam
  | ImageBlockParam
  | DocumentBlockParam
  | ToolUseBlockParam
  | ToolResultBlockParam
  | ThinkingBlockParam
  | RedactedThinkingBlockParam

/** One message of a request Cuttle builds (only user and assistant go upstream). */
export interface WireMessage {
  role: 'user' | 'assistant'
  content: WireBlock[]
}

/**
 * The request body Cuttle builds for an Anthropic upstream. The SDK snapshot no longer lists the
 * sampling fields, but the API documents them (docs/protocols.md §1.3) and clients send them.
 */
export type WireRequest = Omit<MessageCreateParamsBase, 'messages' | 'system' | 'tools'> & {
  messages: WireMessage[]
  system?: TextBlockParam[]
  tools?: Tool[]
  temperature?: number
  top_p?: number
  top_k?: number
  stream: boolean
}

/** The four usage counts an Anthropic client reads (input excludes cache reads and writes). */
export interface WireUsage {
  input_tokens: number
  output_tokens: number
  cache_creation_input_tokens: number
  cache_read_input_tokens: number
}

/** A content block of an answer Cuttle gives an Anthropic client. */
export type WireOutputBlock =
  | { type: 'text'; text: string; citations: null }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }

/** A non-streamed answer (`type: "message"`). */
export interface WireMessageResponse {
  id: string
  type: 'message'
  role: 'assistant'
  model: string
  content: WireOutputBlock[]
  stop_reason: StopReason | null
  stop_sequence: string | null
  usage: WireUsage
}

/** Anthropic's error body. */
export interface WireErrorBody {
  type: 'error'
  error: { type: string; message: string }
}
