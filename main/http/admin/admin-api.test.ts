import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ADMIN_API, ADMIN_API_PREFIX, type EndpointDef } from '@shared/contract/admin-api'
import { LoginResultSchema, MeSchema } from '@shared/dto/auth'
import { DEFAULT_SETTINGS, SettingsSchema } from '@shared/dto/settings'
import { adminCall, adminErrorOf, type AdminReply } from '../../testing/admin-client'
import { startTestCore, TEST_ADMIN_PASSWORD, type TestCore } from '../../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../../testing/test-db'

let db: TestDatabase
let cuttle: TestCore

beforeAll(async () => {
  db = await createTestDatabase('sqlite')
  cuttle = await startTestCore(db)
})

afterAll(async () => {
  await cuttle.stop()
  await db.destroy()
})

type Reply = AdminReply

/** Calls the admin API with an explicit token (or none), so auth can be tested. */
const call = (method: string, path: string, opts: { token?: string; body?: unknown; raw?: string } = {}): Promise<Reply> =>
  adminCall(cuttle.url, method, path, opts)
const errorOf = adminErrorOf

async function login(username: string, password: string): Promise<Reply> {
  return call('POST', '/auth/login', { body: { username, password } })
}

async function loginOk(password = TEST_ADMIN_PASSWORD): Promise<string> {
  const reply = await login('admin', password)
  expect(reply.status, reply.text).toBe(200)
  return LoginResultSchema.parse(reply.json).token
}

/** Every endpoint that needs a token, with `:id` filled in. */
const protectedEndpoints = (Object.entries(ADMIN_API) as Array<[string, EndpointDef]>)
  .filter(([, def]) => def.public !== true)
  .map(([name, def]) => ({ name, method: def.method, path: def.path.replace(':id', '1'), body: def.body ? {} : undefined }))

