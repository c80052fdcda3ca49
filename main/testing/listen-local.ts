import type { Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** A test server listening on a free loopback port. */
export interface LocalListener {
  url: string
  /** Connections open right now. */
  openSockets(): number
  /** Destroys every socket (kept-alive ones and tunnels leave the server's own bookkeeping), then closes. */
  close(): Promise<void>
}

/** Listens on 127.0.0.1 on a free port, tracking the sockets so `close` never waits on a client. */
export async function listenLocal(server: Server): Promise<LocalListener> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    openSockets: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
