import { createServer } from 'node:net'

/** Whether `port` on `host` can be listened on right now. */
function available(port: number, host: string): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, host, () => server.close(() => resolve(true)))
  })
}

/**
 * The preferred port when it is free, else the next free one above it (at most `tries` further),
 * so a second app or another program on 7878 does not stop Cuttle from starting.
 */
export async function firstFreePort(preferred: number, host: string, tries = 20): Promise<number> {
  for (let port = preferred; port < preferred + tries && port <= 65535; port++) {
    if (await available(port, host)) return port
  }
  throw new Error(`No free port between ${preferred} and ${preferred + tries - 1} on ${host}.`)
}
