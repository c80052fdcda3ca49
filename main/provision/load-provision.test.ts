import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyProvision } from './apply-provision'
import { loadProvisionFile } from './load-provision'
import { FULL_YAML, SECRET_KEYS, fileDir, provisionDb, rowCounts, type FileDir, type ProvisionDb } from './provision-test-kit'

const CHANNEL = 'type: openai-chat, baseUrls: [https://api.openai.com], keys: [sk-one-aaaaaaaaaaaa]'
const ALLOWED_CHANNEL = 'name, type, baseUrls, models, enabled, priority, weight, headers, proxy, timeouts, modelMap, autoSync, azure, antigravity, errorRules, keys'

interface BadCase {
  name: string
  file?: string
  text: string
  env?: Record<string, string>
  /** Expected lines after the file path and ': '. */
  errors: Array<string | RegExp>
}

const BAD_CASES: BadCase[] = [
  {
    name: 'a channel type that does not exist',
    text: `channels:\n  - { name: ok, ${CHANNEL} }\n  - { name: foo, type: openai, baseUrls: [https://x.example] }\n`,
    errors: ['channels[1] "foo": type must be one of openai-chat, openai-responses, anthropic, gemini']
  },
  {
    name: 'a file that is a list',
    text: '- channels\n',
    errors: ['must be a mapping of sections (channels, groups, apiKeys, settings)']
  },
  {
    name: 'an unknown section',
    text: 'chanels: []\n',
    errors: ['has unknown field "chanels" (allowed: channels, groups, apiKeys, settings)']
  },
  {
    name: 'an unknown channel field',
    text: `channels:\n  - { name: a, ${CHANNEL}, modles: [gpt-4.1] }\n`,
    errors: [`channels[0] "a": has unknown field "modles" (allowed: ${ALLOWED_CHANNEL})`]
  },
  {
    name: 'an unknown member field',
    text: 'groups:\n  - { name: g, members: [{ chanel: a, model: m }] }\n',
    errors: [
      'groups[0] "g": members[0].channel is required',
      'groups[0] "g": members[0] has unknown field "chanel" (allowed: model, priority, weight, channel)'
    ]
  },
  {
    name: 'a missing required field',
    text: 'channels:\n  - { name: a, type: gemini, keys: [sk-one-aaaaaaaaaaaa] }\n',
    errors: ['channels[0] "a": baseUrls is required']
  },
  {
    name: 'a field of the wrong type',
    text: `channels:\n  - { name: a, ${CHANNEL}, priority: high }\n`,
    errors: ['channels[0] "a": priority must be a number']
  },
  {
    name: 'a base URL that is not http(s)',
    text: 'channels:\n  - { name: a, type: anthropic, baseUrls: [ftp://x.example] }\n',
    errors: ['channels[0] "a": baseUrls[0] must be an http:// or https:// URL']
  },
  {
    name: 'a header name that would break the request',
    text: `channels:\n  - { name: a, ${CHANNEL}, headers: { "X Bad": v } }\n`,
    errors: ['channels[0] "a": headers["X Bad"] is not an allowed name: must be a valid header name']
  },
  {
    name: 'a provider key with a space',
    text: 'channels:\n  - { name: a, type: gemini, baseUrls: [https://x.example], keys: ["sk-one aaaaaaaaaaaa"] }\n',
    errors: ['channels[0] "a": keys[0] must be printable ASCII without spaces']
  },
  {
    name: 'an entry that is not a mapping',
    text: 'groups:\n  - smart\n',
    errors: ['groups[0]: must be a mapping']
  },
  {
    name: 'a group pattern that is not a regular expression',
    text: 'groups:\n  - { name: g, modelPattern: "claude-(" }\n',
    errors: ['groups[0] "g": modelPattern is not a valid regular expression: Invalid regular expression: /claude-(/: Unterminated group']
  },
  {
    name: 'a setting out of range',
    text: 'settings:\n  maxAttempts: 50\n',
    errors: ['settings.maxAttempts must be at most 20']
  },
  {
    name: 'a client key that is too short',
    text: 'apiKeys:\n  - { name: laptop, key: ck-short }\n',
    errors: ['apiKeys[0] "laptop": key must be at least 16 characters']
  },
  {
    name: 'duplicate channel names',
    text: `channels:\n  - { name: a, ${CHANNEL} }\n  - { name: a, ${CHANNEL} }\n`,
    errors: ['channels[1] "a": name is already used by channels[0]']
  },
  {
    name: 'duplicate group and api key names',
    text: 'groups: [{ name: g }, { name: g }]\napiKeys:\n  - { name: k, key: ck-laptop-123456789 }\n  - { name: k, key: ck-ci-00000000000000 }\n',
    errors: ['groups[1] "g": name is already used by groups[0]', 'apiKeys[1] "k": name is already used by apiKeys[0]']
  },
  {
    name: 'two entries with the same client key',
    text: 'apiKeys:\n  - { name: a, key: ck-laptop-123456789 }\n  - { name: b, key: ck-laptop-123456789 }\n',
    errors: ['apiKeys[1] "b": key is the same as the key of apiKeys[0]']
  },
  {
    name: 'a repeated member and a self fallback',
    text: 'groups:\n  - name: g\n    members: [{ channel: a, model: m }, { channel: a, model: m }]\n    fallback: [g]\n',
    errors: [
      'groups[0] "g": members[1] repeats members[0] (same channel and model)',
      'groups[0] "g": fallback[0] must name another group, not the group itself'
    ]
  },
  {
    name: 'an unset variable',
    text: 'channels:\n  - { name: a, type: gemini, baseUrls: [https://x.example], keys: ["${OPENAI_KEY}"] }\n',
    env: { OTHER: 'x' },
    errors: ['channels[0] "a": keys[0] uses ${OPENAI_KEY}, which is not set']
  },
  {
    name: 'a YAML syntax error',
    text: 'channels:\n  - name: a\n    keys: [sk-one-aaaaaaaaaaaa\n  - name: b\n',
    errors: [/^line \d+, column \d+: YAML syntax error: .+/]
  },
  {
    name: 'a repeated YAML key',
    text: 'channels:\n  - name: a\n    name: b\n',
    errors: ['line 3, column 5: YAML syntax error: Map keys must be unique']
  },
  {
    name: 'a JSON syntax error next to a key',
    file: 'cuttle.json',
    text: '{\n  "channels": [\n    { "name": "a", "keys": ["sk-one-aaaaaaaaaaaa", }\n  ]\n}\n',
    errors: ["line 3, column 52: JSON syntax error: Unexpected token '}'"]
  },
  {
    name: 'a JSON file cut short',
    file: 'cuttle.json',
    text: '{ "apiKeys": [{ "name": "a", "key": "ck-laptop-123456789"',
    errors: ["line 1, column 58: JSON syntax error: Expected ',' or '}' after property value"]
  },
  {
    name: 'a JSON value cut off inside a string',
    file: 'cuttle.json',
    text: '{ "apiKeys": [{ "name": "a", "key": "ck-laptop-1234',
    errors: ['line 1, column 52: JSON syntax error: Unterminated string']
  }
]

