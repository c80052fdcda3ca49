import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

/** The built headless entry, as `npm run serve` and the Docker image run it. */
export const ENTRY = fileURLToPath(new URL('../../out/main/index.js', import.meta.url))

/** A Cuttle process started from the build. */
export interface SpawnedCuttle {
  child: ChildProcess
  port: number
  output(): string
  /** Waits for the process to end; rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number | null>
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Starts `node out/main/index.js --server …args` with only the given environment added. */
export function spawnCuttle(args: string[], env: Record<string, string>, port: number): SpawnedCuttle {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first`)
  const child = spawn(process.execPath, [ENTRY, '--server', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  const exit = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  return {
    child,
    port,
    output: () => output,
    exited: (timeoutMs = 15_000) =>
      Promise.race([
        exit,
        new Promise<number | null>((_, reject) =>
          setTimeout(() => {
            child.kill('SIGKILL')
            reject(new Error(`process did not exit within ${timeoutMs} ms; output:\n${output}`))
          }, timeoutMs).unref()
        )
      ])
  }
}

/** Polls `/healthz` until it answers 200; returns the milliseconds it took. */
export async function waitHealthy(port: number, timeoutMs = 10_000): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (res.ok) return Date.now() - started
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  throw new Error(`no /healthz on port ${port} within ${timeoutMs} ms`)
}
