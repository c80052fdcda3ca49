import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ApiKeyCreatedSchema } from '@shared/dto/api-key'
import { ChannelDtoSchema } from '@shared/dto/channel'
import { GroupDtoSchema } from '@shared/dto/group'
import { postChat } from '../testing/chat-traffic'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../testing/fake-openai-upstream'
import { startTestCore, type TestCore } from '../testing/test-core'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from '../testing/test-db'

/** The promise of issue 9: a change on one instance is in effect on the others within this. */
const PROPAGATION_MS = 2000

/** Upstream models of the members of a group that always fails: more of them than the default maxAttempts (3). */
const BROKEN = ['broken-1', 'broken-2', 'broken-3', 'broken-4']

interface Relayed {
  status: number
  code: string | null
  attempts: string | null
  requestId: string | null
}

/** One chat request to `cuttle`; the error code when refused. */
async function chat(cuttle: TestCore, key: string, model: string): Promise<Relayed> {
  const res = await postChat(cuttle.url, key, model)
  const body = z.object({ error: z.object({ code: z.string().nullable() }).optional() }).parse(await res.json())
  return { status: res.status, code: body.error?.code ?? null, attempts: res.headers.get('x-cuttle-attempts'), requestId: res.headers.get('x-cuttle-request-id') }
}

/** Milliseconds until `check` holds; fails after PROPAGATION_MS. */
async function propagation(what: string, check: () => Promise<boolean>): Promise<number> {
  const start = performance.now()
  for (;;) {
    if (await check()) {
      const ms = Math.round(performance.now() - start)
      console.log(`propagation of ${what}: ${ms} ms`)
      return ms
    }
    if (performance.now() - start > PROPAGATION_MS) throw new Error(`${what} did not reach the other instance within ${PROPAGATION_MS} ms`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

describe.each(testDatabaseClients())('two cores on one %s database', client => {
  let db: TestDatabase
  let upstream: FakeOpenAiUpstream
  let a: TestCore
  let b: TestCore

  beforeAll(async () => {
    db = await createTestDatabase(client)
    upstream = await startFakeOpenAi()
    // These models always fail with a 500 (the next member is tried), so the attempts made show maxAttempts.
    upstream.behave(req => (BROKEN.includes(String(req.body.model)) ? { kind: 'status', status: 500, body: { error: { message: 'down' } } } : { kind: 'reply' }))
    // One data dir: on SQLite it holds the shared file, and both need the same secret.key.
    a = await startTestCore(db)
    b = await startTestCore(db)
  })

  afterAll(async () => {
    await a.stop()
    await b.stop()
    await upstream.close()
    await db.destroy()
  })

  async function admin<T>(method: string, path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const reply = await a.admin(method, path, body)
    expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300)
    return schema.parse(reply.body)
  }

  it("an admin change on A is in effect on B within 2 s: new key and group, a disabled group, a price, a setting", async () => {
    const channel = await admin('POST', '/channels', { name: 'shared', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-shared-provider-0001'], models: ['upstream-model'] }, ChannelDtoSchema)
    const flaky = await admin('POST', '/channels', { name: 'flaky', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-flaky-provider-0001'], models: BROKEN }, ChannelDtoSchema)
    const group = await admin('POST', '/groups', { name: 'shared-model', members: [{ channelId: channel.id, model: 'upstream-model' }] }, GroupDtoSchema)
    await admin('POST', '/groups', { name: 'flaky-model', members: BROKEN.map(model => ({ channelId: flaky.id, model })) }, GroupDtoSchema)
    const { key } = await admin('POST', '/api-keys', { name: 'shared-client' }, ApiKeyCreatedSchema)
    const times: number[] = []

    times.push(await propagation('a new channel, group and key', async () => (await chat(b, key, 'shared-model')).status === 200))

    await admin('PATCH', `/groups/${group.id}`, { enabled: false }, GroupDtoSchema)
    times.push(await propagation('a disabled group', async () => (await chat(b, key, 'shared-model')).code === 'model_disabled'))
    await admin('PATCH', `/groups/${group.id}`, { enabled: true }, GroupDtoSchema)
    times.push(await propagation('a re-enabled group', async () => (await chat(b, key, 'shared-model')).status === 200))

    // The fake reports 10 prompt and 2 completion tokens: 10 × $1000 + 2 × $2000 per million.
    await admin('POST', '/prices', { model: 'upstream-model', input: 1000, output: 2000 }, z.unknown())
    const costOnB = async (): Promise<number | null> => {
      const { requestId } = await chat(b, key, 'shared-model')
      await b.core.flusher.flush()
      const row = (await db.knex('request_logs').where({ request_id: requestId }).first('cost')) as { cost: number | string | null } | undefined
      return row?.cost === null || row?.cost === undefined ? null : Number(row.cost)
    }
    times.push(await propagation('a new price', async () => (await costOnB()) === 0.014))

    expect((await chat(b, key, 'flaky-model')).attempts).toBe('3')
    await admin('PATCH', '/settings', { maxAttempts: 1 }, z.unknown())
    times.push(await propagation('maxAttempts', async () => (await chat(b, key, 'flaky-model')).attempts === '1'))

    expect(Math.max(...times)).toBeLessThan(PROPAGATION_MS)
  })

  it('changes made on both instances, one right after the other, reach the other one', async () => {
    // Whichever revision is stored last, each instance rebuilds after both changes were committed.
    const { key } = await admin('POST', '/api-keys', { name: 'both-ways' }, ApiKeyCreatedSchema)
    const fromB = await b.admin('POST', '/groups', { name: 'made-on-b', members: [] })
    expect(fromB.status).toBe(201)
    await propagation('a group made on B, seen by A', async () => a.core.routes.current().groups.has('made-on-b'))
    await propagation('a key made on A, seen by B', async () => (await chat(b, key, 'shared-model')).status === 200)
  })
})