describe('loadProvisionFile', () => {
  let dir: FileDir
  let t: ProvisionDb

  beforeAll(async () => {
    dir = fileDir()
    t = await provisionDb('sqlite')
  })

  afterAll(async () => {
    dir.remove()
    await t?.db.destroy()
  })

  /** What start-up does: load, then apply only a valid file. */
  async function provision(path: string, env: Record<string, string> = {}): Promise<string[]> {
    const loaded = loadProvisionFile(path, env)
    if (!loaded.ok) return loaded.errors
    const applied = await applyProvision(t.knex, t.repos, loaded.file, { source: path })
    return applied.ok ? [] : applied.errors
  }

  it('loads a full file with every section', () => {
    const loaded = loadProvisionFile(dir.write('full.yaml', FULL_YAML), {})
    expect(loaded.ok).toBe(true)
    if (!loaded.ok) return
    expect(loaded.file.channels?.map(c => c.name)).toEqual(['openai-main', 'claude'])
    // Fields the file leaves out stay absent, so an update does not reset them to defaults.
    expect(loaded.file.channels?.[0]).not.toHaveProperty('priority')
    expect(loaded.file.apiKeys?.[0]).toMatchObject({ key: 'ck-laptop-123456789', groups: ['smart'] })
    expect(loaded.file.settings).toEqual({ maxAttempts: 4, captureBodies: true })
  })

  it('treats an empty file as declaring nothing', async () => {
    const path = dir.write('empty.yaml', '')
    expect(loadProvisionFile(path, {})).toEqual({ ok: true, file: {} })
    expect(await provision(path)).toEqual([])
  })

  it('names the file when it does not exist', async () => {
    const path = `${dir.write('there.yaml', '')}-missing.yaml`
    expect(await provision(path)).toEqual([`${path}: file not found`])
  })

  it.each(BAD_CASES)('reports $name and writes nothing', async bad => {
    const path = dir.write(bad.file ?? 'cuttle.yaml', bad.text)
    const before = await rowCounts(t.knex)
    const errors = await provision(path, bad.env)
    expect(errors).toHaveLength(bad.errors.length)
    bad.errors.forEach((expected, index) => {
      const line = errors[index] ?? ''
      expect(line.startsWith(`${path}: `)).toBe(true)
      const rest = line.slice(path.length + 2)
      if (typeof expected === 'string') expect(rest).toBe(expected)
      else expect(rest).toMatch(expected)
      expect(line).not.toContain('\n')
    })
    expect(await rowCounts(t.knex)).toEqual(before)
    expect(before.channels + before.groups + before.api_keys).toBe(0)
  })

  it('never puts a key into an error line', async () => {
    const all: string[] = []
    for (const bad of BAD_CASES) all.push(...(await provision(dir.write(bad.file ?? 'leak.yaml', bad.text), bad.env)))
    // A file where every key is invalid in some way, and one whose keys come from the environment.
    const keyed = FULL_YAML.replace('ck-ci-00000000000000', 'ck-ci-00000000000000 ').replace('priority: 2', 'priority: -1')
    all.push(...(await provision(dir.write('keyed.yaml', keyed))))
    all.push(...(await provision(dir.write('keyed.json', JSON.stringify({ apiKeys: [{ key: SECRET_KEYS[3] }] })))))
    expect(all.length).toBeGreaterThan(BAD_CASES.length)
    // Not even part of a key: V8 quotes a few characters around a JSON error.
    const pieces = SECRET_KEYS.flatMap(key => Array.from({ length: key.length - 7 }, (_, at) => key.slice(at, at + 8)))
    for (const line of all) for (const piece of pieces) expect(line).not.toContain(piece)
  })
})
