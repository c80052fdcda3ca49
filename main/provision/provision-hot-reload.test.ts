import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Core } from '../app/container'
import { runHeadless } from '../headless'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../testing/fake-openai-upstream'
import { captureLog, type CapturedLog } from '../testing/log-capture'

const CLIENT_KEY = 'ck-hot-reload-000000001'
const CLIENTS = 6
/** Bounds every client loop, whatever happens to the test. */
const MAX_REQUESTS_PER_CLIENT = 5000

/** A provisioning file: channels `old` (and `new` when `withNew`) and group `smart` served by `members`. */
function provisionYaml(urls: { old: string; new: string }, withNew: boolean, members: readonly string[]): string {
  const channel = (name: 'old' | 'new'): string[] => [
    `  - name: ${name}`,
    '    type: openai-chat',
    `    baseUrls: [${urls[name]}]`,
    `    keys: [sk-${name}-00000000001]`,
    '    models: [m]'
  ]
  return [
    'channels:',
    ...channel('old'),
    ...(withNew ? channel('new') : []),
    'groups:',
    '  - name: smart',
    '    members:',
    ...members.map(name => `      - { channel: ${name}, model: m }`),
    'apiKeys:',
    `  - { name: load, key: ${CLIENT_KEY}, groups: [smart] }`,
    ''
  ].join('\n')
}

/** One answered request: when it was sent, its status and which upstream wrote the answer. */
interface Answer {
  sentAt: number
  status: number
  text: string
}

/** Keeps `CLIENTS` requests in flight until `stop()`; each client sends at most MAX_REQUESTS_PER_CLIENT. */
function traffic(port: number): { answers: Answer[]; stop(): Promise<void> } {
  const answers: Answer[] = []
  let running = true
  const client = async (): Promise<void> => {
    for (let n = 0; running && n < MAX_REQUESTS_PER_CLIENT; n++) {
      const sentAt = Date.now()
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] })
      })
      const body = (await res.json()) as { choices?: Array<{ message: { content: string } }> }
      answers.push({ sentAt, status: res.status, text: body.choices?.[0]?.message.content ?? JSON.stringify(body) })
    }
  }
  const all = Promise.all(Array.from({ length: CLIENTS }, client))
  return {
    answers,
    stop: async () => {
      running = false
      await all
    }
  }
}

describe('the provisioning file edited while clients are served', () => {
  const upstreams: Partial<Record<'old' | 'new', FakeOpenAiUpstream>> = {}
  let urls: { old: string; new: string }
  let dir: string
  beforeAll(async () => {
    for (const name of ['old', 'new'] as const) {
      const upstream = await startFakeOpenAi()
      upstream.behave(() => ({ kind: 'reply', text: `from ${name}` }))
      upstreams[name] = upstream
    }
    urls = { old: upstreams.old?.url ?? '', new: upstreams.new?.url ?? '' }
    dir = mkdtempSync(join(tmpdir(), 'cuttle-hot-reload-'))
  })
  afterAll(async () => {
    await Promise.all(Object.values(upstreams).map(upstream => upstream.close()))
    rmSync(dir, { recursive: true, force: true })
  })

  /** Starts the headless entry in this process on `file`, with extra arguments. */
  async function start(file: string, dataDir: string, log: CapturedLog, argv: readonly string[] = []): Promise<Core> {
    const problems: string[] = []
    const core = await runHeadless({
      argv: ['--server', '--port', '0', '--data-dir', join(dir, dataDir), '--provision', file, ...argv],
      env: { CUTTLE_ADMIN_PASSWORD: 'hot-reload-test-pass' },
      cwd: dir,
      print: () => undefined,
      printError: line => problems.push(line),
      exit: code => problems.push(`exit ${code}`),
      onSignal: () => undefined,
      log: log.destination
    })
    expect(problems).toEqual([])
    if (core === null) throw new Error('no core')
    return core
  }

  const records = (log: CapturedLog, msg: string): unknown[] => log.records().filter(record => record.msg === msg)
  const errorLines = (log: CapturedLog): unknown[] => log.records().filter(record => record.level === 50)

  it('answers every request with 200 through a new channel, a bad version and a group switch; afterwards the new channel serves', async () => {
    const file = join(dir, 'cuttle.yaml')
    writeFileSync(file, provisionYaml(urls, false, ['old']))
    const log = captureLog('info')
    const core = await start(file, 'load-data', log)
    const load = traffic(core.port)
    const members = (): string[] => core.routes.current().groups.get('smart')?.members.map(member => member.channel.name) ?? []
    let switchedAt = Infinity
    try {
      await vi.waitFor(() => expect(load.answers.length).toBeGreaterThan(20), { timeout: 5000, interval: 20 })

      writeFileSync(file, provisionYaml(urls, true, ['old']))
      await vi.waitFor(() => expect(records(log, 'provisioning file reloaded')).toHaveLength(1), { timeout: 10_000, interval: 20 })
      expect((await core.repos.channels.list()).map(channel => channel.name)).toEqual(['old', 'new'])
      expect(members()).toEqual(['old'])

      // A member naming a channel that exists nowhere: refused, the running configuration stays.
      writeFileSync(file, provisionYaml(urls, true, ['new', 'gone']))
      await vi.waitFor(() => expect(errorLines(log)).toHaveLength(1), { timeout: 10_000, interval: 20 })
      expect(members()).toEqual(['old'])

      // Saved as editors do: a new file renamed over the old one.
      const temp = join(dir, '.cuttle.yaml.tmp')
      writeFileSync(temp, provisionYaml(urls, true, ['new']))
      renameSync(temp, file)
      await vi.waitFor(() => expect(records(log, 'provisioning file reloaded')).toHaveLength(2), { timeout: 10_000, interval: 20 })
      switchedAt = Date.now()
      expect(members()).toEqual(['new'])
      await vi.waitFor(() => expect(load.answers.filter(answer => answer.sentAt > switchedAt).length).toBeGreaterThan(50), { timeout: 10_000, interval: 20 })
    } finally {
      await load.stop()
      await core.stop()
    }

    expect(load.answers.filter(answer => answer.status !== 200)).toEqual([])
    expect(load.answers.some(answer => answer.text === 'from old')).toBe(true)
    // The reload line is written after the new table is in place: every request sent later uses it.
    const after = new Set(load.answers.filter(answer => answer.sentAt > switchedAt).map(answer => answer.text))
    expect(after).toEqual(new Set(['from new']))
    expect(records(log, 'provisioning file reloaded')).toHaveLength(2)
    expect(errorLines(log)).toEqual([
      expect.objectContaining({ file, msg: `${file}: groups[0] "smart": members[1].channel "gone" is not a channel in this file or the database` })
    ])
  })

  it('with --provision-watch=false the file is applied at start only', async () => {
    const file = join(dir, 'unwatched.yaml')
    writeFileSync(file, provisionYaml(urls, false, ['old']))
    const log = captureLog('info')
    const core = await start(file, 'unwatched-data', log, ['--provision-watch=false'])
    try {
      writeFileSync(file, provisionYaml(urls, true, ['new']))
      // Past the debounce and a stat check of a watching core.
      await new Promise(resolve => setTimeout(resolve, 2500))
      expect(core.routes.current().groups.get('smart')?.members.map(member => member.channel.name)).toEqual(['old'])
      expect(records(log, 'provisioning file reloaded')).toEqual([])
    } finally {
      await core.stop()
    }
  })
})
