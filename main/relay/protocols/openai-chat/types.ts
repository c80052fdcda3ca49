import type {
  ChatCompletion,
  ChatCompletionAssistantMessageParam,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionCreateParamsBase,
  ChatCompletionCustomTool,
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption
} from 'openai/resources/chat/completions'

export type {
  ChatCompletionContentPart,
  ChatCompletionCustomTool,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption
}

/** A message Cuttle sends upstream: the SDK's, or an assistant message with the `reasoning_content` extension (DeepSeek). */
export type ChatMessage = ChatCompletionMessageParam | (ChatCompletionAssistantMessageParam & { reasoning_content: string })

/** The request body Cuttle sends to a Chat upstream (`stream` a plain flag, messages with the extension). */
export type ChatRequestBody = Omit<ChatCompletionCreateParamsBase, 'stream' | 'messages'> & { stream?: boolean; messages: ChatMessage[] }

/** The assistant message of an answer, with the de-facto `reasoning_content` extension (DeepSeek, vLLM). */
export type ChatAnswerMessage = ChatCompletionMessage & { reasoning_content?: string }

/** A finished answer body. */
export type ChatAnswer = Omit<ChatCompletion, 'choices'> & {
  choices: Array<Omit<ChatCompletion.Choice, 'message'> & { message: ChatAnswerMessage }>
}

/** A streamed tool call fragment, including the `custom` shape OpenAI streams for free-form tools. */
export type ChunkToolCall =
  | ChatCompletionChunk.Choice.Delta.ToolCall
  | { index: number; id?: string; type?: 'custom'; custom: { name?: string; input: string } }

/** A chunk's delta with the `reasoning_content` extension and custom tool call fragments. */
export type ChunkDelta = Omit<ChatCompletionChunk.Choice.Delta, 'tool_calls'> & {
  reasoning_content?: string
  tool_calls?: ChunkToolCall[]
}

/** One stream chunk as Cuttle writes it. */
export type ChatChunk = Omit<ChatCompletionChunk, 'choices'> & {
  choices: Array<Omit<ChatCompletionChunk.Choice, 'delta'> & { delta: ChunkDelta }>
}
