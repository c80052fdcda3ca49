import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAnswer } from './fault-expect'
import { openRawStream, send, startFaultRig, type FaultRig } from './fault-kit'
import { HUGE_BYTES, OK_TEXT } from './fault-upstream'
import { expectNoLeaks } from './leak-check'
import { memoryAfterGc } from './memory'

let rig: FaultRig

beforeAll(async () => {
  rig = await startFaultRig()
})
afterAll(async () => {
  await rig.scanAdmin()
  await rig.stop()
  // After stop, so the shutdown lines are scanned too.
  console.log(expectNoLeaks(rig.leaks, 'client faults'))
})

const signed = (mb: number): string => `${mb >= 0 ? '+' : ''}${mb.toFixed(1)}`

/** Polls until `check` holds or `ms` passed; returns whether it held. */
async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms
  while (!check() && Date.now() < until) await new Promise(resolve => setTimeout(resolve, 20))
  return check()
}

/** Waits until the upstream's written byte count stops growing (the relay stopped taking bytes). */
async function stalledAt(): Promise<number> {
  // Unchanged over three polls in a row: on a loaded machine one quiet poll can be a pause, not a stall.
  let last = -1
  let quiet = 0
  while (quiet < 3) {
    await new Promise(resolve => setTimeout(resolve, 300))
    const now = rig.upstream.hugeStream.written
    quiet = now === last ? quiet + 1 : 0
    last = now
  }
  return last
}

describe('a 50 MB answer', () => {
  it('is relayed whole when passed through (non-stream)', async () => {
    const r = await send(rig, 'openai-chat', 'oa-huge-body', false)
    expect(r.status).toBe(200)
    const body = r.json as { choices: { message: { content: string } }[] }
    expect(body.choices[0]?.message.content).toHaveLength(HUGE_BYTES)
  })

  it('is converted whole for another protocol (non-stream)', async () => {
    const r = await send(rig, 'anthropic', 'oa-huge-body', false)
    expect(r.status).toBe(200)
    const body = r.json as { content: { type: string; text: string }[] }
    expect(body.content[0]?.text).toHaveLength(HUGE_BYTES)
  })
})

describe('clients that stop reading or leave', () => {
  it('a client that never reads a big stream holds back the upstream (bounded buffering) and frees it on leaving', async () => {
    const before = rig.live()
    const idle = memoryAfterGc()
    const { res, destroy } = await openRawStream(rig, 'oa-huge-stream')
    expect(res.statusCode).toBe(200)
    res.pause()
    const written = await stalledAt()
    // Held back well before the end of the answer: the relay reads only as fast as the client takes.
    expect(written).toBeLessThan(HUGE_BYTES * 0.8)
    // Once held back nothing grows. (Buffers count the fake upstream and this client too: they share the process.)
    const held = memoryAfterGc()
    await new Promise(resolve => setTimeout(resolve, 500))
    const later = memoryAfterGc()
    // The kernel may still grow its socket buffers a little on a busy machine; the answer stays held back.
    expect(rig.upstream.hugeStream.written - written).toBeLessThan(8 * 1024 * 1024)
    expect(rig.upstream.hugeStream.written).toBeLessThan(HUGE_BYTES * 0.8)
    expect(later.buffersMb - held.buffersMb).toBeLessThan(8)
    expect(later.heapMb - idle.heapMb).toBeLessThan(8)
    destroy()
    expect(await waitFor(() => rig.upstream.hugeStream.closedEarly, 2000)).toBe(true)
    await rig.settled()
    expect(rig.live()).toEqual({ requests: before.requests + 1, errors: before.errors + 1 })
    console.log(`never-read client: upstream stalled after ${(written / 1e6).toFixed(1)} MB of ${HUGE_BYTES / 1e6} MB; process (relay, fake upstream and client) holds ${signed(held.buffersMb - idle.buffersMb)} MB buffers, ${signed(held.heapMb - idle.heapMb)} MB heap`)
  })

  it('a client that disconnects mid-stream aborts the upstream at once and is logged as 499', async () => {
    const before = rig.live()
    const { res, destroy } = await openRawStream(rig, 'an-huge-stream')
    expect(res.statusCode).toBe(200)
    const first = await new Promise<string>(resolve => res.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))))
    expect(first).toMatch(/^data: /)
    rig.leaks.scan('raw stream an-huge-stream, first chunk', first)
    const leftAt = Date.now()
    destroy()
    expect(await waitFor(() => rig.upstream.hugeStream.closedEarly, 2000)).toBe(true)
    expect(Date.now() - leftAt).toBeLessThan(1000)
    await rig.settled()
    expect(rig.live()).toEqual({ requests: before.requests + 1, errors: before.errors + 1 })
    await rig.cuttle.core.flusher.flush()
    const [log] = await rig.cuttle.core.repos.requestLogs.list(1)
    expect(log).toMatchObject({ status: 499, requestedModel: 'an-huge-stream', error: 'client closed the connection during the stream' })
  })

  it('still answers normally afterwards, and the stored stats equal the live counters', async () => {
    expectAnswer(await send(rig, 'openai-chat', 'oa-ok', true), OK_TEXT)
    expectAnswer(await send(rig, 'anthropic', 'an-ok', false), OK_TEXT)
    await rig.settled()
    const live = rig.live()
    expect(await rig.stored()).toEqual({ requests: live.requests, failures: live.errors, logs: live.requests })
    expect(live).toEqual({ requests: 6, errors: 2 })
  })
})
