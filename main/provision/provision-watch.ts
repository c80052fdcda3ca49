import { createHash } from 'node:crypto'
import { watch, type FSWatcher } from 'node:fs'
import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Knex } from 'knex'
import type { Logger } from '../app/logger'
import type { Repositories } from '../store/repositories'
import { applyProvision, type ApplyProvisionResult } from './apply-provision'
import { parseProvisionText, readProvisionText } from './load-provision'

/** What a reload writes to and rebuilds; the core hands it over once it runs. */
export interface ProvisionTarget {
  db: Knex
  repos: Repositories
  /** Rebuilds what requests read from memory and tells the other instances, as an admin change does. */
  reload(): Promise<void>
}

/** The file to follow and how. */
export interface ProvisionWatchOptions {
  /** Absolute path of the provisioning file. */
  path: string
  env: Readonly<Record<string, string | undefined>>
  /** The text applied at start: the same text again is not applied twice. */
  appliedText: string
  logger: Logger
  /** The operator's Antigravity opt-in, as at start (default off). */
  allowAntigravity?: boolean
  /** Quiet time after the last change in the directory before the file is read (editors write in steps). */
  debounceMs?: number
  /** Interval of the stat check that finds changes where the watch is unreliable (network and container filesystems). */
  pollMs?: number
}

const DEFAULT_DEBOUNCE_MS = 300
const DEFAULT_POLL_MS = 2000

function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** Knex puts the statement with its values before the database's reason; only the reason is logged. */
function databaseReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return message.split(' - ').at(-1) ?? message
}

/**
 * Follows the provisioning file while Cuttle runs and applies each new version as at start: the
 * same loader and checks, one transaction, then the route table rebuilt. A version that fails
 * anywhere leaves the running configuration as it was and is reported once, one line per problem.
 */
export class ProvisionWatch {
  private watcher: FSWatcher | null = null
  private debounce: NodeJS.Timeout | null = null
  private poller: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  /** A change arrived during a check: look again when it ends. */
  private again = false
  private stopped = false
  /** Hash of the text the running configuration came from. */
  private applied: string
  /** Hash (or read error) of the version last looked at, so a bad version is reported once. */
  private seen: string
  /** Inode, size and mtime at the last stat check. */
  private statSignature: string | null = null
  private readonly debounceMs: number
  private readonly pollMs: number

  constructor(
    private readonly target: ProvisionTarget,
    private readonly options: ProvisionWatchOptions
  ) {
    this.applied = fingerprint(options.appliedText)
    this.seen = this.applied
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS
  }

  /** Watches the file's directory and starts the stat check; neither keeps the process alive. */
  start(): void {
    const { path, logger } = this.options
    try {
      // The directory, not the file: an editor that saves by renaming a new file over the old one
      // leaves a watch on the file following the old inode. Any entry counts, since a Kubernetes
      // ConfigMap swaps a `..data` symlink rather than the file; the hash filters out the rest.
      this.watcher = watch(dirname(path), { persistent: false }, () => this.schedule())
      this.watcher.on('error', err => {
        logger.warn({ file: path, err: err.message }, 'stopped watching the provisioning file; changes are still found by the periodic check')
        this.watcher?.close()
        this.watcher = null
      })
    } catch (err) {
      logger.warn({ file: path, err: err instanceof Error ? err.message : String(err) }, 'cannot watch the provisioning file; changes are found by the periodic check')
    }
    this.poller = setInterval(() => void this.pollStat(), this.pollMs)
    this.poller.unref()
    // An edit made while the core was starting has had no event to catch it.
    this.schedule()
  }

  /** Stops watching and waits for a reload in progress, so the database is not closed under it. */
  async stop(): Promise<void> {
    this.stopped = true
    this.watcher?.close()
    this.watcher = null
    if (this.debounce) clearTimeout(this.debounce)
    if (this.poller) clearInterval(this.poller)
    this.debounce = null
    this.poller = null
    await this.running
  }

  /** Looks at the file now, after a check in progress; what the watch and the stat check call. */
  check(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.checkUntilQuiet().finally(() => {
      this.running = null
    })
    return this.running
  }

  private schedule(): void {
    if (this.stopped) return
    if (this.debounce) clearTimeout(this.debounce)
    this.debounce = setTimeout(() => {
      this.debounce = null
      void this.check()
    }, this.debounceMs)
    this.debounce.unref()
  }

  /** Cheap enough for a short interval: the file is only read when its stat changed. */
  private async pollStat(): Promise<void> {
    let signature: string
    try {
      const info = await stat(this.options.path)
      signature = `${info.ino}:${info.size}:${info.mtimeMs}`
    } catch (err) {
      signature = (err as NodeJS.ErrnoException).code ?? 'unreadable'
    }
    if (signature === this.statSignature || this.stopped) return
    this.statSignature = signature
    await this.check()
  }

  private async checkUntilQuiet(): Promise<void> {
    do {
      this.again = false
      try {
        await this.checkOnce()
      } catch (err) {
        // Applied and committed, but the rebuild failed: the next admin change or revision poll rebuilds.
        this.options.logger.error({ file: this.options.path, err: err instanceof Error ? err.message : String(err) }, 'provisioning file applied, but the route table could not be rebuilt')
      }
    } while (this.again && !this.stopped)
  }

  private async checkOnce(): Promise<void> {
    const { path, env, logger } = this.options
    const read = readProvisionText(path)
    const version = read.ok ? fingerprint(read.text) : read.errors.join('\n')
    if (version === this.seen) return
    this.seen = version
    // Back to the applied text (a bad edit undone): the running configuration already is this.
    if (version === this.applied) return
    if (!read.ok) return this.reject(read.errors)
    const loaded = parseProvisionText(path, read.text, env)
    if (!loaded.ok) return this.reject(loaded.errors)
    let result: ApplyProvisionResult
    try {
      result = await applyProvision(this.target.db, this.target.repos, loaded.file, { source: path, allowAntigravity: this.options.allowAntigravity })
    } catch (err) {
      // The transaction was rolled back; the file may apply once the database takes it (the next edit).
      return this.reject([`${path}: the database refused it: ${databaseReason(err)}`])
    }
    if (!result.ok) return this.reject(result.errors)
    this.applied = version
    await this.target.reload()
    logger.info({ file: path, ...result.summary }, 'provisioning file reloaded')
  }

  private reject(errors: readonly string[]): void {
    for (const line of errors) this.options.logger.error({ file: this.options.path, applied: false }, line)
  }
}
