import { passThroughStream } from '../main/relay/pass-through-stream'
import type { ProtocolAdapter } from '../main/relay/protocols/protocol-adapter'
import { protocolAdapters } from '../main/relay/protocols/registry'

/**
 * Cost per chunk of a passed-through stream (no sockets): CHUNKS one-event chunks through a fresh
 * transform, ROUNDS times, median and best in ns per chunk. Run with
 * `npx tsx --tsconfig tsconfig.node.json bench/pass-through-cost.ts`.
 */
const CHUNKS = Number(process.env.CHUNKS ?? 300_000)
const ROUNDS = Number(process.env.ROUNDS ?? 7)
const adapters = protocolAdapters()

function chatChunk(i: number): Buffer {
  const chunk = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-bench', choices: [{ index: 0, delta: { content: `word${i % 97} ` }, finish_reason: null, logprobs: null }] }
  return Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`)
}

function anthropicChunk(i: number): Buffer {
  return Buffer.from(`event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `word${i % 97} ` } })}\n\n`)
}

function run(adapter: ProtocolAdapter, chunk: (i: number) => Buffer): void {
  const pieces = Array.from({ length: 64 }, (_, i) => chunk(i))
  const results: number[] = []
  let bytes = 0
  for (let round = 0; round < ROUNDS; round++) {
    const transform = passThroughStream(adapter.passThrough, adapter.passThrough.usageTap(true), adapter.client.streamError)
    const started = process.hrtime.bigint()
    for (let i = 0; i < CHUNKS; i++) bytes += transform.push(pieces[i & 63] as Buffer).length
    bytes += transform.end().length
    results.push(Number(process.hrtime.bigint() - started) / CHUNKS)
  }
  results.sort((a, b) => a - b)
  const median = results[Math.floor(ROUNDS / 2)] ?? 0
  const best = results[0] ?? 0
  console.log(`${adapter.protocol}: median ${median.toFixed(1)} ns/chunk, best ${best.toFixed(1)} ns/chunk (${CHUNKS} chunks x ${ROUNDS}, ${bytes} bytes out)`)
}

run(adapters['openai-chat'], chatChunk)
run(adapters.anthropic, anthropicChunk)
