import type { CanonicalRequest, Part } from './canonical/request'

/** What Anthropic charges for an image of about a megapixel, the most common case; bytes are not decoded to measure. */
const IMAGE_TOKENS = 1600
/** Framing tokens every message and tool definition costs beyond its text (role markers, separators). */
const MESSAGE_OVERHEAD = 4
const TOOL_OVERHEAD = 8

type CountTokens = (text: string) => number

/**
 * Estimates the input tokens of a request with a real BPE tokenizer (OpenAI's o200k_base from
 * `gpt-tokenizer`): exact for recent OpenAI models, within a few percent for Claude and Gemini,
 * which is what count endpoints are used for (context bars, compaction decisions). The tokenizer's
 * tables take ~0.4 s to load, so they are loaded on the first count, not at start.
 */
export class TokenEstimator {
  private tokenizer: Promise<CountTokens> | null = null

  /** Input tokens of `request`, estimated. */
  async count(request: CanonicalRequest): Promise<number> {
    this.tokenizer ??= import('gpt-tokenizer/encoding/o200k_base').then(m => (text: string) => m.countTokens(text))
    const countTokens = await this.tokenizer
    let tokens = 0
    for (const segment of request.system) tokens += countTokens(segment.text) + MESSAGE_OVERHEAD
    for (const message of request.messages) {
      tokens += MESSAGE_OVERHEAD
      for (const part of message.parts) tokens += partTokens(part, countTokens)
    }
    for (const tool of request.tools) {
      tokens += TOOL_OVERHEAD + countTokens(`${tool.name}\n${tool.description ?? ''}\n${JSON.stringify(tool.parameters)}`)
    }
    return tokens
  }
}

function partTokens(part: Part, countTokens: CountTokens): number {
  switch (part.type) {
    case 'text':
    case 'refusal':
    case 'reasoning':
      return countTokens(part.text)
    case 'image':
    case 'file':
      return IMAGE_TOKENS
    case 'tool_call':
      return countTokens(`${part.name}\n${part.arguments}`)
    case 'tool_result':
      return part.content.reduce((sum, c) => sum + (c.type === 'text' ? countTokens(c.text) : IMAGE_TOKENS), MESSAGE_OVERHEAD)
  }
}