describe('auth', () => {
  it('rejects a wrong password and an unknown user with the same 401', async () => {
    const wrong = errorOf(await login('admin', 'not-the-password'), 401)
    const unknown = errorOf(await login('nobody', TEST_ADMIN_PASSWORD), 401)
    expect(wrong.code).toBe('unauthorized')
    expect(unknown).toEqual(wrong)
    expect(wrong.message).toBe('Wrong username or password.')
  })

  it('rejects a login body with missing fields as a validation error', async () => {
    const error = errorOf(await call('POST', '/auth/login', { body: { username: 'admin' } }), 400)
    expect(error.code).toBe('validation_failed')
    expect(error.fields?.map(f => f.path)).toEqual(['password'])
  })

  it('issues a token that expires in the future and identifies the admin', async () => {
    const before = Date.now()
    const reply = await login('admin', TEST_ADMIN_PASSWORD)
    expect(reply.status).toBe(200)
    const result = LoginResultSchema.parse(reply.json)
    expect(result.username).toBe('admin')
    expect(result.token.length).toBeGreaterThan(20)
    // Default lifetime is 24 hours.
    expect(result.expiresAt).toBeGreaterThanOrEqual(before + 24 * 3_600_000 - 1000)
    expect(result.expiresAt).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000 + 1000)
    const me = await call('GET', '/auth/me', { token: result.token })
    expect(me.status).toBe(200)
    expect(MeSchema.parse(me.json)).toEqual({ username: 'admin', expiresAt: result.expiresAt })
  })

  it('only auth.login is public; every other endpoint needs a token', () => {
    expect(protectedEndpoints.length).toBe(Object.keys(ADMIN_API).length - 1)
    expect(protectedEndpoints.map(e => e.name)).toContain('channels.delete')
  })

  it.each(protectedEndpoints)('$method $path ($name) without a token → 401', async ({ method, path, body }) => {
    const error = errorOf(await call(method, path, { body }), 401)
    expect(error.code).toBe('unauthorized')
    expect(error.message).toContain('Authorization: Bearer')
  })

  it.each(protectedEndpoints)('$method $path ($name) with a garbage token → 401', async ({ method, path, body }) => {
    expect(errorOf(await call(method, path, { token: 'garbage', body }), 401).code).toBe('unauthorized')
  })

  it('rejects a well-formed token with a forged signature or a tampered payload', async () => {
    const token = await loginOk()
    const [prefix, payload, signature] = token.split('.')
    expect(prefix && payload && signature).toBeTruthy()
    const forged = `${prefix}.${payload}.${Buffer.alloc(32, 1).toString('base64url')}`
    const claims = z.object({ u: z.number(), e: z.number(), x: z.number() }).parse(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')))
    const tampered = `${prefix}.${Buffer.from(JSON.stringify({ ...claims, x: claims.x + 1 })).toString('base64url')}.${signature}`
    for (const bad of [forged, tampered, `${token}x`, token.replace(/^cat1/, 'cat2')]) {
      expect(errorOf(await call('GET', '/auth/me', { token: bad }), 401).code).toBe('unauthorized')
    }
    expect((await call('GET', '/auth/me', { token })).status).toBe(200)
  })

  it('ignores a non-Bearer authorization scheme', async () => {
    const token = await loginOk()
    const res = await fetch(`${cuttle.url}${ADMIN_API_PREFIX}/channels`, { headers: { authorization: `Basic ${token}` } })
    expect(res.status).toBe(401)
  })

  it('logout revokes the token (and every other token of the admin)', async () => {
    const token = await loginOk()
    const other = await loginOk()
    const out = await call('POST', '/auth/logout', { token })
    expect(out.status).toBe(200)
    expect(out.json).toEqual({ revoked: true })
    for (const old of [token, other]) {
      const error = errorOf(await call('GET', '/channels', { token: old }), 401)
      expect(error).toMatchObject({ code: 'unauthorized', message: 'The token was revoked; sign in again.' })
    }
    const fresh = await loginOk()
    expect((await call('GET', '/channels', { token: fresh })).status).toBe(200)
  })

  it('a password change with the wrong current password → 400 and nothing changes', async () => {
    const token = await loginOk()
    const error = errorOf(await call('POST', '/auth/password', { token, body: { currentPassword: 'wrong-password', newPassword: 'a-new-long-password' } }), 400)
    expect(error.fields?.map(f => f.path)).toEqual(['currentPassword'])
    const short = errorOf(await call('POST', '/auth/password', { token, body: { currentPassword: TEST_ADMIN_PASSWORD, newPassword: 'short' } }), 400)
    expect(short).toMatchObject({ code: 'validation_failed', fields: [{ path: 'newPassword', message: 'must be at least 12 characters' }] })
    expect((await call('GET', '/auth/me', { token })).status).toBe(200)
    await loginOk()
  })

  it('a password change revokes old tokens, returns a working one, and only the new password signs in', async () => {
    const oldToken = await loginOk()
    const newPassword = 'a-brand-new-admin-password'
    const reply = await call('POST', '/auth/password', { token: oldToken, body: { currentPassword: TEST_ADMIN_PASSWORD, newPassword } })
    expect(reply.status, reply.text).toBe(200)
    const issued = LoginResultSchema.parse(reply.json)
    expect(issued.username).toBe('admin')
    expect(errorOf(await call('GET', '/auth/me', { token: oldToken }), 401).code).toBe('unauthorized')
    expect((await call('GET', '/auth/me', { token: issued.token })).status).toBe(200)
    expect(errorOf(await login('admin', TEST_ADMIN_PASSWORD), 401).code).toBe('unauthorized')
    const again = await loginOk(newPassword)
    expect((await call('GET', '/channels', { token: again })).status).toBe(200)
    // Put it back so the remaining tests can use the shared helpers.
    const restore = await call('POST', '/auth/password', { token: again, body: { currentPassword: newPassword, newPassword: TEST_ADMIN_PASSWORD } })
    expect(restore.status).toBe(200)
  })
})

