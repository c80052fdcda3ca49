import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAi, type FakeOpenAiUpstream } from './testing/fake-openai-upstream'
import { freePort, spawnCuttle, waitHealthy } from './testing/spawn-cuttle'
import { createKnex, dbTargetFor } from './store/knex'
import { createTestDatabase, testDatabaseClients, type TestDatabase } from './testing/test-db'

const PASSWORD = 'headless-test-password'

async function admin(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD })
  })
  const { token } = (await login.json()) as { token: string }
  const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, body: (await res.json()) as unknown }
}

describe.each(testDatabaseClients())('node out/main/index.js --server on %s', client => {
  let db: TestDatabase
  let upstream: FakeOpenAiUpstream
  beforeAll(async () => {
    db = await createTestDatabase(client)
    await db.knex.destroy()
    upstream = await startFakeOpenAi()
  })
  afterAll(async () => {
    await upstream.close()
    await db.destroy()
  })

  const env = (): Record<string, string> => ({
    CUTTLE_ADMIN_PASSWORD: PASSWORD,
    CUTTLE_DATA_DIR: db.dataDir,
    // A long interval: only the shutdown flush can have written the log row checked below.
    CUTTLE_STATS_FLUSH_MS: '600000',
    ...(db.dbUrl ? { CUTTLE_DB_URL: db.dbUrl } : {})
  })

  it('starts fast, migrates, serves, stops on SIGTERM with a final flush, and keeps data across a restart', async () => {
    const port = await freePort()
    const first = spawnCuttle(['--port', String(port)], env(), port)
    // Alone it answers in 1.1–1.5 s (first start: migrations, price seed, admin hash); the suite
    // runs test files in parallel on 2 cores, hence the margin.
    expect(await waitHealthy(port)).toBeLessThan(5000)
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ status: 'ready', database: 'ok' })

    const channel = await admin(port, 'POST', '/channels', { name: 'kept', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-kept-0000000000'], models: ['m1'] })
    expect(channel.status).toBe(201)
    const key = (await admin(port, 'POST', '/api-keys', { name: 'k' })).body as { key: string }
    const relayed = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm1', messages: [{ role: 'user', content: 'hi' }] })
    })
    expect(relayed.status).toBe(200)
    first.child.kill('SIGTERM')
    expect(await first.exited()).toBe(0)

    const second = spawnCuttle(['--port', String(port)], env(), port)
    await waitHealthy(port)
    const channels = (await admin(port, 'GET', '/channels')).body as Array<{ name: string; keys: unknown[] }>
    expect(channels.map(c => c.name)).toEqual(['kept'])
    expect(channels[0]?.keys).toHaveLength(1)
    second.child.kill('SIGTERM')
    expect(await second.exited()).toBe(0)
    expect(second.output()).not.toContain('Password:')

    const knex = createKnex(dbTargetFor(db.dbUrl, db.dataDir))
    try {
      const logs = (await knex('request_logs').select('requested_model', 'status')) as Array<{ requested_model: string; status: number }>
      expect(logs.map(l => [l.requested_model, Number(l.status)])).toEqual([['m1', 200]])
    } finally {
      await knex.destroy()
    }
  })
})

describe('headless start-up failures', () => {
  const dirs: string[] = []
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'cuttle-headless-'))
    dirs.push(dir)
    return dir
  }
  afterAll(() => dirs.forEach(dir => rmSync(dir, { recursive: true, force: true })))

  it('prints a generated admin password once on first start', async () => {
    const port = await freePort()
    const dataDir = tempDir()
    const run = spawnCuttle(['--port', String(port), '--data-dir', dataDir], {}, port)
    await waitHealthy(port)
    const password = /Password: (\S+)/.exec(run.output())?.[1]
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/)
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password })
    })
    expect(login.status).toBe(200)
    run.child.kill('SIGINT')
    expect(await run.exited()).toBe(0)
  })

  it('exits 1 with one clear line when the port is taken', async () => {
    const port = await freePort()
    const holder = spawnCuttle(['--port', String(port), '--data-dir', tempDir()], { CUTTLE_ADMIN_PASSWORD: PASSWORD }, port)
    await waitHealthy(port)
    const second = spawnCuttle(['--port', String(port), '--data-dir', tempDir()], { CUTTLE_ADMIN_PASSWORD: PASSWORD }, port)
    expect(await second.exited()).toBe(1)
    expect(second.output().trim().split('\n').at(-1)).toBe(
      `Cannot listen on 127.0.0.1:${port}: the port is already in use (choose another with --port or CUTTLE_PORT).`
    )
    holder.child.kill('SIGTERM')
    expect(await holder.exited()).toBe(0)
  })

  it('exits 2 naming every invalid setting', async () => {
    const run = spawnCuttle(['--port', 'http', '--data-dir', tempDir()], { CUTTLE_LOG_LEVEL: 'loud', CUTTLE_ADMIN_PASSWORD: 'short' }, 0)
    expect(await run.exited()).toBe(2)
    const lines = run.output().trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines).toContain('Invalid configuration: port = "http" (from --port) must be an integer from 0 to 65535 (0 picks a free port)')
    expect(lines.some(l => l.startsWith('Invalid configuration: logLevel = "loud" (from env CUTTLE_LOG_LEVEL)'))).toBe(true)
    expect(lines.some(l => l.includes('adminPassword = <hidden>'))).toBe(true)
    expect(run.output()).not.toContain('short')
  })
})
