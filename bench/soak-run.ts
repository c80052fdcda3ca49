// `npm run bench:soak`: 2 000 Anthropic streams held open through conversion to an OpenAI Chat
// channel for 10 minutes (SOAK_STREAMS, SOAK_SECONDS override), against the built process.
// Prints the result as JSON and exits 1 on any error or growing memory.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeOpenAi } from '../main/testing/fake-openai-upstream'
import { memoryFlat, soak } from './soak'

const streams = Number(process.env.SOAK_STREAMS ?? 2000)
const durationSec = Number(process.env.SOAK_SECONDS ?? 600)
const dataDir = mkdtempSync(join(tmpdir(), 'cuttle-soak-'))
const fake = await startFakeOpenAi()
try {
  console.error(`soak: ${streams} streams for ${durationSec} s…`)
  const result = await soak(fake, dataDir, { streams, durationSec, chunks: 20, intervalMs: 250 })
  const flat = memoryFlat(result)
  console.log(JSON.stringify({ ...result, memoryFlat: flat }, null, 2))
  process.exitCode = result.errors === 0 && flat ? 0 : 1
} finally {
  await fake.close()
  rmSync(dataDir, { recursive: true, force: true })
}
