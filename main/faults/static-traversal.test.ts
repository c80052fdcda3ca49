import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Koa from 'koa'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen, type HttpServer } from '../http/server'
import { serveUi } from '../http/static'

/** A secret next to the UI root, as package.json or the database sit next to a real one. */
const SECRET = 'TOP-SECRET-OUTSIDE-THE-UI-ROOT'

let base: string
let server: HttpServer

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'cuttle-static-'))
  const root = join(base, 'ui')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Cuttle UI</title>')
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")')
  writeFileSync(join(base, 'package.json'), JSON.stringify({ secret: SECRET }))
  writeFileSync(join(base, 'secret.txt'), SECRET)
  const app = new Koa()
  app.silent = true
  app.use(serveUi(root))
  server = await listen(app, '127.0.0.1', 0)
})
afterAll(async () => {
  await server.close(0)
  rmSync(base, { recursive: true, force: true })
})

/** GET with the path sent exactly as written (fetch would resolve the dots first). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, res => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString('utf8')))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const ATTEMPTS = [
  '/../package.json',
  '/../secret.txt',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/%2e%2e/package.json',
  '/assets/..%2f..%2fpackage.json',
  '/assets/../../package.json',
  '/assets/%2e%2e/%2e%2e/secret.txt',
  '/assets/..%5c..%5cpackage.json',
  '/assets/%252e%252e/%252e%252e/package.json',
  '/assets/....//....//package.json',
  '/assets/%00../../package.json',
  '//etc/passwd',
  '/assets//etc/passwd'
]

describe('static UI routes and path traversal', () => {
  it('serves the UI itself', async () => {
    expect(await rawGet('/assets/app.js')).toEqual({ status: 200, body: 'console.log("app")' })
    expect((await rawGet('/some/client/route')).body).toContain('Cuttle UI')
  })

  it.each(ATTEMPTS)('%s never serves a file outside the UI root', async path => {
    const r = await rawGet(path)
    expect(r.body).not.toContain(SECRET)
    expect(r.body).not.toMatch(/root:.*:0:0:/)
    // Either refused, or the SPA's own index (a client-side route), never another file.
    if (r.status === 200) expect(r.body).toContain('Cuttle UI')
    else expect([400, 403, 404]).toContain(r.status)
  })
})
