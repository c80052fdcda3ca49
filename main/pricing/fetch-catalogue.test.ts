import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CatalogueFetchError, fetchCatalogue } from './fetch-catalogue'

let server: Server
let base = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"openai":{"models":{}}}')
    if (req.url === '/down') return void res.writeHead(503).end('maintenance')
    if (req.url === '/html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>')
    // '/hang': headers, then nothing.
    res.writeHead(200, { 'content-type': 'application/json' })
    res.write('{"partial":')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>(resolve => server.close(() => resolve()))
})

async function failure(url: string, timeoutMs = 2_000, stop?: AbortSignal): Promise<CatalogueFetchError> {
  const err = await fetchCatalogue(url, timeoutMs, stop).then(
    () => null,
    (e: unknown) => e
  )
  if (!(err instanceof CatalogueFetchError)) throw new Error(`expected a CatalogueFetchError, got ${String(err)}`)
  return err
}

describe('fetchCatalogue', () => {
  it('answers the parsed JSON', async () => {
    expect(await fetchCatalogue(`${base}/ok`, 2_000)).toEqual({ openai: { models: {} } })
  })

  it('tells a bad answer (reachable) from no answer', async () => {
    expect(await failure(`${base}/down`)).toMatchObject({ message: 'it answered HTTP 503', reachable: true })
    expect((await failure(`${base}/html`)).message).toMatch(/^its answer is not JSON \(/)
    const refused = await failure('http://127.0.0.1:1/api.json')
    expect(refused.reachable).toBe(false)
    expect(refused.message).toContain('ECONNREFUSED')
  })

  it('gives up after the timeout, reading included, or when stopped', async () => {
    const started = Date.now()
    expect(await failure(`${base}/hang`, 300)).toMatchObject({ message: 'no complete answer within 0.3 s', reachable: false })
    expect(Date.now() - started).toBeLessThan(2_000)
    const stop = new AbortController()
    setTimeout(() => stop.abort(), 50)
    expect((await failure(`${base}/hang`, 5_000, stop.signal)).message).toBe('Cuttle is shutting down')
  })
})
