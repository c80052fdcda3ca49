import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A fake https://models.dev/api.json on 127.0.0.1 answering whatever the test sets. */
export interface FakeModelsDev {
  /** URL of its `/api.json`. */
  readonly url: string
  /** How many times it was asked. */
  readonly hits: number
  /** Answers `body` (JSON-encoded unless a string) with `status` from now on. */
  answer(body: unknown, status?: number): void
  close(): Promise<void>
}

/** Starts the fake; it answers 404 until told what to say. */
export async function startFakeModelsDev(): Promise<FakeModelsDev> {
  let reply = { status: 404, text: '{"error":"not set"}' }
  let hits = 0
  const server = createServer((_req, res) => {
    hits++
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.text)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/api.json`,
    get hits() {
      return hits
    },
    answer(body, status = 200) {
      reply = { status, text: typeof body === 'string' ? body : JSON.stringify(body) }
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
