import { connect, createServer, type Server, type Socket } from 'node:net'

/** A TCP proxy on 127.0.0.1 that a test can cut and restore, to take a database away. */
export interface TcpProxy {
  readonly port: number
  /** Drops every open connection and refuses new ones until restored. */
  cut(): void
  restore(): void
  close(): Promise<void>
}

/** Forwards 127.0.0.1:<port> to `target` byte for byte while it is not cut. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>()
  let cut = false
  const track = (socket: Socket): void => {
    open.add(socket)
    socket.once('close', () => open.delete(socket))
    // A cut resets both sides; the errors that follow are the point, not a failure.
    socket.on('error', () => undefined)
  }
  const server: Server = createServer(client => {
    track(client)
    if (cut) return void client.resetAndDestroy()
    const upstream = connect(target.port, target.host)
    track(upstream)
    client.pipe(upstream).pipe(client)
    client.once('close', () => upstream.destroy())
    upstream.once('close', () => client.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    port,
    cut() {
      cut = true
      for (const socket of open) socket.resetAndDestroy()
    },
    restore() {
      cut = false
    },
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      })
  }
}
