import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAi, type FakeOpenAiUpstream } from './testing/fake-openai-upstream'
import { load, prepareRelay } from './testing/load-traffic'
import { freePort, spawnCuttle, waitHealthy } from './testing/spawn-cuttle'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from './testing/test-db'

const PASSWORD = 'multi-instance-pass'
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
    // Both must share the secret: one encrypts provider keys the other has to read.
    const env = { CUTTLE_ADMIN_PASSWORD: PASSWORD, CUTTLE_DB_URL: db.dbUrl ?? '', CUTTLE_SECRET: 'shared-secret-of-both-instances', CUTTLE_STATS_FLUSH_MS: '200' }
    const [portA, portB] = [await freePort(), await freePort()]
    const a = spawnCuttle(['--port', String(portA), '--data-dir', `${db.dataDir}/a`], env, portA)
    await waitHealthy(portA)
    const key = await prepareRelay(portA, PASSWORD, upstream.url)
    // Started after the channel exists: route tables are per process and loaded at start.
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
})