describe('settings', () => {
  it('GET returns the defaults', async () => {
    const reply = await call('GET', '/settings', { token: await loginOk() })
    expect(reply.status).toBe(200)
    const settings = SettingsSchema.parse(reply.json)
    expect(settings).toEqual(DEFAULT_SETTINGS)
    expect(settings.maxAttempts).toBe(3)
    expect(settings.captureBodies).toBe(false)
  })

  it('PATCH changes one value, returns all of them and persists', async () => {
    const token = await loginOk()
    const reply = await call('PATCH', '/settings', { token, body: { maxAttempts: 5 } })
    expect(reply.status, reply.text).toBe(200)
    expect(SettingsSchema.parse(reply.json)).toEqual({ ...DEFAULT_SETTINGS, maxAttempts: 5 })
    expect(SettingsSchema.parse((await call('GET', '/settings', { token })).json).maxAttempts).toBe(5)
    expect((await cuttle.core.repos.settings.getAll()).maxAttempts).toBe(5)
  })

  it('PATCH of one setting leaves the others as they were', async () => {
    const token = await loginOk()
    expect((await call('PATCH', '/settings', { token, body: { captureBodies: true, logRetentionDays: 7 } })).status).toBe(200)
    const reply = await call('PATCH', '/settings', { token, body: { logRetentionDays: 30 } })
    expect(SettingsSchema.parse(reply.json)).toMatchObject({ maxAttempts: 5, captureBodies: true, logRetentionDays: 30 })
    expect((await call('PATCH', '/settings', { token, body: { captureBodies: false } })).status).toBe(200)
  })

  it.each([
    [{ maxAttempts: 0 }, 'maxAttempts'],
    [{ maxAttempts: '7' }, 'maxAttempts'],
    [{ logRetentionDays: 1.5 }, 'logRetentionDays'],
    [{ logMaxRows: 999 }, 'logMaxRows'],
    [{ captureBodies: 'yes' }, 'captureBodies']
  ])('PATCH %j → 400 naming %s and nothing changes', async (body, path) => {
    const token = await loginOk()
    const error = errorOf(await call('PATCH', '/settings', { token, body }), 400)
    expect(error.code).toBe('validation_failed')
    expect(error.fields?.map(f => f.path)).toEqual([path])
    expect(error.message).toContain(path)
    expect(await cuttle.core.repos.settings.getAll()).toEqual({ ...DEFAULT_SETTINGS, maxAttempts: 5 })
  })

  it('PATCH with an unknown setting → 400 naming it', async () => {
    const error = errorOf(await call('PATCH', '/settings', { token: await loginOk(), body: { turbo: true } }), 400)
    expect(error.code).toBe('validation_failed')
    expect(error.message).toContain('turbo')
  })
})

describe('openapi and unknown paths', () => {
  const OpenApiSchema = z.object({
    openapi: z.string(),
    paths: z.record(z.string(), z.record(z.string(), z.looseObject({ operationId: z.string(), security: z.array(z.unknown()).optional() })))
  })
  const PatchSchema = z.object({
    requestBody: z.object({
      content: z.object({ 'application/json': z.object({ schema: z.looseObject({ properties: z.record(z.string(), z.unknown()) }) }) })
    })
  })

  it('GET /api/v1/openapi.json is public and describes the contract', async () => {
    const reply = await call('GET', '/openapi.json')
    expect(reply.status).toBe(200)
    const doc = OpenApiSchema.parse(reply.json)
    expect(doc.openapi).toBe('3.1.0')
    const channel = doc.paths['/api/v1/channels/{id}']
    expect(Object.keys(channel ?? {}).sort()).toEqual(['delete', 'get', 'patch'])
    const patch = PatchSchema.parse(channel?.patch)
    const properties = patch.requestBody.content['application/json'].schema.properties
    expect(properties.keys).toBeDefined()
    expect(Object.keys(properties)).toEqual(expect.arrayContaining(['name', 'baseUrls', 'headers', 'keys']))
    const operations = Object.values(doc.paths).flatMap(ops => Object.values(ops).map(op => op.operationId))
    // The live stream and the CSV download are the routes outside the contract (they are not JSON).
    expect(operations.sort()).toEqual([...Object.keys(ADMIN_API), 'stats.liveStream', 'stats.seriesCsv'].sort())
    expect(doc.paths['/api/v1/auth/login']?.post?.security).toEqual([])
  })

  it.each(['GET', 'POST', 'DELETE'])('%s /api/v1/nope → 404 in the admin error format', async method => {
    const error = errorOf(await call(method, '/nope', { token: await loginOk() }), 404)
    expect(error.code).toBe('not_found')
    expect(error.message).toContain('does not exist')
  })

  it('an unsupported method on a known path → 404 in the admin error format', async () => {
    expect(errorOf(await call('PUT', '/channels', { token: await loginOk(), body: {} }), 404).code).toBe('not_found')
  })
})
