import { CHANNEL_TYPES, type ChannelType } from '@shared/constants/protocol'
import type { Protocol } from '../relay/canonical/request'
import { describeRun, type CliRun } from './cli-process'
import { FAKE_USAGE, startFakeProvider, type FakeProvider, type FakeScript, type ProviderRequest } from './fake-provider'
import { startTestCore, type TestCore } from './test-core'
import { createTestDatabase, type TestDatabase } from './test-db'

/** One row of `request_logs`, the columns the CLI tests look at. */
export interface LoggedRequest {
  clientProtocol: string
  requestedModel: string
  channelId: number | null
  status: number
  stream: boolean
  inputTokens: number
  outputTokens: number
}

/** A Cuttle core on SQLite with one channel of each type, all pointing at one scripted fake provider. */
export interface CliRelay {
  cuttle: TestCore
  provider: FakeProvider
  /** The client key the CLI sends. */
  key: string
  /** The model only the channel of `type` lists. */
  modelOf(type: ChannelType): string
  /** Writes pending stats and returns every request log row. */
  logs(): Promise<LoggedRequest[]>
  /** The log row of a streamed turn a `client` sent to the channel of `type`, carrying the fake's usage. */
  expectedLog(client: Protocol, type: ChannelType): LoggedRequest
  /** Runs `run` (a CLI) and returns how it ended with the provider requests it caused. */
  traced(run: () => Promise<CliRun>): Promise<{ run: CliRun; seen: ProviderRequest[]; context: string }>
  stop(): Promise<void>
}

/** Starts the relay; channel models are `<prefix>-<type>`. */
export async function startCliRelay(prefix: string, script: Partial<FakeScript>): Promise<CliRelay> {
  const db: TestDatabase = await createTestDatabase('sqlite')
  const provider = await startFakeProvider(script)
  const cuttle = await startTestCore(db)
  const stop = async (): Promise<void> => {
    await cuttle.stop()
    await provider.close()
    await db.destroy()
  }
  const modelOf = (type: ChannelType): string => `${prefix}-${type}`
  const created: Array<{ status: number; body: unknown }> = []
  for (const type of CHANNEL_TYPES) {
    created.push(await cuttle.admin('POST', '/channels', { name: `ch-${type}`, type, baseUrls: [provider.url], keys: [`sk-${type}-provider`], models: [modelOf(type)] }))
  }
  const made = await cuttle.admin('POST', '/api-keys', { name: prefix })
  const refused = [...created, made].find(answer => answer.status !== 201)
  if (refused) {
    await stop()
    throw new Error(`setting up the relay failed: ${refused.status} ${JSON.stringify(refused.body)}`)
  }
  const ids = new Map(CHANNEL_TYPES.map((type, i) => [type, (created[i]?.body as { id: number }).id]))
  return {
    cuttle,
    provider,
    key: (made.body as { key: string }).key,
    modelOf,
    async logs() {
      await cuttle.core.flusher.flush()
      const rows = await cuttle.core.db('request_logs').orderBy('id').select<Array<Record<string, unknown>>>()
      return rows.map(row => ({
        clientProtocol: String(row.client_protocol),
        requestedModel: String(row.requested_model),
        channelId: row.channel_id === null ? null : Number(row.channel_id),
        status: Number(row.status),
        stream: Boolean(row.stream),
        inputTokens: Number(row.input_tokens),
        outputTokens: Number(row.output_tokens)
      }))
    },
    expectedLog: (client, type) => ({
      clientProtocol: client,
      requestedModel: modelOf(type),
      channelId: ids.get(type) ?? -1,
      status: 200,
      stream: true,
      inputTokens: FAKE_USAGE.input - FAKE_USAGE.cached,
      outputTokens: FAKE_USAGE.output
    }),
    async traced(start) {
      const before = provider.requests.length
      const run = await start()
      const seen = provider.requests.slice(before)
      const traffic = seen.map(r => `${r.protocol} ${r.path} → ${JSON.stringify(r.reply)}`)
      const context = `${describeRun(run)}\n--- provider saw ---\n${traffic.join('\n')}\nunserved paths: ${provider.unmatched.join(', ') || 'none'}`
      return { run, seen, context }
    },
    stop
  }
}
