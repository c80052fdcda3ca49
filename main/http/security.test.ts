import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminCall, adminErrorOf } from '../testing/admin-client'
import { movableClock } from '../testing/factories'
import { rawRequest, type RawReply } from '../testing/raw-http'
import { startTestCore, TEST_ADMIN_PASSWORD, type TestCore } from '../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../testing/test-db'
import { hostCheck } from './middleware/host-check'

const MINUTE = 60_000
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'"

let db: TestDatabase
let cuttle: TestCore
let uiRoot: string
const clock = movableClock(Date.now())

beforeAll(async () => {
  uiRoot = mkdtempSync(join(tmpdir(), 'cuttle-ui-'))
  mkdirSync(join(uiRoot, 'assets'))
  writeFileSync(join(uiRoot, 'index.html'), '<!doctype html><title>Cuttle</title><script type="module" src="/assets/app.js"></script>')
  writeFileSync(join(uiRoot, 'assets', 'app.js'), 'console.log(1)')
  db = await createTestDatabase('sqlite')
  cuttle = await startTestCore(db, {}, { now: clock, uiRoot })
})

afterAll(async () => {
  await cuttle.stop()
  await db.destroy()
  rmSync(uiRoot, { recursive: true, force: true })
})

const login = (username: string, password: string) => adminCall(cuttle.url, 'POST', '/auth/login', { body: { username, password } })
const accessControlHeaders = (reply: RawReply | Response): string[] => {
  const names = reply instanceof Response ? [...reply.headers.keys()] : Object.keys(reply.headers)
  return names.filter(name => name.toLowerCase().startsWith('access-control-'))
}

describe('login rate limiting', () => {
  it('after 5 failures per address and user in 15 minutes answers 429 with Retry-After until the window frees', async () => {
    const start = clock()
    for (let i = 0; i < 5; i++) {
      clock.set(start + i * MINUTE)
      expect((await login('admin', `wrong-${i}`)).status).toBe(401)
    }
    // Blocked even with the right password: the limit stops guessing, not just wrong guesses.
    const blocked = await rawRequest(cuttle.url, 'POST', '/api/v1/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }))
    expect(blocked.status).toBe(429)
    expect(blocked.headers['retry-after']).toBe(String(11 * 60))
    expect(JSON.parse(blocked.text)).toEqual({
      error: { code: 'too_many_attempts', message: 'Too many failed sign-ins from this address for this user; try again in 660 seconds.' }
    })
    // Another user name from the same address is counted apart.
    expect(adminErrorOf(await login('someone-else', 'x'), 401).code).toBe('unauthorized')

    // The first failure leaves the window at start + 15 min: one more try is allowed then.
    clock.set(start + 15 * MINUTE - 1000)
    expect((await login('admin', TEST_ADMIN_PASSWORD)).status).toBe(429)
    clock.set(start + 15 * MINUTE)
    expect((await login('admin', TEST_ADMIN_PASSWORD)).status).toBe(200)
  })

  it('a successful sign-in clears the failures of that address and user', async () => {
    clock.set(clock() + 60 * MINUTE)
    for (let i = 0; i < 4; i++) expect((await login('admin', 'wrong')).status).toBe(401)
    expect((await login('admin', TEST_ADMIN_PASSWORD)).status).toBe(200)
    for (let i = 0; i < 4; i++) expect((await login('admin', 'wrong')).status).toBe(401)
    expect((await login('admin', TEST_ADMIN_PASSWORD)).status).toBe(200)
    for (let i = 0; i < 5; i++) expect((await login('admin', 'wrong')).status).toBe(401)
    expect((await login('admin', 'wrong')).status).toBe(429)
    clock.set(clock() + 15 * MINUTE)
  })
})

describe('CORS and cookies', () => {
  const origin = { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' }

  it('a cross-origin preflight to the admin API gets no permission', async () => {
    for (const path of ['/api/v1/channels', '/api/v1/auth/login']) {
      const reply = await rawRequest(cuttle.url, 'OPTIONS', path, origin)
      expect(accessControlHeaders(reply), path).toEqual([])
      expect(reply.status, path).toBe(404)
    }
  })

  it('admin API answers to a cross-origin request carry no Access-Control-Allow-* headers', async () => {
    const token = await cuttle.login()
    const reply = await fetch(`${cuttle.url}/api/v1/channels`, { headers: { origin: 'http://evil.example', authorization: `Bearer ${token}` } })
    expect(reply.status).toBe(200)
    expect(accessControlHeaders(reply)).toEqual([])
  })

  it('the relay endpoints grant no cross-origin access either (a preflight answers 404 in the protocol shape)', async () => {
    for (const path of ['/v1/chat/completions', '/v1/messages', '/v1beta/models/m:generateContent']) {
      const reply = await rawRequest(cuttle.url, 'OPTIONS', path, origin)
      expect(reply.status, path).toBe(404)
      expect(accessControlHeaders(reply), path).toEqual([])
    }
  })

  it('no answer sets a cookie: sign-in, the UI and the admin API work with bearer tokens only', async () => {
    const token = await cuttle.login()
    const replies = await Promise.all([
      rawRequest(cuttle.url, 'POST', '/api/v1/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD })),
      rawRequest(cuttle.url, 'GET', '/'),
      rawRequest(cuttle.url, 'GET', '/api/v1/settings', { authorization: `Bearer ${token}` })
    ])
    expect(replies.map(r => r.status)).toEqual([200, 200, 200])
    for (const reply of replies) expect(reply.headers['set-cookie']).toBeUndefined()
  })
})

describe('security headers', () => {
  const expectHardened = (reply: RawReply, what: string): void => {
    expect(reply.headers['content-security-policy'], what).toBe(CSP)
    expect(reply.headers['x-content-type-options'], what).toBe('nosniff')
    expect(reply.headers['referrer-policy'], what).toBe('no-referrer')
    expect(reply.headers['x-frame-options'], what).toBe('DENY')
  }

  it('the UI, its assets and client-side routes carry CSP, nosniff, no-referrer and DENY framing', async () => {
    for (const path of ['/', '/assets/app.js', '/channels']) {
      const reply = await rawRequest(cuttle.url, 'GET', path)
      expect(reply.status, path).toBe(200)
      expectHardened(reply, path)
    }
  })

  it('admin API answers carry them too, errors included', async () => {
    const token = await cuttle.login()
    expectHardened(await rawRequest(cuttle.url, 'GET', '/api/v1/settings', { authorization: `Bearer ${token}` }), 'settings')
    const unauthorized = await rawRequest(cuttle.url, 'GET', '/api/v1/channels')
    expect(unauthorized.status).toBe(401)
    expectHardened(unauthorized, '401')
  })

  it('relayed answers stay lean: none of them', async () => {
    const replies = [
      await rawRequest(cuttle.url, 'POST', '/v1/chat/completions', { 'content-type': 'application/json' }, '{}'),
      await rawRequest(cuttle.url, 'GET', '/v1/models'),
      await rawRequest(cuttle.url, 'GET', '/v1/nothing-here')
    ]
    for (const reply of replies) {
      expect(reply.status).toBeGreaterThanOrEqual(400)
      expect(reply.headers['content-security-policy']).toBeUndefined()
      expect(reply.headers['x-frame-options']).toBeUndefined()
    }
  })
})

describe('Host header check (DNS rebinding) on a loopback bind', () => {
  const port = (): string => new URL(cuttle.url).port

  it('refuses a foreign Host with 403 host_not_allowed for the UI, the admin API and the relay', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/api/v1/channels'],
      ['POST', '/api/v1/auth/login'],
      ['POST', '/v1/chat/completions'],
      ['GET', '/v1/models'],
      ['GET', '/healthz']
    ] as const) {
      const reply = await rawRequest(cuttle.url, method, path, { host: `evil.example:${port()}` })
      expect(reply.status, path).toBe(403)
      expect(reply.headers['content-type'], path).toContain('application/json')
      expect(JSON.parse(reply.text), path).toEqual({
        error: {
          code: 'host_not_allowed',
          message: `Host "evil.example:${port()}" is not served here: this Cuttle answers only requests for localhost, 127.0.0.1, [::1] (a guard against DNS rebinding). Add the name to CUTTLE_ALLOWED_HOSTS to allow it.`
        }
      })
    }
  })

  it('refuses names that only look local', async () => {
    for (const host of ['localhost.evil.example', '127.0.0.1.nip.io', 'evil.example', '[::2]:1']) {
      expect((await rawRequest(cuttle.url, 'GET', '/healthz', { host })).status, host).toBe(403)
    }
  })

  it('refuses a request without a Host header', async () => {
    const address = new URL(cuttle.url)
    const answer = await new Promise<string>((resolve, reject) => {
      let text = ''
      const socket = connect(Number(address.port), address.hostname, () => socket.write('GET /healthz HTTP/1.0\r\n\r\n'))
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
    })
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden')
    expect(answer).toContain('"code":"host_not_allowed"')
  })

  it('answers localhost, 127.0.0.1 and [::1], with any port and any case', async () => {
    for (const host of [`localhost:${port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`, 'LocalHost', '127.0.0.1', '[::1]']) {
      const reply = await rawRequest(cuttle.url, 'GET', '/healthz', { host })
      expect(reply.status, host).toBe(200)
    }
  })
})

