import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { endsWithInBandError, expectAnswer, expectErrorBody, expectInBandError } from './fault-expect'
import { FIRST_BYTE_MS, send, startFaultRig, type ChannelWire, type ClientProtocol, type ClientResult, type FaultRig } from './fault-kit'
import { OK_TEXT, type Fault } from './fault-upstream'
import { expectNoLeaks } from './leak-check'

/** What the client must see: an HTTP error, an in-band error after a started stream, or a normal answer. */
type Outcome = { status: number } | 'in-band' | 'ok'

/** Stalls wait for the channel's timeout (undici checks its timers about every half second); the rest answer at once. */
const STALL_DEADLINE_MS = FIRST_BYTE_MS + 1500
const FAST_DEADLINE_MS = 1000

const FAULT_CASES: readonly Fault[] = [
  'reset-before',
  'reset-mid-stream',
  'stall-headers',
  'stall-first-byte',
  'stall-mid-stream',
  'status-500',
  'status-502',
  'status-503',
  'status-529',
  'rate-limit',
  'malformed-json',
  'malformed-sse',
  'html-502'
]

/** The contract per fault (the README's Reliability table says the same). */
function outcomeOf(fault: Fault, stream: boolean, protocol: ClientProtocol): Outcome {
  switch (fault) {
    case 'reset-mid-stream':
    case 'stall-mid-stream':
      return stream ? 'in-band' : { status: fault === 'stall-mid-stream' ? 504 : 502 }
    case 'stall-headers':
    case 'stall-first-byte':
      return { status: 504 }
    case 'status-503':
      return { status: 503 }
    case 'status-529':
      // Anthropic's own overload status; OpenAI clients hear it as 503.
      return { status: protocol === 'anthropic' ? 529 : 503 }
    case 'rate-limit':
      return { status: 429 }
    case 'malformed-json':
      return stream ? 'in-band' : { status: 502 }
    case 'malformed-sse':
      // Only streams are malformed; a non-streamed request gets a normal answer.
      return stream ? 'in-band' : 'ok'
    default:
      return { status: 502 }
  }
}

let rig: FaultRig
const counted = { sent: 0, failed: 0 }

/** Sends and counts the request as the relay should: failed when the status or an in-band error says so. */
async function relayed(protocol: ClientProtocol, model: string, stream: boolean): Promise<ClientResult> {
  const r = await send(rig, protocol, model, stream)
  counted.sent += 1
  if (r.status >= 400 || endsWithInBandError(protocol, r)) counted.failed += 1
  return r
}

beforeAll(async () => {
  rig = await startFaultRig()
})
afterAll(async () => {
  await rig.scanAdmin()
  await rig.stop()
  // After stop, so the shutdown lines are scanned too.
  console.log(expectNoLeaks(rig.leaks, 'upstream faults'))
})

const CLIENTS: readonly ClientProtocol[] = ['openai-chat', 'anthropic']
const WIRES: readonly ChannelWire[] = ['oa', 'an']

describe.each(CLIENTS)('%s client', protocol => {
  describe.concurrent.each(WIRES)('channel %s', wire => {
    const cases = FAULT_CASES.flatMap(fault => [false, true].map(stream => ({ fault, stream })))
    for (const { fault, stream } of cases) {
      const title = `${fault}${stream ? ' (stream)' : ''}`
      it(title, async () => {
        const outcome = outcomeOf(fault, stream, protocol)
        const r = await relayed(protocol, `${wire}-${fault}`, stream)
        const deadline = fault.startsWith('stall') ? STALL_DEADLINE_MS : FAST_DEADLINE_MS
        expect(r.elapsedMs).toBeLessThan(deadline)
        if (outcome === 'ok') expectAnswer(r, OK_TEXT)
        else if (outcome === 'in-band') expectInBandError(protocol, r)
        else expectErrorBody(protocol, r, outcome.status)
        // These faults quote the key in their error body: the client sees it replaced, so the leak check below is not vacuous.
        if (fault.startsWith('status-') || fault === 'rate-limit') expect(r.text).toContain('[redacted]')
        // The relay is still up and the channel still serves (cooling members go last, not away).
        expectAnswer(await relayed(protocol, `${wire}-ok`, stream), OK_TEXT)
      })
    }
  })
})

describe('accounting after every fault', () => {
  it('counts each relayed request once: live counters and stored stats equal what the clients saw', async () => {
    await rig.settled()
    const live = rig.live()
    expect(live).toEqual({ requests: counted.sent, errors: counted.failed })
    const stored = await rig.stored()
    expect(stored).toEqual({ requests: counted.sent, failures: counted.failed, logs: counted.sent })
    // Every fault but the normal answers was seen by the upstream: none was answered from a shortcut.
    expect(counted.failed).toBeGreaterThan(80)
  })
})
