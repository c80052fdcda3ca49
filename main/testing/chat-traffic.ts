import { expect } from 'vitest'
import { z } from 'zod'
import type { TestCore } from './test-core'

const Created = z.object({ id: z.number() })
const KeyCreated = z.object({ key: z.string() })

/**
 * Posts one OpenAI chat completion ("hi") for `model` with client key `key` to the Cuttle at `url`;
 * `extra` adds body fields (stream, stream_options…). Reading the answer is the caller's.
 */
export function postChat(url: string, key: string, model: string, extra: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra })
  })
}

/** Sends one chat completion for `model`; resolves when the answer has been read in full. */
export type ChatCaller = (opts?: { stream?: boolean }) => Promise<number>

/** Creates a channel on `upstreamUrl`, a group `model` on it and a client key, through the admin API. */
export async function setUpChat(cuttle: TestCore, upstreamUrl: string, model: string): Promise<ChatCaller> {
  const create = async <T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> => {
    const reply = await cuttle.admin('POST', path, body)
    expect(reply.status, JSON.stringify(reply.body)).toBe(201)
    return schema.parse(reply.body)
  }
  const channel = await create(
    '/channels',
    { name: `${model}-channel`, type: 'openai-chat', baseUrls: [upstreamUrl], keys: ['sk-traffic-provider-key-0001'], models: ['upstream-model'] },
    Created
  )
  await create('/groups', { name: model, members: [{ channelId: channel.id, model: 'upstream-model' }] }, Created)
  const { key } = await create('/api-keys', { name: `${model}-client` }, KeyCreated)
  return async (opts = {}) => {
    const res = await postChat(cuttle.url, key, model, { stream: opts.stream === true })
    await res.text()
    return res.status
  }
}