describe('CUTTLE_ALLOWED_HOSTS', () => {
  it('adds names to the loopback ones, and * turns the check off', async () => {
    const listed = await startTestCore(db, { CUTTLE_ALLOWED_HOSTS: 'cuttle.example.com, 10.0.0.5' })
    try {
      expect((await rawRequest(listed.url, 'GET', '/healthz', { host: 'Cuttle.Example.com:443' })).status).toBe(200)
      expect((await rawRequest(listed.url, 'GET', '/healthz', { host: '10.0.0.5:7878' })).status).toBe(200)
      expect((await rawRequest(listed.url, 'GET', '/healthz', { host: 'localhost' })).status).toBe(200)
      const refused = await rawRequest(listed.url, 'GET', '/healthz', { host: 'evil.example' })
      expect(refused.status).toBe(403)
      expect(refused.text).toContain('localhost, 127.0.0.1, [::1], cuttle.example.com, 10.0.0.5')
    } finally {
      await listed.stop()
    }
    const open = await startTestCore(db, { CUTTLE_ALLOWED_HOSTS: '*' })
    try {
      expect((await rawRequest(open.url, 'GET', '/healthz', { host: 'evil.example' })).status).toBe(200)
    } finally {
      await open.stop()
    }
  })

  it('is off by default on a non-loopback bind address and on with a list', () => {
    expect(hostCheck('0.0.0.0', null)).toBeNull()
    expect(hostCheck('192.168.1.20', null)).toBeNull()
    expect(hostCheck('::', null)).toBeNull()
    expect(hostCheck('0.0.0.0', 'cuttle.example.com')).not.toBeNull()
    for (const loopback of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) expect(hostCheck(loopback, null), loopback).not.toBeNull()
    expect(hostCheck('127.0.0.1', '*')).toBeNull()
  })
})
