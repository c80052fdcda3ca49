import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ApiKeyCreatedSchema } from '@shared/dto/api-key'
import { ChannelDtoSchema } from '@shared/dto/channel'
import { DeletedSchema } from '@shared/dto/common'
import { GroupDtoSchema } from '@shared/dto/group'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore
let upstream: FakeOpenAiUpstream

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  upstream = await startFakeOpenAi()
  cuttle = await startTestCore(db)
})

afterAll(async () => {
  await cuttle.stop()
  await upstream.close()
  await db.destroy()
})

async function admin<T>(method: string, path: string, body: unknown, schema: z.ZodType<T>, status = 200): Promise<T> {
  const reply = await cuttle.admin(method, path, body)
  expect(reply.status, JSON.stringify(reply.body)).toBe(status)
  return schema.parse(reply.body)
}

const CompletionSchema = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string() }) })) })
const OpenAiErrorSchema = z.object({ error: z.object({ message: z.string(), type: z.string(), param: z.null(), code: z.string() }) })

async function chat(key: string, model: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${cuttle.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] })
  })
  return { status: res.status, body: (await res.json()) as unknown }
}

describe('admin changes reach the relay without a restart', () => {
  it('create, use, disable, re-enable, revoke', async () => {
    const channel = await admin(
      'POST',
      '/channels',
      { name: 'hot', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-hot-provider-key-0001'], models: ['upstream-model'] },
      ChannelDtoSchema,
      201
    )
    const group = await admin('POST', '/groups', { name: 'hot-model', members: [{ channelId: channel.id, model: 'upstream-model' }] }, GroupDtoSchema, 201)
    const key = await admin('POST', '/api-keys', { name: 'hot-client' }, ApiKeyCreatedSchema, 201)

    const first = await chat(key.key, 'hot-model')
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect(CompletionSchema.parse(first.body).choices[0]?.message.content).toBe('Hello world')
    expect(upstream.requests).toHaveLength(1)
    expect(upstream.requests[0]?.body.model).toBe('upstream-model')
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-hot-provider-key-0001')

    expect((await admin('PATCH', `/groups/${group.id}`, { enabled: false }, GroupDtoSchema)).enabled).toBe(false)
    const disabled = await chat(key.key, 'hot-model')
    expect(disabled.status).toBe(403)
    expect(OpenAiErrorSchema.parse(disabled.body).error).toMatchObject({ code: 'model_disabled', type: 'permission_error' })
    expect(upstream.requests).toHaveLength(1)

    await admin('PATCH', `/groups/${group.id}`, { enabled: true }, GroupDtoSchema)
    expect((await chat(key.key, 'hot-model')).status).toBe(200)

    await admin('PATCH', `/api-keys/${key.id}`, { allowedGroups: ['other'] }, z.unknown())
    const notAllowed = await chat(key.key, 'hot-model')
    expect(notAllowed.status).toBe(403)
    expect(OpenAiErrorSchema.parse(notAllowed.body).error.code).toBe('model_not_allowed')

    expect(await admin('DELETE', `/api-keys/${key.id}`, undefined, DeletedSchema)).toEqual({ deleted: true })
    const revoked = await chat(key.key, 'hot-model')
    expect(revoked.status).toBe(401)
    expect(OpenAiErrorSchema.parse(revoked.body).error).toMatchObject({ code: 'invalid_api_key', type: 'authentication_error' })
    expect(upstream.requests).toHaveLength(2)
  })

  it('a new provider key reaches the upstream on the next request (same channel and group as above)', async () => {
    const key = await admin('POST', '/api-keys', { name: 'second-client' }, ApiKeyCreatedSchema, 201)
    const [channel] = await admin('GET', '/channels', undefined, z.array(ChannelDtoSchema))
    expect(channel).toBeDefined()
    await admin('PATCH', `/channels/${channel?.id ?? 0}`, { keys: ['sk-hot-provider-key-0002'] }, ChannelDtoSchema)
    upstream.requests.length = 0
    expect((await chat(key.key, 'hot-model')).status).toBe(200)
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-hot-provider-key-0002')
  })
})
