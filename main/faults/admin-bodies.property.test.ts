import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCore, type TestCore } from '../testing/test-core'
import { createTestDatabase, type TestDatabase } from '../testing/test-db'

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

/** The fields each create endpoint knows, so generated bodies reach the field rules, not only the shape check. */
const CREATE_ENDPOINTS: readonly { path: string; fields: readonly string[] }[] = [
  { path: '/channels', fields: ['name', 'type', 'baseUrls', 'keys', 'models', 'enabled', 'priority', 'weight', 'headers', 'proxy', 'timeouts', 'modelMap', 'autoSync'] },
  { path: '/groups', fields: ['name', 'mode', 'enabled', 'fallback', 'firstTokenTimeoutMs', 'totalTimeoutMs', 'maxAttempts', 'modelPattern', 'members'] },
  { path: '/api-keys', fields: ['name', 'allowedGroups', 'expiresAt', 'enabled', 'key'] }
]

/** Values that are often almost right: empty and odd strings, URLs, numbers at the edges, arrays of those. */
const edgyArb = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('', ' ', 'http://', 'https://x.test/?q=1', 'ftp://x', 'openai-chat', 'anthropic', 'weighted', -1, 0, 1e300, null),
  fc.array(fc.constantFrom('', 'http://', 'https://x.test', 'not a url', 1, null), { maxLength: 3 })
)

/** Asserts an admin answer: created, a conflict, or a 400 listing which fields are wrong; never a 5xx. */
function checkAdminAnswer(body: unknown, answer: { status: number; body: unknown }): void {
  const seen = `${JSON.stringify(body).slice(0, 200)} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`
  expect([200, 201, 400, 409], seen).toContain(answer.status)
  if (answer.status !== 400) return
  const error = (answer.body as { error?: { code?: unknown; message?: unknown; fields?: { path?: unknown; message?: unknown }[] } }).error
  expect(typeof error?.message, seen).toBe('string')
  expect(error?.fields?.length, seen).toBeGreaterThan(0)
  for (const field of error?.fields ?? []) expect([typeof field.path, typeof field.message], seen).toEqual(['string', 'string'])
}

describe.each(CREATE_ENDPOINTS)('POST $path with arbitrary bodies', ({ path, fields }) => {
  it('arbitrary JSON values → 400 with field errors, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async body => checkAdminAnswer(body, await cuttle.admin('POST', path, body))),
      { numRuns: 150 }
    )
  })

  it('its own fields with arbitrary values → created or 400 naming the fields, never 500', async () => {
    const bodyArb = fc.dictionary(fc.constantFrom(...fields), edgyArb, { maxKeys: fields.length })
    await fc.assert(
      fc.asyncProperty(bodyArb, async body => checkAdminAnswer(body, await cuttle.admin('POST', path, body))),
      { numRuns: 150 }
    )
  })
})

describe('found by the properties above', () => {
  it('a base URL that is no URL at all is a field error, not a 500 (the query check used to parse it anyway)', async () => {
    for (const baseUrl of ['', 'not a url', 'http://']) {
      const answer = await cuttle.admin('POST', '/channels', { name: 'u', type: 'openai-chat', baseUrls: [baseUrl], keys: ['sk-url-check-000000'], models: ['u'] })
      expect(answer.status).toBe(400)
      expect((answer.body as { error: { fields: { path: string }[] } }).error.fields.map(f => f.path)).toContain('baseUrls.0')
    }
  })
})

describe('SQL-looking text is only text', () => {
  const NASTY = ["x'); DROP TABLE channels;--", "' OR '1'='1", '"; DELETE FROM api_keys; --', 'a%_\\%']

  it('names round-trip literally and the tables survive', async () => {
    for (const [i, name] of NASTY.entries()) {
      const created = await cuttle.admin('POST', '/channels', { name, type: 'openai-chat', baseUrls: ['https://api.example.com'], keys: [`sk-nasty-${i}-00000000`], models: [`nasty-${i}`] })
      expect(created.status).toBe(201)
      const id = (created.body as { id: number }).id
      expect(((await cuttle.admin('GET', `/channels/${id}`)).body as { name: string }).name).toBe(name)
      const key = await cuttle.admin('POST', '/api-keys', { name })
      expect((key.body as { name: string }).name).toBe(name)
    }
    const listed = (await cuttle.admin('GET', '/channels')).body as { name: string }[] | { items: { name: string }[] }
    const names = (Array.isArray(listed) ? listed : listed.items).map(c => c.name)
    expect(names).toEqual(expect.arrayContaining(NASTY))
    expect(await db.knex.schema.hasTable('channels')).toBe(true)
    expect(await db.knex.schema.hasTable('api_keys')).toBe(true)
  })

  it('search filters treat them as text: no error, no match, no other row', async () => {
    for (const text of NASTY) {
      const prices = await cuttle.admin('GET', `/prices?search=${encodeURIComponent(text)}`)
      expect(prices.status).toBe(200)
      expect(JSON.stringify(prices.body)).not.toContain('"model":"gpt')
      const logs = await cuttle.admin('GET', `/logs?model=${encodeURIComponent(text)}`)
      expect(logs.status).toBe(200)
      expect((logs.body as { items: unknown[] }).items).toEqual([])
    }
    expect(await db.knex.schema.hasTable('channels')).toBe(true)
  })
})
