import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createKnex } from '../store/knex'
import { createRouteTableStore, type RouteTableStore } from '../relay/routing/route-table-store'
import { captureLog, type CapturedLog } from '../testing/log-capture'
import { applyProvision } from './apply-provision'
import { parseProvisionText } from './load-provision'
import { fileDir, provisionDb, type FileDir, type ProvisionDb } from './provision-test-kit'
import { ProvisionWatch } from './provision-watch'

const INFO = 30
const WARN = 40
const ERROR = 50
const DEBOUNCE_MS = 50

function channel(name: string): string[] {
  return [`  - name: ${name}`, '    type: openai-chat', '    baseUrls: [http://127.0.0.1:9]', '    models: [m]']
}

/** A file with these channels and group `smart` served by `members`; `fallback` names another group. */
function provisionYaml(channels: readonly string[], members: readonly string[], fallback?: string): string {
  return [
    'channels:',
    ...channels.flatMap(channel),
    'groups:',
    '  - name: smart',
    '    members:',
    ...members.map(name => `      - { channel: ${name}, model: m }`),
    ...(fallback === undefined ? [] : [`    fallback: [${fallback}]`]),
    ''
  ].join('\n')
}

const FIRST = provisionYaml(['old'], ['old'])

describe('ProvisionWatch', () => {
  let t: ProvisionDb
  let dir: FileDir
  let path: string
  let log: CapturedLog
  let routes: RouteTableStore
  let watch: ProvisionWatch
  let publishes: number

  beforeEach(async () => {
    t = await provisionDb('sqlite')
    dir = fileDir()
    path = dir.write('cuttle.yaml', FIRST)
    // What the start does before the watch begins.
    const loaded = parseProvisionText(path, FIRST, {})
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'))
    const applied = await applyProvision(t.knex, t.repos, loaded.file, { source: path })
    if (!applied.ok) throw new Error(applied.errors.join('\n'))
    publishes = 0
    routes = await createRouteTableStore(t.repos, async () => publishes++)
    log = captureLog('info')
    watch = new ProvisionWatch(
      { db: t.knex, repos: t.repos, reload: () => routes.reload() },
      // A long stat interval: these tests see what the directory watch catches.
      { path, env: {}, appliedText: FIRST, logger: log.logger, debounceMs: DEBOUNCE_MS, pollMs: 60_000 }
    )
    watch.start()
  })

  afterEach(async () => {
    await watch.stop()
    await t.db.destroy()
    dir.remove()
  })

  const members = (): string[] => routes.current().groups.get('smart')?.members.map(member => member.channel.name) ?? []
  const lines = (level: number): Array<Record<string, unknown>> => log.records().filter(record => record.level === level)
  const channelNames = async (): Promise<string[]> => (await t.repos.channels.list()).map(row => row.name).sort()
  /** Waits past the debounce and for any check it started, so "nothing happened" is meaningful. */
  const settle = async (): Promise<void> => {
    await new Promise(resolve => setTimeout(resolve, DEBOUNCE_MS * 4))
    await watch.check()
  }

  it('applies an edit: the new channel serves the group, one info line with what was created and updated', async () => {
    writeFileSync(path, provisionYaml(['old', 'new'], ['new']))
    await vi.waitFor(() => expect(members()).toEqual(['new']), { timeout: 5000, interval: 20 })
    expect(await channelNames()).toEqual(['new', 'old'])
    expect(publishes).toBe(1)
    await settle()
    expect(lines(INFO)).toEqual([
      expect.objectContaining({
        msg: 'provisioning file reloaded',
        file: path,
        channels: { created: 1, updated: 1 },
        groups: { created: 0, updated: 1 },
        apiKeys: { created: 0, updated: 0 },
        settings: 0
      })
    ])
  })

  it('keeps the running configuration through a file that does not parse and one naming an unknown group, logging each once, then applies the fixed file', async () => {
    writeFileSync(path, `${provisionYaml(['old'], ['old'])}  - name: [unclosed\n`)
    await vi.waitFor(() => expect(lines(ERROR)).toHaveLength(1), { timeout: 5000, interval: 20 })
    expect(lines(ERROR)[0]).toMatchObject({ file: path, applied: false, msg: expect.stringMatching(new RegExp(`^${path}: line \\d+, column \\d+: YAML syntax error`)) })
    // The same bad text saved again is not reported again.
    writeFileSync(path, `${provisionYaml(['old'], ['old'])}  - name: [unclosed\n`)
    await settle()
    expect(lines(ERROR)).toHaveLength(1)

    // Adds a channel too: nothing of a rejected file may be written.
    writeFileSync(path, provisionYaml(['old', 'new'], ['new'], 'nowhere'))
    await vi.waitFor(() => expect(lines(ERROR)).toHaveLength(2), { timeout: 5000, interval: 20 })
    expect(lines(ERROR)[1]?.msg).toBe(`${path}: groups[0] "smart": fallback[0] "nowhere" is not a group in this file or the database`)
    await settle()
    expect(lines(ERROR)).toHaveLength(2)
    expect(members()).toEqual(['old'])
    expect(await channelNames()).toEqual(['old'])
    expect(publishes).toBe(0)
    expect(lines(INFO)).toEqual([])

    writeFileSync(path, provisionYaml(['old', 'new'], ['new']))
    await vi.waitFor(() => expect(members()).toEqual(['new']), { timeout: 5000, interval: 20 })
    expect(await channelNames()).toEqual(['new', 'old'])
    expect(lines(INFO)).toHaveLength(1)
    expect(lines(ERROR)).toHaveLength(2)
  })

  it('catches a file replaced by rename, as editors save', async () => {
    const temp = dir.write('.cuttle.yaml.swp', provisionYaml(['old', 'new'], ['old', 'new']))
    renameSync(temp, path)
    await vi.waitFor(() => expect(members()).toEqual(['old', 'new']), { timeout: 5000, interval: 20 })
    // Again: the watch is on the directory, so the replaced inode does not end it.
    renameSync(dir.write('.cuttle.yaml.swp', provisionYaml(['old', 'new'], ['new'])), path)
    await vi.waitFor(() => expect(members()).toEqual(['new']), { timeout: 5000, interval: 20 })
    expect(lines(INFO)).toHaveLength(2)
  })

  it('does nothing for the applied text saved again, also after a bad version in between', async () => {
    renameSync(dir.write('.cuttle.yaml.swp', FIRST), path)
    await settle()
    expect(log.lines).toEqual([])
    expect(publishes).toBe(0)

    writeFileSync(path, 'channels: {')
    await vi.waitFor(() => expect(lines(ERROR)).toHaveLength(1), { timeout: 5000, interval: 20 })
    writeFileSync(path, FIRST)
    await settle()
    expect(lines(ERROR)).toHaveLength(1)
    expect(lines(INFO)).toEqual([])
    expect(publishes).toBe(0)
  })

  it('reports a removed file once and applies it when it is back', async () => {
    rmSync(path)
    await vi.waitFor(() => expect(lines(ERROR).map(line => line.msg)).toEqual([`${path}: file not found`]), { timeout: 5000, interval: 20 })
    await settle()
    expect(lines(ERROR)).toHaveLength(1)
    expect(members()).toEqual(['old'])
    writeFileSync(path, provisionYaml(['old', 'new'], ['new']))
    await vi.waitFor(() => expect(members()).toEqual(['new']), { timeout: 5000, interval: 20 })
  })

  it('keeps the running configuration when the database fails the apply, with one line naming the file', async () => {
    await watch.stop()
    const closed = createKnex(t.db.target)
    await closed.destroy()
    const failing = new ProvisionWatch(
      { db: closed, repos: t.repos, reload: () => routes.reload() },
      { path, env: {}, appliedText: FIRST, logger: log.logger, debounceMs: DEBOUNCE_MS, pollMs: 60_000 }
    )
    failing.start()
    try {
      writeFileSync(path, provisionYaml(['old', 'new'], ['new']))
      await vi.waitFor(() => expect(lines(ERROR)).toHaveLength(1), { timeout: 5000, interval: 20 })
      expect(lines(ERROR)[0]?.msg).toMatch(new RegExp(`^${path}: the database refused it: `))
      expect(members()).toEqual(['old'])
      expect(await channelNames()).toEqual(['old'])
      expect(publishes).toBe(0)
    } finally {
      await failing.stop()
    }
  })

  it('finds changes by the stat check where the directory cannot be watched', async () => {
    await watch.stop()
    const later = join(dirname(path), 'later', 'cuttle.yaml')
    const fallback = new ProvisionWatch(
      { db: t.knex, repos: t.repos, reload: () => routes.reload() },
      { path: later, env: {}, appliedText: FIRST, logger: log.logger, debounceMs: DEBOUNCE_MS, pollMs: 50 }
    )
    // The directory does not exist yet, so there is nothing to watch.
    fallback.start()
    try {
      expect(lines(WARN)).toEqual([expect.objectContaining({ msg: 'cannot watch the provisioning file; changes are found by the periodic check' })])
      mkdirSync(dirname(later))
      writeFileSync(later, provisionYaml(['old', 'new'], ['new']))
      await vi.waitFor(() => expect(members()).toEqual(['new']), { timeout: 5000, interval: 20 })
    } finally {
      await fallback.stop()
    }
  })

  it('stops: an edit after stop() is not applied', async () => {
    await watch.stop()
    writeFileSync(path, provisionYaml(['old', 'new'], ['new']))
    await new Promise(resolve => setTimeout(resolve, DEBOUNCE_MS * 4))
    expect(members()).toEqual(['old'])
    expect(log.lines).toEqual([])
  })
})
