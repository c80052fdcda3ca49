import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL_TYPES, type ChannelType } from '@shared/constants/protocol'
import { claudeBinary, runCli, tempDir, type CliRun } from '../../testing/cli-process'
import { startCliRelay, type CliRelay } from '../../testing/cli-relay'
import { FAKE_CALL_ID, FAKE_USAGE } from '../../testing/fake-provider'

/**
 * The real Claude Code CLI (Anthropic Messages) through Cuttle to a channel of each protocol,
 * offline: the fake provider makes it call its `Write` tool, Claude Code writes the file and
 * sends the result back, and the fake closes with a final text (docs/protocols.md §5.1).
 */
const FINAL_TEXT = 'Created hello.txt for you.'
const RUN_TIMEOUT_MS = 60_000

let relay: CliRelay

beforeAll(async () => {
  relay = await startCliRelay('cc', { finalText: FINAL_TEXT })
})

afterAll(async () => {
  await relay.stop()
})

/** Runs `claude -p` in a fresh directory with a throw-away HOME, pointed at Cuttle with `model`. */
async function runClaude(model: string, workDir: string, home: string): Promise<CliRun> {
  return runCli({
    command: claudeBinary(),
    // acceptEdits lets Write run unasked; --dangerously-skip-permissions is refused under root (CI).
    args: ['-p', 'Create hello.txt containing hi', '--output-format', 'json', '--max-turns', '4', '--permission-mode', 'acceptEdits'],
    cwd: workDir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      // Claude Code leaves probe directories and sockets in its temp dir; keep them in the throw-away home.
      TMPDIR: home,
      // Without /v1: Claude Code appends /v1/messages itself.
      ANTHROPIC_BASE_URL: relay.cuttle.url,
      ANTHROPIC_API_KEY: relay.key,
      ANTHROPIC_MODEL: model,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
      ANTHROPIC_DEFAULT_SONNET_MODEL: model,
      ANTHROPIC_DEFAULT_OPUS_MODEL: model,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      CLAUDE_CODE_ATTRIBUTION_HEADER: '0'
    },
    timeoutMs: RUN_TIMEOUT_MS
  })
}

describe('Claude Code → Cuttle → each channel type', () => {
  it.each(CHANNEL_TYPES)('%s channel: Write tool round trip', { timeout: RUN_TIMEOUT_MS + 15_000 }, async (type: ChannelType) => {
    const work = tempDir('cuttle-cc-work-')
    const home = tempDir('cuttle-cc-home-')
    try {
      const target = join(work.path, 'hello.txt')
      relay.provider.setScript({ tool: { name: 'Write', arguments: { file_path: target, content: 'hi' } } })
      const { run, seen, context } = await relay.traced(() => runClaude(relay.modelOf(type), work.path, home.path))
      expect(run.code, context).toBe(0)
      expect(existsSync(target), context).toBe(true)
      expect(readFileSync(target, 'utf8')).toBe('hi')
      const result = JSON.parse(run.stdout) as { result?: string; is_error?: boolean; usage?: Record<string, unknown> }
      expect(result.is_error, context).toBe(false)
      expect(result.result).toContain(FINAL_TEXT)
      // Both turns' usage, in Anthropic's terms (uncached input apart from cache reads) whatever the channel.
      expect(result.usage).toMatchObject({
        input_tokens: 2 * (FAKE_USAGE.input - FAKE_USAGE.cached),
        cache_read_input_tokens: 2 * FAKE_USAGE.cached,
        output_tokens: 2 * FAKE_USAGE.output
      })

      // Every model request reached the channel's protocol; one got the call, a later one the result.
      expect(seen.every(r => r.protocol === type), context).toBe(true)
      const callAt = seen.findIndex(r => r.reply?.kind === 'call')
      expect(callAt, context).toBeGreaterThanOrEqual(0)
      const answered = seen.slice(callAt + 1).find(r => r.toolResults.length > 0)
      expect(answered?.toolResults, context).toEqual([expect.objectContaining({ name: 'Write', ...(type === 'gemini' ? {} : { id: FAKE_CALL_ID[type] }) })])
      // An Anthropic upstream gets Claude Code's beta flags unchanged (gateway protocol).
      if (type === 'anthropic') expect(seen[callAt]?.headers['anthropic-beta']).toContain('claude-code-20250219')

      // Cuttle logged every turn (token counts are not logged) against the channel, with the upstream's usage.
      const logs = (await relay.logs()).filter(l => l.requestedModel === relay.modelOf(type))
      expect(logs).toEqual(seen.filter(r => r.kind === 'generate').map(() => relay.expectedLog('anthropic', type)))
    } finally {
      work.remove()
      home.remove()
    }
  })
})
