import { connect, type Socket } from 'node:net'
import Koa from 'koa'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readJsonBody } from '../http/middleware/read-body'
import { listen, SERVER_TIMEOUTS, type HttpServer } from '../http/server'

/** Small deadlines so a slowloris is cut within the test; production uses SERVER_TIMEOUTS. */
const TIMEOUTS = { headersMs: 500, requestMs: 1000, checkEveryMs: 100 }
const MARGIN_MS = 600

let server: HttpServer
const bodyReads: string[] = []

beforeAll(async () => {
  const app = new Koa()
  // The 408s raise errors Koa would print; the relay's app is silent too.
  app.silent = true
  app.use(async ctx => {
    if (ctx.path === '/slow-answer') {
      // An answer that streams for longer than the request deadline: only receiving is timed.
      ctx.respond = false
      ctx.res.writeHead(200, { 'content-type': 'text/plain' })
      let n = 0
      const timer = setInterval(() => {
        ctx.res.write(`tick${n} `)
        if (++n === 8) {
          clearInterval(timer)
          ctx.res.end()
        }
      }, 250)
      return
    }
    // The body reader every relay handler uses.
    const read = await readJsonBody(ctx, 1024 * 1024)
    bodyReads.push(read.ok ? 'ok' : read.failure.kind)
    ctx.body = { ok: read.ok }
  })
  server = await listen(app, '127.0.0.1', 0, TIMEOUTS)
})
afterAll(async () => {
  await server.close(0)
})

/** Opens a raw connection and resolves with what the server sent and when it closed. */
function rawClient(): { socket: Socket; closed: Promise<{ text: string; afterMs: number }> } {
  const socket = connect(server.port, '127.0.0.1')
  const started = Date.now()
  let text = ''
  socket.on('data', (d: Buffer) => (text += d.toString('utf8')))
  socket.on('error', () => undefined)
  const closed = new Promise<{ text: string; afterMs: number }>(resolve => socket.on('close', () => resolve({ text, afterMs: Date.now() - started })))
  return { socket, closed }
}

describe('clients that send slowly', () => {
  it('production defaults bound headers and request bodies', () => {
    expect(SERVER_TIMEOUTS.headersMs).toBeGreaterThan(0)
    expect(SERVER_TIMEOUTS.requestMs).toBeGreaterThan(SERVER_TIMEOUTS.headersMs)
    expect(SERVER_TIMEOUTS.requestMs).toBeLessThanOrEqual(300_000)
  })

  it('a body trickling slower than the request deadline gets 408 and the connection is closed', async () => {
    const { socket, closed } = rawClient()
    socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":"')
    const trickle = setInterval(() => socket.write('x'), 150)
    const end = await closed
    clearInterval(trickle)
    expect(end.text).toMatch(/^HTTP\/1\.1 408 /)
    expect(end.afterMs).toBeLessThan(TIMEOUTS.requestMs + MARGIN_MS)
    // The handler was not left waiting for the rest of the body.
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(bodyReads.at(-1)).toBe('aborted')
    expect(server.inFlight).toBe(0)
  })

  it('headers trickling slower than the headers deadline are cut', async () => {
    const { socket, closed } = rawClient()
    socket.write('POST /echo HTTP/1.1\r\nHost: x\r\n')
    let n = 0
    const trickle = setInterval(() => socket.write(`X-Slow-${n++}: y\r\n`), 100)
    const end = await closed
    clearInterval(trickle)
    expect(end.text).toMatch(/^HTTP\/1\.1 408 /)
    expect(end.afterMs).toBeLessThan(TIMEOUTS.headersMs + MARGIN_MS)
  })

  it('an answer streaming longer than the request deadline is not cut', async () => {
    const started = Date.now()
    const res = await fetch(`http://127.0.0.1:${server.port}/slow-answer`)
    const text = await res.text()
    expect(Date.now() - started).toBeGreaterThan(TIMEOUTS.requestMs + 500)
    expect(text).toBe('tick0 tick1 tick2 tick3 tick4 tick5 tick6 tick7 ')
  })

  it('still serves a normal request afterwards', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
    expect(await res.json()).toEqual({ ok: true })
  })
})
