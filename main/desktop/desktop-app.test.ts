import { createServer, type Server } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DESKTOP_CHANNELS, type DesktopSession, type RelayStatus } from '@shared/contract/desktop-api'
import { createLogger } from '../app/logger'
import { createKnex, dbTargetFor } from '../store/knex'
import { fake } from '../testing/fake-electron'
import { saved } from '../testing/fake-electron-store'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../testing/fake-openai-upstream'
import { freePort } from '../testing/spawn-cuttle'
import { startDesktop, type DesktopApp } from './desktop-app'
import { createPrefs } from './prefs'

type Item = { label?: string; checked?: boolean; submenu?: Item[]; click?: () => void }
const trayMenu = (): Item[] => (fake.trays[0]?.menu?.template ?? []) as Item[]
const waitFor = async (check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> => {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}

describe('the desktop app (fake electron, real core)', () => {
  let upstream: FakeOpenAiUpstream
  let blocker: Server | null = null
  let desktop: DesktopApp | null = null
  const signals = new Map<string, () => void>()

  beforeEach(async () => {
    fake.reset()
    saved.clear()
    signals.clear()
    upstream = await startFakeOpenAi()
  })
  afterEach(async () => {
    if (desktop && fake.exitCodes.length === 0) await desktop.quit()
    desktop = null
    blocker?.close()
    blocker = null
    await upstream.close()
  })

  const start = (): Promise<DesktopApp | null> =>
    startDesktop({
      argv: [],
      env: { CUTTLE_ADMIN_PASSWORD: 'desktop-test-password', CUTTLE_STATS_FLUSH_MS: '100' },
      prefs: createPrefs(),
      logger: createLogger('silent'),
      version: '9.9.9',
      uiRoot: '/nonexistent',
      preload: '/app/out/preload/index.cjs',
      icons: { normal: 'tray.png', paused: 'tray-paused.png', errors: 'tray-errors.png' },
      platform: 'darwin',
      exit: code => fake.exitCodes.push(code),
      onSignal: (signal, handler) => signals.set(signal, handler)
    })

  it('a second launch quits at once (the first instance only comes forward)', async () => {
    fake.singleInstance = false
    expect(await start()).toBeNull()
    expect(fake.quitCalls).toBe(1)
    expect(fake.windows).toHaveLength(0)
  })

  it('takes the next free port when the preferred one is busy, and says so', async () => {
    const preferred = await freePort()
    blocker = createServer()
    await new Promise<void>(resolve => blocker?.listen(preferred, '127.0.0.1', () => resolve()))
    saved.set('preferences', { port: preferred })
    desktop = await start()
    expect(desktop?.port).toBeGreaterThan(preferred)
    expect(fake.notifications).toEqual([{ title: 'Cuttle', body: `Port ${preferred} is in use, so Cuttle listens on ${desktop?.port} this time.` }])
  })

  it('opens a locked-down window signed in by a per-launch token; closing it keeps Cuttle in the tray', async () => {
    saved.set('preferences', { port: await freePort() })
    desktop = await start()
    const window = fake.windows[0]
    expect(window?.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: '/app/out/preload/index.cjs' })
    expect(window?.url).toBe(`http://127.0.0.1:${desktop?.port}/`)
    expect(window?.visible).toBe(true)

    const session = (await fake.invoke(DESKTOP_CHANNELS.getSession)) as DesktopSession
    expect(session).toMatchObject({ baseUrl: `http://127.0.0.1:${desktop?.port}`, version: '9.9.9' })
    const me = await fetch(`${session.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${session.token}` } })
    expect(me.status).toBe(200)

    expect(window?.userClose().defaultPrevented).toBe(true)
    expect(window?.visible).toBe(false)
    expect(fake.trays[0]?.destroyed).toBe(false)
    // A second launch brings it back to the front.
    fake.emitApp('second-instance')
    expect(window?.visible).toBe(true)
    expect(window?.focused).toBeGreaterThanOrEqual(2)
  })

  it('the tray counts live traffic, switches groups for the next request, and pauses the relay', async () => {
    saved.set('preferences', { port: await freePort() })
    desktop = await start()
    const core = desktop?.core
    if (!core) throw new Error('no core')
    const base = `http://127.0.0.1:${core.port}`
    const session = (await fake.invoke(DESKTOP_CHANNELS.getSession)) as DesktopSession
    const admin = (method: string, path: string, body?: unknown): Promise<Response> =>
      fetch(`${base}/api/v1${path}`, { method, headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    const channel = (await (await admin('POST', '/channels', { name: 'up', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-up-0000001'], models: [] })).json()) as { id: number }
    await admin('POST', '/groups', { name: 'smart', members: [{ channelId: channel.id, model: 'gpt-up' }] })
    const { key } = (await (await admin('POST', '/api-keys', { name: 'k' })).json()) as { key: string }
    const chat = (): Promise<Response> =>
      fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }) })

    // The group created through the admin API appears in the tray menu (route table change).
    await waitFor(() => (trayMenu().find(i => i.label === 'Groups')?.submenu ?? []).some(g => g.label === 'smart' && g.checked === true))
    expect((await chat()).status).toBe(200)
    await waitFor(() => fake.trays[0]?.title === '0 ↯ 1')
    const pushed = fake.windows[0]?.webContents.sent.filter(s => s.channel === DESKTOP_CHANNELS.relayStatus).at(-1)?.payload as RelayStatus | undefined
    expect(pushed).toMatchObject({ paused: false, port: core.port, requestsToday: 1 })

    trayMenu().find(i => i.label === 'Groups')?.submenu?.find(g => g.label === 'smart')?.click?.()
    await waitFor(async () => (await chat()).status === 403)
    const stored = (await (await admin('GET', '/groups')).json()) as Array<{ name: string; enabled: boolean }>
    expect(stored.find(g => g.name === 'smart')?.enabled).toBe(false)

    trayMenu().find(i => i.label === 'Pause relay')?.click?.()
    const paused = await chat()
    expect(paused.status).toBe(503)
    expect(((await paused.json()) as { error: { code: string } }).error.code).toBe('relay_paused')
  })

  it('quitting from the OS takes the ordered shutdown: the last requests are in the database', async () => {
    saved.set('preferences', { port: await freePort() })
    desktop = await start()
    const core = desktop?.core
    if (!core) throw new Error('no core')
    const base = `http://127.0.0.1:${core.port}`
    const session = (await fake.invoke(DESKTOP_CHANNELS.getSession)) as DesktopSession
    const post = (path: string, body: unknown): Promise<Response> =>
      fetch(`${base}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    await post('/channels', { name: 'up', type: 'openai-chat', baseUrls: [upstream.url], keys: ['sk-up-0000001'], models: ['m1'] })
    const { key } = (await (await post('/api-keys', { name: 'k' })).json()) as { key: string }
    for (let i = 0; i < 5; i++) {
      await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm1', messages: [{ role: 'user', content: 'hi' }] }) })
    }
    const event = fake.emitApp('before-quit')
    expect(event.defaultPrevented).toBe(true)
    await waitFor(() => fake.exitCodes.length > 0, 10_000)
    expect(fake.exitCodes).toEqual([0])
    expect(fake.trays[0]?.destroyed).toBe(true)
    // After the exit, a quit the OS repeats goes through.
    expect(fake.emitApp('before-quit').defaultPrevented).toBe(false)
    const knex = createKnex(dbTargetFor(null, fake.userData))
    try {
      expect(Number(((await knex('request_logs').count({ n: '*' }).first()) as { n: unknown }).n)).toBe(5)
    } finally {
      await knex.destroy()
    }
  })

  it('SIGTERM takes the same path', async () => {
    saved.set('preferences', { port: await freePort() })
    desktop = await start()
    signals.get('SIGTERM')?.()
    await waitFor(() => fake.exitCodes.length > 0, 10_000)
    expect(fake.exitCodes).toEqual([0])
  })
})
