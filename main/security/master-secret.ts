import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The master secret: `CUTTLE_SECRET` when set, else `<data dir>/secret.key`, created on first
 * start with owner-only permissions.
 */
export function loadMasterSecret(configured: string | null, dataDir: string): Buffer {
  if (configured !== null) return Buffer.from(configured, 'utf8')
  const file = join(dataDir, 'secret.key')
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
    chmodSync(file, 0o600)
  }
  const text = readFileSync(file, 'utf8').trim()
  if (text.length < 16) throw new Error(`${file} is too short to be a secret; delete it or set CUTTLE_SECRET`)
  return Buffer.from(text, 'utf8')
}
