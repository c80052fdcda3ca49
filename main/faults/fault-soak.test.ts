import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { endsWithInBandError, expectAnswer } from './fault-expect'
import { send, startFaultRig, type ChannelWire, type ClientProtocol, type FaultRig } from './fault-kit'
import { OK_TEXT, type Fault } from './fault-upstream'
import { expectNoLeaks } from './leak-check'
import { memoryAfterGc } from './memory'

const TOTAL = 10_000
const CONCURRENCY = 50
/** Faults that fail at once (no stalls), so ten thousand of them fit in seconds. */
const FAST_FAULTS: readonly Fault[] = ['ok', 'reset-before', 'reset-mid-stream', 'status-500', 'status-503', 'malformed-json', 'malformed-sse', 'html-502']
const CLIENTS: readonly ClientProtocol[] = ['openai-chat', 'anthropic']
const WIRES: readonly ChannelWire[] = ['oa', 'an']

let rig: FaultRig

beforeAll(async () => {
  // No stalls here: generous timeouts keep a busy machine's slow answers from turning into 504s.
  rig = await startFaultRig({ firstByteMs: 10_000, idleMs: 10_000 })
})
afterAll(async () => {
  await rig.scanAdmin()
  await rig.stop()
  // After stop, so the shutdown lines are scanned too.
  console.log(expectNoLeaks(rig.leaks, 'fault soak'))
})

/** Open handles of this process (sockets, timers, servers), by Node's own count. */
const handles = (): number => process.getActiveResourcesInfo().length

/** Runs `total` requests, `concurrency` at a time; request `i` picks its fault, protocols and framing from `i` (deterministic). */
async function run(total: number, concurrency: number, faults: readonly Fault[]): Promise<{ sent: number; failed: number; statuses: Map<number, number> }> {
  let next = 0
  const tally = { sent: 0, failed: 0, statuses: new Map<number, number>() }
  const worker = async (): Promise<void> => {
    for (let i = next++; i < total; i = next++) {
      const fault = faults[i % faults.length] as Fault
      const protocol = CLIENTS[Math.floor(i / faults.length) % 2] as ClientProtocol
      const wire = WIRES[Math.floor(i / (faults.length * 2)) % 2] as ChannelWire
      const r = await send(rig, protocol, `${wire}-${fault}`, i % 3 !== 0)
      tally.sent += 1
      if (r.status >= 400 || endsWithInBandError(protocol, r)) tally.failed += 1
      tally.statuses.set(r.status, (tally.statuses.get(r.status) ?? 0) + 1)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return tally
}

describe(`a soak of ${TOTAL} faulty requests`, () => {
  it('leaves memory, handles and the books as they were', async () => {
    // Warm-up at full concurrency: pools, keep-alive sockets and JIT reach their working size first.
    const warm = await run(500, CONCURRENCY, ['ok'])
    expect(warm.failed).toBe(0)
    await rig.settled()
    const base = { ...memoryAfterGc(), handles: handles(), upstreamSockets: rig.upstream.openSockets, live: rig.live() }

    const started = Date.now()
    const soak = await run(TOTAL, CONCURRENCY, FAST_FAULTS)
    const seconds = (Date.now() - started) / 1000
    await rig.settled()
    // Sockets the resets and aborts closed need a moment to leave the handle list.
    await new Promise(resolve => setTimeout(resolve, 300))
    const after = { ...memoryAfterGc(), handles: handles(), upstreamSockets: rig.upstream.openSockets, live: rig.live() }

    expect(soak.sent).toBe(TOTAL)
    expect(after.live).toEqual({ requests: base.live.requests + TOTAL, errors: base.live.errors + soak.failed })
    const stored = await rig.stored()
    expect(stored).toEqual({ requests: after.live.requests, failures: after.live.errors, logs: after.live.requests })
    // Nothing in flight, nothing kept per request: memory and handles back near the warm baseline.
    expect(rig.cuttle.core.http.inFlight).toBe(0)
    expect(after.heapMb - base.heapMb).toBeLessThan(20)
    expect(after.handles - base.handles).toBeLessThan(25)
    expect(after.upstreamSockets).toBeLessThanOrEqual(base.upstreamSockets + CONCURRENCY)
    expectAnswer(await send(rig, 'anthropic', 'oa-ok', true), OK_TEXT)

    const statuses = [...soak.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(' ')
    console.log(
      `fault soak: ${TOTAL} requests (concurrency ${CONCURRENCY}) in ${seconds.toFixed(1)} s (${Math.round(TOTAL / seconds)}/s); ` +
        `failed ${soak.failed}, statuses ${statuses}; heap ${base.heapMb.toFixed(1)} → ${after.heapMb.toFixed(1)} MB, ` +
        `buffers ${base.buffersMb.toFixed(1)} → ${after.buffersMb.toFixed(1)} MB, handles ${base.handles} → ${after.handles}, ` +
        `upstream sockets ${base.upstreamSockets} → ${after.upstreamSockets}; stored ${stored.requests} requests / ${stored.failures} failures / ${stored.logs} logs`
    )
  }, 120_000)
})
