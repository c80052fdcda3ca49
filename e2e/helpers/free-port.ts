import { createServer } from 'node:net'

/**
 * A TCP port that is free on 127.0.0.1 right now: bind port 0, read what the OS picked, release it.
 * Another process could take it before the caller binds; with one test worker that does not happen.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(err => (err ? reject(err) : port > 0 ? resolve(port) : reject(new Error('no port was assigned'))))
    })
  })
}
