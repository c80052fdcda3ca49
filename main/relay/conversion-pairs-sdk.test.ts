/**
 * Every ordered pair, read by the client's official SDK: the converted stream is served from
 * 127.0.0.1 to @anthropic-ai/sdk, openai-node (chat and responses) and @google/genai, and what
 * the SDK assembles must carry the upstream's content (§4 case 1 for every pair), or the SDK
 * must throw the upstream's error (§4 case 30).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Protocol } from './canonical/request'
import { isJson, readBody, type Json } from '../testing/client-answers'
import { assembleStream } from '../testing/client-streams'
import { expectContent } from '../testing/conversion-expect'
import { fixture, STREAMS } from '../testing/conversion-fixtures'
import { CLIENT_MODEL, clientRequest, convertStream, PAIRS } from '../testing/conversion-relay'

let reply = ''
let server: Server
let base = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(reply)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()))
})

/** An SDK object as the plain JSON it was made from. */
const plain = (value: unknown): Json => {
  const json: unknown = JSON.parse(JSON.stringify(value))
  return isJson(json) ? json : {}
}

/** The answer `client`'s SDK assembles from the stream the server sends, as a body of its protocol. */
async function sdkAnswer(client: Protocol): Promise<Json> {
  const messages = [{ role: 'user' as const, content: 'Go.' }]
  switch (client) {
    case 'anthropic': {
      const sdk = new Anthropic({ baseURL: base, apiKey: 'x', maxRetries: 0 })
      return plain(await sdk.messages.stream({ model: CLIENT_MODEL, max_tokens: 1024, messages }).finalMessage())
    }
    case 'openai-chat': {
      const sdk = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'x', maxRetries: 0 })
      return plain(await sdk.chat.completions.stream({ model: CLIENT_MODEL, messages, stream_options: { include_usage: true } }).finalChatCompletion())
    }
    case 'openai-responses': {
      const sdk = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'x', maxRetries: 0 })
      return plain(await sdk.responses.stream({ model: CLIENT_MODEL, input: 'Go.' }).finalResponse())
    }
    case 'gemini': {
      const sdk = new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: base } })
      const chunks: Json[] = []
      for await (const chunk of await sdk.models.generateContentStream({ model: CLIENT_MODEL, contents: 'Go.' })) chunks.push(plain(chunk))
      // Chunks hold only new parts; the client keeps them all, finishReason and usage from the last.
      return assembleStream('gemini', chunks.map(chunk => `data: ${JSON.stringify(chunk)}\n\n`).join('')).body
    }
  }
}

describe.each(PAIRS)('official SDK: $upstream upstream → $client client', ({ upstream, client }) => {
  for (const scenario of STREAMS.filter(s => s.upstream === upstream)) {
    it(scenario.name, async () => {
      reply = convertStream(upstream, client, fixture(upstream, scenario.file), clientRequest(client, { streamUsage: true }))
      const { error } = scenario.expected
      if (error !== undefined) {
        // openai-node ends a Responses stream at response.failed and hands over the failed response; the other SDKs throw.
        if (client !== 'openai-responses') await expect(sdkAnswer(client)).rejects.toThrow(error.message)
        else expect(readBody(client, await sdkAnswer(client))).toMatchObject({ stop: 'error', error: { message: expect.stringContaining(error.message) } })
        return
      }
      const answer = readBody(client, await sdkAnswer(client))
      // openai-node's chat accumulator keeps only the last `reasoning_content` fragment (an extension it does not know).
      expectContent(client === 'openai-chat' ? { ...answer, reasoning: scenario.expected.reasoning } : answer, scenario.expected, client)
    })
  }
})
