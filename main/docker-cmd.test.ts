import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAi, type FakeOpenAiUpstream } from './testing/fake-openai-upstream'
import { freePort, waitHealthy } from './testing/spawn-cuttle'

/**
 * No Docker engine runs here, so the image's own command is run as the image would run it: the
 * final stage's CMD and ENV read from build/Dockerfile, from the repository root (the image's
 * WORKDIR holds the same out/ and node_modules), with the volume /data replaced by a fresh folder
 * and the port by a free one.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const dockerfile = readFileSync(join(ROOT, 'build/Dockerfile'), 'utf8')
const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))

/** The `ENV` of the final stage, continuation lines joined. */
function imageEnv(): Record<string, string> {
  const block = /\nENV ((?:[^\n]*\\\n)*[^\n]*)/.exec(finalStage)?.[1] ?? ''
  return Object.fromEntries([...block.replace(/\\\n/g, ' ').matchAll(/(\w+)=(\S+)/g)].map(m => [m[1] as string, m[2] as string]))
}

/** A JSON-array instruction of the final stage (CMD, or HEALTHCHECK's CMD). */
function jsonCommand(pattern: RegExp): string[] {
  const json = pattern.exec(finalStage)?.[1]
  if (!json) throw new Error(`no ${pattern} in build/Dockerfile`)
  return JSON.parse(json) as string[]
}

describe('the Docker image command, run as the image runs it', () => {
  let upstream: FakeOpenAiUpstream
  let dataDir: string
  beforeAll(async () => {
    upstream = await startFakeOpenAi()
    dataDir = mkdtempSync(join(tmpdir(), 'cuttle-docker-'))
  })
  afterAll(async () => {
    await upstream.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('declares what the issue asks: Node slim, non-root, /data, a /readyz health check, the headless CMD', () => {
    expect(dockerfile).toMatch(/^FROM node:\d+-bookworm-slim AS build$/m)
    expect(finalStage).toMatch(/^FROM node:\d+-bookworm-slim$/m)
    expect(finalStage).toMatch(/^USER cuttle$/m)
    expect(finalStage).toMatch(/^VOLUME \["\/data"\]$/m)
    expect(imageEnv()).toMatchObject({ CUTTLE_DATA_DIR: '/data', CUTTLE_HOST: '0.0.0.0', NODE_ENV: 'production' })
    expect(jsonCommand(/\nCMD (\[.*\])/)).toEqual(['node', 'out/main/index.js', '--server', '--host', '0.0.0.0'])
    expect(jsonCommand(/HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/).join(' ')).toContain('/readyz')
  })

  it('starts, is ready, relays a request, passes its health check and exits 0 on SIGTERM', async () => {
    const port = await freePort()
    const env = { PATH: process.env.PATH ?? '', ...imageEnv(), CUTTLE_DATA_DIR: dataDir, CUTTLE_PORT: String(port), CUTTLE_ADMIN_PASSWORD: 'docker-admin-password' }
    const [command, ...args] = jsonCommand(/\nCMD (\[.*\])/)
    const child = spawn(command === 'node' ? process.execPath : (command ?? ''), args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
    try {
      await waitHealthy(port)
      const base = `http://127.0.0.1:${port}`
      expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready', database: 'ok' })
      const [healthCommand, ...healthArgs] = jsonCommand(/HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/)
      const health = spawnSync(healthCommand === 'node' ? process.execPath : (healthCommand ?? ''), healthArgs, { env, encoding: 'utf8', timeout: 10_000 })
      expect(health.status).toBe(0)

      const login = (await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'docker-admin-password' }) })).json()) as { token: string }
      const admin = (path: string, body: unknown): Promise<Response> =>
        fetch(`${base}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
      expect((await admin('/channels', { name: 'up', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-docker-0001'], models: ['m1'] })).status).toBe(201)
      const { key } = (await (await admin('/api-keys', { name: 'k' })).json()) as { key: string }
      const relayed = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm1', messages: [{ role: 'user', content: 'hi' }] }) })
      expect(relayed.status).toBe(200)
      expect(((await relayed.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('Hello world')
      // Bound to every interface, as in the container, and it says TLS belongs in front.
      expect(output).toContain('non-loopback')
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })
})
