/**
 * Recorded-style upstream payloads of every protocol (the adapters' own fixtures) with what a
 * client of any other protocol must get out of them, written down by hand from the payloads so
 * the conversion tests compare against the upstream, not against another decoder.
 */
import { readFileSync } from 'node:fs'
import type { Protocol } from '../relay/canonical/request'

/** How an answer ended, as every client format can say it. */
export type StopClass = 'end' | 'tool_use' | 'max_tokens' | 'content_filter' | 'error'

/** Token totals in canonical terms (input includes cache reads and writes; output includes reasoning). */
export interface Totals {
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
  reasoning: number
}

/** What the client must see of one upstream answer. */
export interface Expected {
  text: string
  /** Readable reasoning, all segments joined. */
  reasoning: string
  /** Tool calls in order; `id` is the upstream's own id where it sent one. */
  calls: Array<{ id?: string; name: string; args: unknown }>
  stop: StopClass
  /** Null for a stream that failed (usage is then whatever arrived). */
  usage: Totals | null
  /** The in-band failure, for a stream that failed after some content. */
  error?: { status: number; message: string }
}

/** One upstream payload: an SSE stream or a JSON body. */
export interface Scenario {
  upstream: Protocol
  name: string
  file: string
  expected: Expected
}

/** The text of fixture `file` of `protocol`'s adapter folder. */
export function fixture(protocol: Protocol, file: string): string {
  return readFileSync(new URL(`../relay/protocols/${protocol}/fixtures/${file}`, import.meta.url), 'utf8')
}

const totals = (input: number, output: number, cacheRead = 0, cacheWrite = 0, reasoning = 0): Totals => ({ input, output, cacheRead, cacheWrite, reasoning })
const none = { text: '', reasoning: '', calls: [] }

/** The Responses turn recorded both as a stream and as a body. */
const RESPONSES_TURN: Expected = {
  reasoning: '**Planning**\n\nCheck the weather.\n\n**Two cities**',
  text: 'Let me check both cities.',
  calls: [
    { id: 'call_Q1paris', name: 'get_weather', args: { city: 'Paris' } },
    { id: 'call_Q2tokyo', name: 'get_weather', args: { city: 'Tokyo' } }
  ],
  stop: 'tool_use',
  usage: totals(1523, 245, 1280, 0, 192)
}

/** Upstream streams: plain text with cache usage, parallel tool calls, reasoning with its artefact, a mid-stream error, a max-tokens stop. */
export const STREAMS: readonly Scenario[] = [
  { upstream: 'openai-chat', name: 'text with cached usage', file: 'stream-text-usage.sse', expected: { ...none, text: 'Hello, world', stop: 'end', usage: totals(1000, 12, 800) } },
  {
    upstream: 'openai-chat',
    name: 'parallel tool calls',
    file: 'stream-parallel-tools.sse',
    expected: {
      ...none,
      calls: [
        { id: 'call_paris', name: 'get_weather', args: { city: 'Paris' } },
        { id: 'call_rome', name: 'get_weather', args: { city: 'Rome' } }
      ],
      stop: 'tool_use',
      usage: totals(80, 40)
    }
  },
  {
    upstream: 'openai-chat',
    name: 'interleaved tool calls without usage',
    file: 'stream-interleaved-tools.sse',
    expected: {
      ...none,
      calls: [
        { id: 'call_0', name: 'read_file', args: { path: 'a.txt' } },
        { id: 'call_1', name: 'list_dir', args: { dir: 'src' } }
      ],
      stop: 'tool_use',
      usage: totals(0, 0)
    }
  },
  {
    upstream: 'openai-chat',
    name: 'reasoning_content then text',
    file: 'stream-reasoning.sse',
    expected: { ...none, reasoning: 'Let me think about it.', text: 'The answer is 4.', stop: 'end', usage: totals(20, 30, 0, 0, 22) }
  },
  {
    upstream: 'openai-chat',
    name: 'error after three deltas',
    file: 'stream-error.sse',
    expected: { ...none, text: 'One two three', stop: 'error', usage: null, error: { status: 429, message: 'Rate limit reached for gpt-4o' } }
  },
  {
    upstream: 'openai-chat',
    name: 'ids outside Anthropic\'s pattern, cache count at the top level (Kimi)',
    file: 'stream-kimi-ids.sse',
    expected: {
      ...none,
      text: 'Let me look.',
      calls: [
        { id: 'functions.read_file:0', name: 'read_file', args: { path: 'a.txt' } },
        { id: 'functions.list_dir:1', name: 'list_dir', args: { dir: 'src' } }
      ],
      stop: 'tool_use',
      usage: totals(300, 25, 256)
    }
  },
  { upstream: 'openai-chat', name: 'max tokens in one chunk', file: 'stream-single-chunk.sse', expected: { ...none, text: 'All in one.', stop: 'max_tokens', usage: totals(5, 3) } },

  { upstream: 'openai-responses', name: 'text with cached usage', file: 'upstream-text.sse', expected: { ...none, text: 'Hello from Responses.', stop: 'end', usage: totals(2000, 9, 1536) } },
  { upstream: 'openai-responses', name: 'reasoning (encrypted), text, parallel calls', file: 'upstream-reasoning-text-tools.sse', expected: RESPONSES_TURN },
  {
    upstream: 'openai-responses',
    name: 'whole items without deltas',
    file: 'upstream-whole-items.sse',
    expected: {
      reasoning: 'Need to read the file.',
      text: 'Reading it now.',
      calls: [{ id: 'call_R5read', name: 'read_file', args: { path: 'README.md' } }],
      stop: 'tool_use',
      usage: totals(120, 30)
    }
  },
  {
    upstream: 'openai-responses',
    name: 'failed after a delta',
    file: 'upstream-failed.sse',
    expected: { ...none, text: 'Partial', stop: 'error', usage: null, error: { status: 429, message: 'Rate limit reached for gpt-5' } }
  },
  { upstream: 'openai-responses', name: 'incomplete (max tokens)', file: 'upstream-incomplete.sse', expected: { ...none, text: 'The answer is', stop: 'max_tokens', usage: totals(50, 16, 0, 0, 12) } },

  { upstream: 'anthropic', name: 'text with cache read and write', file: 'upstream-text-cache.sse', expected: { ...none, text: 'Hi there! Grüße aus Zürich ☀️ — how can I help?', stop: 'end', usage: totals(1525, 9, 1200, 300) } },
  {
    upstream: 'anthropic',
    name: 'signed thinking, text, parallel tool_use',
    file: 'upstream-thinking-tools.sse',
    expected: {
      reasoning: 'The user wants two files read.',
      text: 'Reading both.',
      calls: [
        { id: 'toolu_01X', name: 'Read', args: { file_path: '/a.txt' } },
        { id: 'toolu_01Y', name: 'Read', args: { file_path: '/b.txt' } }
      ],
      stop: 'tool_use',
      usage: totals(970, 210, 800, 50)
    }
  },
  {
    upstream: 'anthropic',
    name: 'overloaded error after a delta',
    file: 'upstream-overloaded.sse',
    expected: { ...none, text: 'Hel', stop: 'error', usage: null, error: { status: 529, message: 'Overloaded' } }
  },
  { upstream: 'anthropic', name: 'max tokens', file: 'upstream-max-tokens.sse', expected: { ...none, text: 'The first primes are 2, 3', stop: 'max_tokens', usage: totals(14, 8) } },

  {
    upstream: 'gemini',
    name: 'thoughts, text, trailing signature, cached usage',
    file: 'stream-thinking-text.sse',
    expected: {
      ...none,
      reasoning: '**Planning the reply**\nThe user greets me. I will answer kindly.',
      text: 'Hello! How can I help you today?',
      stop: 'end',
      usage: totals(12, 196, 4, 0, 190)
    }
  },
  {
    upstream: 'gemini',
    name: 'parallel functionCalls, then STOP in another chunk',
    file: 'stream-parallel-calls.sse',
    expected: {
      ...none,
      calls: [
        { name: 'get_weather', args: { city: 'Paris' } },
        { name: 'get_weather', args: { city: 'Berlin' } }
      ],
      stop: 'tool_use',
      usage: totals(98, 112, 0, 0, 82)
    }
  },
  {
    upstream: 'gemini',
    name: 'error chunk after text',
    file: 'stream-error.sse',
    expected: { ...none, text: 'Partial answer', stop: 'error', usage: null, error: { status: 503, message: 'The model is overloaded' } }
  },
  { upstream: 'gemini', name: 'max tokens', file: 'stream-max-tokens.sse', expected: { ...none, text: 'Once upon a time', stop: 'max_tokens', usage: totals(7, 4) } },
  { upstream: 'gemini', name: 'blocked prompt', file: 'stream-blocked.sse', expected: { ...none, stop: 'content_filter', usage: totals(9, 0) } }
]

