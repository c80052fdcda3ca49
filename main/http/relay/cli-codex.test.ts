import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL_TYPES, type ChannelType } from '@shared/constants/protocol'
import { codexLauncher, runCli, tempDir, type CliRun } from '../../testing/cli-process'
import { startCliRelay, type CliRelay } from '../../testing/cli-relay'
import { FAKE_CALL_ID, FAKE_USAGE } from '../../testing/fake-provider'

/**
 * The real Codex CLI (OpenAI Responses) through Cuttle to a channel of each protocol, offline:
 * the fake provider calls Codex's free-form `apply_patch` tool (a `custom` tool, converted to a
 * function for the other protocols, docs/protocols.md §4 case 23), Codex applies the patch and
 * sends the result back, and the fake closes with a final text (§5.2).
 */
const FINAL_TEXT = 'Created hello.txt for you.'
const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\n'
const RUN_TIMEOUT_MS = 60_000
const KEY_VARIABLE = 'CUTTLE_CLIENT_KEY'

let relay: CliRelay

beforeAll(async () => {
  relay = await startCliRelay('cx', { tool: { name: 'apply_patch', input: PATCH }, finalText: FINAL_TEXT })
})

afterAll(async () => {
  await relay.stop()
})

/**
 * Codex's model metadata for `model`. Without it Codex uses fallback metadata, which offers no
 * `apply_patch`; with `apply_patch_tool_type = "freeform"` it offers it as a `custom` tool.
 * These are the fields this Codex version requires.
 */
function modelCatalog(model: string): unknown {
  return {
    models: [
      {
        slug: model,
        display_name: model,
        base_instructions: 'You are a coding agent. Use apply_patch to edit files.',
        apply_patch_tool_type: 'freeform',
        shell_type: 'shell_command',
        visibility: 'list',
        supported_in_api: true,
        priority: 1,
        context_window: 100_000,
        truncation_policy: { mode: 'tokens', limit: 10_000 },
        supports_parallel_tool_calls: false,
        supported_reasoning_levels: [],
        input_modalities: ['text'],
        support_verbosity: false,
        experimental_supported_tools: []
      }
    ]
  }
}

/**
 * `config.toml`: a custom provider at Cuttle's /v1, HTTP only, failing fast instead of retrying.
 * Plugins and analytics are off: otherwise Codex syncs a plugin catalog from GitHub and exports
 * metrics over the internet.
 */
function codexConfig(model: string, catalogPath: string): string {
  return [
    `model = ${JSON.stringify(model)}`,
    'model_provider = "cuttle"',
    `model_catalog_json = ${JSON.stringify(catalogPath)}`,
    '',
    '[model_providers.cuttle]',
    'name = "Cuttle"',
    `base_url = ${JSON.stringify(`${relay.cuttle.url}/v1`)}`,
    `env_key = "${KEY_VARIABLE}"`,
    'wire_api = "responses"',
    'supports_websockets = false',
    'stream_max_retries = 0',
    'request_max_retries = 0',
    '',
    '[features]',
    'plugins = false',
    '',
    '[analytics]',
    'enabled = false',
    ''
  ].join('\n')
}

/** Runs `codex exec` in a fresh directory with a throw-away CODEX_HOME set up for `model`. */
async function runCodex(model: string, workDir: string, home: string): Promise<CliRun> {
  const catalog = join(home, 'models.json')
  writeFileSync(catalog, JSON.stringify(modelCatalog(model)))
  writeFileSync(join(home, 'config.toml'), codexConfig(model, catalog))
  return runCli({
    command: process.execPath,
    args: [codexLauncher(), 'exec', '--skip-git-repo-check', '--sandbox', 'workspace-write', '--ephemeral', '--json', 'Create hello.txt containing hi'],
    cwd: workDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CODEX_HOME: home, [KEY_VARIABLE]: relay.key },
    timeoutMs: RUN_TIMEOUT_MS
  })
}

/** One line of `codex exec --json`, the fields the test reads. */
interface CodexEvent {
  type: string
  item?: { type: string; text?: string; status?: string }
  usage?: Record<string, unknown>
}

/** The JSONL events `codex exec --json` printed. */
function events(stdout: string): CodexEvent[] {
  return stdout
    .split('\n')
    .filter(line => line.startsWith('{'))
    .map(line => JSON.parse(line) as CodexEvent)
}

describe('Codex → Cuttle → each channel type', () => {
  it.each(CHANNEL_TYPES)('%s channel: apply_patch round trip', { timeout: RUN_TIMEOUT_MS + 15_000 }, async (type: ChannelType) => {
    const work = tempDir('cuttle-cx-work-')
    const home = tempDir('cuttle-cx-home-')
    try {
      const { run, seen, context } = await relay.traced(() => runCodex(relay.modelOf(type), work.path, home.path))
      expect(run.code, context).toBe(0)
      const target = join(work.path, 'hello.txt')
      expect(existsSync(target), context).toBe(true)
      expect(readFileSync(target, 'utf8')).toBe('hi\n')
      const printed = events(run.stdout)
      expect(printed.filter(e => e.type === 'item.completed').map(e => e.item), context).toEqual([
        expect.objectContaining({ type: 'file_change', status: 'completed' }),
        expect.objectContaining({ type: 'agent_message', text: FINAL_TEXT })
      ])
      // Both turns' usage, in the Responses API's terms whatever the channel.
      expect(printed.find(e => e.type === 'turn.completed')?.usage).toMatchObject({
        input_tokens: 2 * FAKE_USAGE.input,
        cached_input_tokens: 2 * FAKE_USAGE.cached,
        output_tokens: 2 * FAKE_USAGE.output
      })

      expect(seen.every(r => r.protocol === type), context).toBe(true)
      const callAt = seen.findIndex(r => r.reply?.kind === 'call' || r.reply?.kind === 'custom')
      expect(callAt, context).toBeGreaterThanOrEqual(0)
      // Only a Responses upstream sees the tool as free-form; the others get a function of `input`.
      expect(seen[callAt]?.reply?.kind).toBe(type === 'openai-responses' ? 'custom' : 'call')
      const answered = seen.slice(callAt + 1).find(r => r.toolResults.length > 0)
      expect(answered?.toolResults, context).toEqual([expect.objectContaining({ name: 'apply_patch', ...(type === 'gemini' ? {} : { id: FAKE_CALL_ID[type] }) })])

      // Cuttle logged every turn (token counts are not logged) against the channel, with the upstream's usage.
      const logs = (await relay.logs()).filter(l => l.requestedModel === relay.modelOf(type))
      expect(logs).toEqual(seen.filter(r => r.kind === 'generate').map(() => relay.expectedLog('openai-responses', type)))
    } finally {
      work.remove()
      home.remove()
    }
  })
})
