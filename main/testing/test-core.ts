import { createCore, type Core, type CoreOptions } from '../app/container'
import { loadConfig } from '../app/load-config'
import { createLogger } from '../app/logger'
import type { TestDatabase } from './test-db'

/** Admin password every test core starts with. */
export const TEST_ADMIN_PASSWORD = 'test-admin-password'

/** A core listening on a free loopback port, with helpers for the admin API. */
export interface TestCore {
  core: Core
  url: string
  /** Signs in as admin and returns the bearer token. */
  login(): Promise<string>
  /** Calls the admin API as admin; returns status and parsed body. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>
  stop(): Promise<void>
}

/**
 * Starts a core on `db` with extra `CUTTLE_*` variables; `options.now` replaces the clock (limits, cooldowns, stats hours),
 * `options.logger` the silent logger (to capture lines), `options.uiRoot` the missing UI directory.
 */
export async function startTestCore(
  db: TestDatabase,
  env: Record<string, string> = {},
  options: Partial<Pick<CoreOptions, 'now' | 'logger' | 'uiRoot'>> = {}
): Promise<TestCore> {
  const loaded = loadConfig({
    argv: ['--server', '--port', '0', '--data-dir', db.dataDir],
    env: { CUTTLE_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, CUTTLE_STATS_FLUSH_MS: '100', ...(db.dbUrl ? { CUTTLE_DB_URL: db.dbUrl } : {}), ...env },
    cwd: process.cwd()
  })
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'))
  const core = await createCore(loaded.config, {
    logger: options.logger ?? createLogger('silent'),
    uiRoot: options.uiRoot ?? '/nonexistent',
    version: 'test',
    now: options.now
  })
  const url = `http://127.0.0.1:${core.port}`
  let token: string | null = null
  const login = async (): Promise<string> => {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD })
    })
    const body = (await res.json()) as { token: string }
    return body.token
  }
  return {
    core,
    url,
    login,
    async admin(method, path, body) {
      token ??= await login()
      const res = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
      const text = await res.text()
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null }
    },
    stop: () => core.stop()
  }
}