/** Upstream bodies (non-streamed answers). */
export const BODIES: readonly Scenario[] = [
  {
    upstream: 'openai-chat',
    name: 'reasoning, text, two calls, cache read and write',
    file: 'response-tools.json',
    expected: {
      reasoning: 'Need the weather in two cities.',
      text: 'Checking both cities.',
      calls: [
        { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } },
        { id: 'call_2', name: 'get_weather', args: { city: 'Rome' } }
      ],
      stop: 'tool_use',
      usage: totals(1000, 120, 800, 150, 60)
    }
  },
  { upstream: 'openai-chat', name: 'length', file: 'response-length.json', expected: { ...none, text: 'Truncated answ', stop: 'max_tokens', usage: totals(30, 5, 10) } },
  { upstream: 'openai-responses', name: 'reasoning, text, two calls', file: 'upstream-response.json', expected: RESPONSES_TURN },
  { upstream: 'openai-responses', name: 'incomplete', file: 'upstream-incomplete.json', expected: { ...none, text: 'The answer is', stop: 'max_tokens', usage: totals(50, 16, 0, 0, 12) } },
  {
    upstream: 'anthropic',
    name: 'thinking, redacted thinking, text, server tool, tool_use',
    file: 'upstream-message.json',
    expected: {
      reasoning: 'Check the weather tool.',
      text: 'Looking it up.',
      calls: [{ id: 'toolu_01W', name: 'get_weather', args: { city: 'Oslo', units: 'metric' } }],
      stop: 'tool_use',
      usage: totals(2115, 87, 2000, 100, 40)
    }
  },
  { upstream: 'anthropic', name: 'max tokens', file: 'upstream-max-tokens.json', expected: { ...none, text: 'The first primes are 2, 3', stop: 'max_tokens', usage: totals(654, 8, 600, 40) } },
  {
    upstream: 'gemini',
    name: 'thought, text, two calls with ids',
    file: 'response-tools.json',
    expected: {
      reasoning: 'I need the file first.',
      text: 'Let me read both files.',
      calls: [
        { id: 'fc_a1', name: 'read_file', args: { path: 'a.txt' } },
        { id: 'fc_b2', name: 'read_file', args: { path: 'b.txt' } }
      ],
      stop: 'tool_use',
      usage: totals(1000, 196, 800, 0, 190)
    }
  },
  { upstream: 'gemini', name: 'max tokens', file: 'response-max-tokens.json', expected: { ...none, text: 'Once upon a time', stop: 'max_tokens', usage: totals(700, 24, 512, 0, 20) } }
]
