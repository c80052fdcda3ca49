import { expect } from 'vitest'
import type { z } from 'zod'
import { ApiKeyCreatedSchema } from '@shared/dto/api-key'
import { ChannelDtoSchema, type ChannelDto } from '@shared/dto/channel'
import { ErrorBodySchema, type ErrorBody } from '@shared/dto/common'
import { ModelSyncResultSchema, type ModelSyncResult } from '@shared/dto/model-sync'
import { startFakeOpenAi, type FakeOpenAiUpstream } from './fake-openai-upstream'
import { startTestCore, type TestCore } from './test-core'
import { createTestDatabase, type TestDatabase } from './test-db'
import type { DbClient } from '../store/knex'

/** A core on one engine and a fake OpenAI provider whose `GET /v1/models` lists `listed`. */
export interface ModelSyncKit {
  db: TestDatabase
  cuttle: TestCore
  upstream: FakeOpenAiUpstream
  /** What the fake's model list answers; change it between syncs. */
  listed: string[]
  /** When set, the model list answers this error instead. */
  listFailure: { status: number; body: unknown } | null
  /** Calls the admin API, checks the status and parses the answer. */
  admin<T>(method: string, path: string, body: unknown, schema: z.ZodType<T>, status?: number): Promise<T>
  /** Calls the admin API expecting an error of this status. */
  adminError(method: string, path: string, body: unknown, status: number): Promise<ErrorBody['error']>
  createChannel(fields: Record<string, unknown>): Promise<ChannelDto>
  sync(channelId: number, apply: boolean): Promise<ModelSyncResult>
  /** A client key allowed every group. */
  clientKey(): Promise<string>
  /** A Chat Completions request through the relay. */
  chat(key: string, model: string): Promise<{ status: number; body: Record<string, unknown> }>
  close(): Promise<void>
}

/** The provider key the fake's channels use. */
export const PROVIDER_KEY = 'sk-sync-secret-0123456789'

/** Starts the kit. */
export async function startModelSyncKit(client: DbClient): Promise<ModelSyncKit> {
  const db = await createTestDatabase(client)
  const upstream = await startFakeOpenAi()
  const cuttle = await startTestCore(db)
  const kit: ModelSyncKit = {
    db,
    cuttle,
    upstream,
    listed: [],
    listFailure: null,
    async admin(method, path, body, schema, status = 200) {
      const reply = await cuttle.admin(method, path, body)
      expect(reply.status, JSON.stringify(reply.body)).toBe(status)
      return schema.parse(reply.body)
    },
    async adminError(method, path, body, status) {
      return (await kit.admin(method, path, body, ErrorBodySchema, status)).error
    },
    createChannel: fields =>
      kit.admin('POST', '/channels', { type: 'openai-chat', baseUrls: [upstream.url], keys: [PROVIDER_KEY], ...fields }, ChannelDtoSchema, 201),
    sync: (channelId, apply) => kit.admin('POST', `/channels/${channelId}/models/sync`, { apply }, ModelSyncResultSchema),
    clientKey: async () => (await kit.admin('POST', '/api-keys', { name: `k-${Date.now()}-${Math.random()}` }, ApiKeyCreatedSchema, 201)).key,
    async chat(key, model) {
      const res = await fetch(`${cuttle.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] })
      })
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    },
    async close() {
      await cuttle.stop()
      await upstream.close()
      await db.destroy()
    }
  }
  upstream.behave(req => {
    if (!req.path.startsWith('/v1/models')) return { kind: 'reply' }
    if (kit.listFailure) return { kind: 'status', ...kit.listFailure }
    return { kind: 'status', status: 200, body: { object: 'list', data: kit.listed.map(id => ({ id, object: 'model', owned_by: 'fake' })) } }
  })
  return kit
}
