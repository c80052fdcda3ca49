import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** How a CLI run ended, with everything it printed. */
export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  stdout: string
  stderr: string
}

/** What to run and where. */
export interface CliCommand {
  command: string
  args: string[]
  cwd: string
  /** The whole environment: nothing of the test process's leaks in (keys, proxies, CLI config). */
  env: Record<string, string>
  timeoutMs: number
}

const require = createRequire(import.meta.url)

/**
 * Claude Code's native binary from its platform package. `node_modules/.bin/claude` is only a
 * stub until the wrapper's postinstall copies the binary over it, and that script is not
 * allowed to run (package.json `allowScripts`).
 */
export function claudeBinary(): string {
  return join(dirname(require.resolve(`@anthropic-ai/claude-code-${process.platform}-${process.arch}/package.json`)), 'claude')
}

/** Codex's launcher script, which finds the native binary of this platform and runs it. */
export function codexLauncher(): string {
  return require.resolve('@openai/codex/bin/codex.js')
}

/** A fresh directory under the system temp dir; removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/**
 * Runs a CLI to its end, or kills its whole process group after `timeoutMs` (the CLIs start
 * children of their own: Codex's launcher, shells, sandboxes).
 */
export function runCli(cmd: CliCommand): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.command, cmd.args, { cwd: cmd.cwd, env: cmd.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const timer = setTimeout(() => {
      timedOut = true
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    }, cmd.timeoutMs)
    child.on('error', error => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, timedOut, stdout, stderr })
    })
  })
}

/** A run in a few lines, for a failing assertion's message. */
export function describeRun(run: CliRun): string {
  const tail = (text: string): string => (text.length > 4000 ? `…${text.slice(-4000)}` : text)
  const end = run.timedOut ? 'killed after the timeout' : `exit ${run.code ?? `signal ${run.signal ?? '?'}`}`
  return `${end}\n--- stdout ---\n${tail(run.stdout)}\n--- stderr ---\n${tail(run.stderr)}`
}
