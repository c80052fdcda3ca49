/**
 * Regenerates the bundled models.dev snapshot: `npm run prices:snapshot` reads
 * https://models.dev/api.json and writes main/pricing/models-dev-snapshot.json through the same
 * reducer the price sync uses. Offline, `-- --from-file <api.json> --source <text>` reduces a
 * copy of the catalogue instead (the source text is recorded in the snapshot).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { fetchCatalogue } from './fetch-catalogue'
import { formatSnapshot, MODELS_DEV_URL, reduceModelsDev } from './models-dev'

const TIMEOUT_MS = 15_000
const OUTPUT = fileURLToPath(new URL('./models-dev-snapshot.json', import.meta.url))

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { url: { type: 'string', default: MODELS_DEV_URL }, 'from-file': { type: 'string' }, source: { type: 'string' } },
    strict: true
  })
  const file = values['from-file']
  const raw: unknown = file === undefined ? await fetchCatalogue(values.url, TIMEOUT_MS) : JSON.parse(readFileSync(file, 'utf8'))
  const snapshot = reduceModelsDev(raw, { source: values.source ?? file ?? values.url, generatedAt: new Date().toISOString() })
  const text = formatSnapshot(snapshot)
  writeFileSync(OUTPUT, text)
  const models = Object.values(snapshot.providers).reduce((sum, p) => sum + Object.keys(p.models).length, 0)
  process.stdout.write(`${OUTPUT}: ${Object.keys(snapshot.providers).length} providers, ${models} priced models, ${text.length} bytes\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`prices:snapshot failed: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
})
