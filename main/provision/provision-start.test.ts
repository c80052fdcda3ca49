import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../testing/fake-openai-upstream'
import { freePort, spawnCuttle, waitHealthy } from '../testing/spawn-cuttle'

const CLIENT_KEY = 'ck-provisioned-laptop-0001'

describe('a provisioning file applied at start', () => {
  let upstream: FakeOpenAiUpstream
  let dir: string
  beforeAll(async () => {
    upstream = await startFakeOpenAi()
    dir = mkdtempSync(join(tmpdir(), 'cuttle-provision-'))
  })
  afterAll(async () => {
    await upstream.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('serves the OpenAI SDK with the provisioned key, normal and streamed, and survives a second start', async () => {
    const file = join(dir, 'cuttle.yaml')
    writeFileSync(
      file,
      [
        'channels:',
        '  - name: fake',
        '    type: openai-chat',
        `    baseUrls: [${upstream.url}]`,
        '    keys: ["${FAKE_PROVIDER_KEY}"]',
        '    models: [gpt-fake]',
        'groups:',
        '  - name: smart',
        '    members:',
        '      - { channel: fake, model: gpt-fake }',
        'apiKeys:',
        `  - { name: laptop, key: ${CLIENT_KEY}, groups: [smart] }`,
        ''
      ].join('\n')
    )
    const env = { CUTTLE_ADMIN_PASSWORD: 'provision-test-pass', FAKE_PROVIDER_KEY: 'sk-from-env-000001' }
    for (const round of [1, 2]) {
      const port = await freePort()
      const run = spawnCuttle(['--port', String(port), '--data-dir', join(dir, 'data'), '--provision', file], env, port)
      await waitHealthy(port)
      const client = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 })
      const answer = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: `round ${round}` }] })
      expect(answer.choices[0]?.message.content).toBe('Hello world')
      const stream = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'stream' }], stream: true })
      let text = ''
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
      expect(text).toBe('Hello world')
      expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-from-env-000001')
      expect(upstream.requests.at(-1)?.body.model).toBe('gpt-fake')
      const denied = await client.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
      expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError)
      run.child.kill('SIGTERM')
      expect(await run.exited()).toBe(0)
    }
  })

  it('stops the start with exit code 2 and lines naming the bad entries', async () => {
    const file = join(dir, 'bad.yaml')
    writeFileSync(
      file,
      ['channels:', '  - name: ok', '    type: openai-chat', '    baseUrls: [http://127.0.0.1:1]', '  - name: broken', '    type: carrier-pigeon', '    baseUrls: [http://127.0.0.1:1]', ''].join('\n')
    )
    const run = spawnCuttle(['--port', '0', '--data-dir', join(dir, 'bad-data'), '--provision', file], { CUTTLE_ADMIN_PASSWORD: 'provision-test-pass' }, 0)
    expect(await run.exited()).toBe(2)
    expect(run.output()).toContain('channels[1] "broken"')
    expect(run.output()).toContain('type')
  })
})
