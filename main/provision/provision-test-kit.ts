import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { createSecretBox } from '../security/secret-box'
import { migrate } from '../store/migrate'
import { createRepositories, type Repositories } from '../store/repositories'
import { createTestDatabase, type TestDatabase } from '../testing/test-db'
import type { DbClient } from '../store/knex'

/** The clock every provisioning test stamps rows with. */
export const NOW = 1_700_000_000_000

/** Provider and client keys of FULL_YAML; no error line may ever contain one of them. */
export const SECRET_KEYS = ['sk-one-aaaaaaaaaaaa', 'sk-two-bbbbbbbbbbbb', 'sk-ant-cccccccccccc', 'ck-laptop-123456789', 'ck-ci-00000000000000']

/** A file using every section and most optional fields. */
export const FULL_YAML = `
channels:
  - name: openai-main
    type: openai-chat
    baseUrls: [https://api.openai.com]
    keys: [sk-one-aaaaaaaaaaaa, sk-two-bbbbbbbbbbbb]
    models: [gpt-4.1, gpt-4.1-mini]
  - name: claude
    type: anthropic
    baseUrls: [https://api.anthropic.com, https://backup.example.com/v1]
    keys: [sk-ant-cccccccccccc]
    models: [claude-sonnet-4]
    enabled: false
    priority: 2
    weight: 5
    headers: { X-Org: acme }
    proxy: http://proxy.local:8080
    timeouts: { connectMs: 5000 }
    modelMap: { sonnet: claude-sonnet-4 }
    autoSync: true
groups:
  - name: smart
    mode: weighted
    members:
      - { channel: openai-main, model: gpt-4.1, priority: 0, weight: 3 }
      - { channel: claude, model: claude-sonnet-4 }
    fallback: [cheap]
    firstTokenTimeoutMs: 20000
  - name: cheap
    members:
      - { channel: openai-main, model: gpt-4.1-mini }
apiKeys:
  - { name: laptop, key: ck-laptop-123456789, groups: [smart] }
  - { name: ci, key: ck-ci-00000000000000, limits: { rpm: 60 }, expiresAt: 1800000000000, enabled: false }
settings:
  maxAttempts: 4
  captureBodies: true
`

/** A scratch directory for provisioning files. */
export interface FileDir {
  write(name: string, text: string): string
  remove(): void
}

/** Makes a temp directory; `write` returns the path of the written file. */
export function fileDir(): FileDir {
  const dir = mkdtempSync(join(tmpdir(), 'cuttle-provision-'))
  return {
    write(name, text) {
      const path = join(dir, name)
      writeFileSync(path, text)
      return path
    },
    remove() {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** A migrated database of one engine with repositories over it. */
export interface ProvisionDb {
  db: TestDatabase
  knex: Knex
  repos: Repositories
}

/** Creates and migrates a test database; destroy it with `db.destroy()`. */
export async function provisionDb(client: DbClient): Promise<ProvisionDb> {
  const db = await createTestDatabase(client)
  await migrate(db.knex, null, () => NOW)
  const repos = createRepositories(db.knex, createSecretBox(Buffer.from('test-secret-0123456789')), () => NOW)
  return { db, knex: db.knex, repos }
}

const TABLES = ['channels', 'groups', 'group_members', 'api_keys', 'settings'] as const

/** Row count of every table provisioning writes. */
export async function rowCounts(knex: Knex): Promise<Record<(typeof TABLES)[number], number>> {
  const counts = await Promise.all(
    TABLES.map(async table => {
      const row = (await knex(table).count({ n: '*' }).first()) as { n: number | string } | undefined
      return [table, Number(row?.n ?? 0)] as const
    })
  )
  return Object.fromEntries(counts) as Record<(typeof TABLES)[number], number>
}

/** Empties the tables provisioning writes (children first), so one database serves many tests. */
export async function clearTables(knex: Knex): Promise<void> {
  for (const table of ['group_members', 'groups', 'api_keys', 'channels', 'settings']) await knex(table).delete()
}

/** Everything provisioning can change, read back through the repositories. */
export async function snapshot(repos: Repositories): Promise<unknown> {
  return {
    channels: await repos.channels.list(),
    groups: await repos.groups.list(),
    apiKeys: await repos.apiKeys.list(),
    settings: await repos.settings.getAll()
  }
}
