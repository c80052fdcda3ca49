import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAi, type FakeOpenAiUpstream } from './testing/fake-openai-upstream'
import { load, prepareRelay } from './testing/load-traffic'
import { freePort, spawnCuttle, waitHealthy } from './testing/spawn-cuttle'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from './testing/test-db'

const PASSWORD = 'multi-instance-pass'
/** Both must share the secret: one encrypts provider keys the other has to read. */
const SECRET = 'shared-secret-of-both-instances'

/** Signs in to a spawned Cuttle and returns a caller of its admin API (method, path, body → status and body). */
async function adminOf(port: number): Promise<(method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>> {
  const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD })
  })
  const { token } = (await login.json()) as { token: string }
  return async (method, path, body) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    return { status: res.status, body: (await res.json()) as unknown }
  }
}

/** Milliseconds until `check` holds; fails after `limitMs`. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > limitMs) throw new Error(`not in effect within ${limitMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  return Date.now() - start
}
const servers = testDatabaseClients().filter(client => client !== 'sqlite')

describe.runIf(servers.length === 0)('two Cuttle processes on one server database', () => {
  it.skip('needs CUTTLE_TEST_PG_URL or CUTTLE_TEST_MYSQL_URL (`.ci/run` sets both)', () => {})
})

describe.skipIf(servers.length === 0).each(servers)('two Cuttle processes on one %s database', client => {
  let db: TestDatabase
  let upstream: FakeOpenAiUpstream
  beforeAll(async () => {
    db = await createTestDatabase(client)
    upstream = await startFakeOpenAi()
  })
  afterAll(async () => {
    await upstream.close()
    await db.destroy()
  })

  it('both under load: the stored sums equal the total served', async () => {
    const env = { CUTTLE_ADMIN_PASSWORD: PASSWORD, CUTTLE_DB_URL: db.dbUrl ?? '', CUTTLE_SECRET: SECRET, CUTTLE_STATS_FLUSH_MS: '200' }
    const [portA, portB] = [await freePort(), await freePort()]
    const a = spawnCuttle(['--port', String(portA), '--data-dir', `${db.dataDir}/a`], env, portA)
    await waitHealthy(portA)
    const key = await prepareRelay(portA, PASSWORD, upstream.url)
    // Started after the channel exists, so both serve from the first request of the load.
    const b = spawnCuttle(['--port', String(portB), '--data-dir', `${db.dataDir}/b`], env, portB)
    await waitHealthy(portB)
    const traffic = [load(portA, key, 8), load(portB, key, 8)]
    await new Promise(resolve => setTimeout(resolve, 2000))
    a.child.kill('SIGTERM')
    b.child.kill('SIGTERM')
    expect([await a.exited(), await b.exited()]).toEqual([0, 0])
    await Promise.all(traffic.map(t => t.stop()))
    const served = traffic.reduce((n, t) => n + t.answeredAt.length, 0)
    expect(traffic.every(t => t.answeredAt.length > 20)).toBe(true)
    const requests = Number(((await db.knex('usage_hourly').sum({ n: 'requests' }).first()) as { n: unknown }).n)
    const logs = Number(((await db.knex('request_logs').count({ n: '*' }).first()) as { n: unknown }).n)
    expect({ requests, logs }).toEqual({ requests: served, logs: served })
  })

  it('an admin change in process A is in effect in process B within 2 s', async () => {
    const env = { CUTTLE_ADMIN_PASSWORD: PASSWORD, CUTTLE_DB_URL: db.dbUrl ?? '', CUTTLE_SECRET: SECRET }
    const [portA, portB] = [await freePort(), await freePort()]
    const a = spawnCuttle(['--port', String(portA), '--data-dir', `${db.dataDir}/change-a`], env, portA)
    const b = spawnCuttle(['--port', String(portB), '--data-dir', `${db.dataDir}/change-b`], env, portB)
    await Promise.all([waitHealthy(portA), waitHealthy(portB)])
    const admin = await adminOf(portA)
    const chatOnB = async (key: string): Promise<number> => {
      const res = await fetch(`http://127.0.0.1:${portB}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'late-model', messages: [{ role: 'user', content: 'x' }] })
      })
      await res.arrayBuffer()
      return res.status
    }

    // Both run already: B learns of the channel and the key only through the shared revision.
    const channel = await admin('POST', '/channels', { name: 'late', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-late-0000000001'], models: ['late-model'] })
    expect(channel.status).toBe(201)
    const created = await admin('POST', '/api-keys', { name: 'late-client' })
    const { key } = created.body as { key: string }
    const added = await within(2000, async () => (await chatOnB(key)) === 200)
    const { id } = channel.body as { id: number }
    expect((await admin('PATCH', `/channels/${id}`, { enabled: false })).status).toBe(200)
    const disabled = await within(2000, async () => (await chatOnB(key)) !== 200)
    console.log(`${client}: a new channel and key served by B after ${added} ms, the channel disabled on B after ${disabled} ms`)

    a.child.kill('SIGTERM')
    b.child.kill('SIGTERM')
    expect([await a.exited(), await b.exited()]).toEqual([0, 0])
  })
})
