import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAi, type FakeOpenAiUpstream } from '../main/testing/fake-openai-upstream'
import { memoryFlat, soak } from './soak'

/** The short soak CI runs: `npm run bench:soak` is the same for 2 000 streams and 10 minutes. */
describe('soak (short)', () => {
  let fake: FakeOpenAiUpstream
  let dataDir: string
  beforeAll(async () => {
    fake = await startFakeOpenAi()
    dataDir = mkdtempSync(join(tmpdir(), 'cuttle-soak-test-'))
  })
  afterAll(async () => {
    await fake.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('300 converted streams held for 25 s: every one complete, memory flat', async () => {
    const result = await soak(fake, dataDir, { streams: 300, durationSec: 25, chunks: 10, intervalMs: 200 })
    console.log(`soak (short): ${JSON.stringify(result)}`)
    expect(result.errorSamples).toEqual([])
    expect(result.errors).toBe(0)
    // 300 clients, each stream ~2 s: well over 2 000 streams in 25 s.
    expect(result.completed).toBeGreaterThan(2000)
    expect(memoryFlat(result)).toBe(true)
  }, 90_000)
})
