import { describe, expect, it } from 'vitest'
import { captureLog } from '../testing/log-capture'
import { ConfigPoller } from './config-poller'

/** A revision source answering from a script: a string or null is read, an Error is thrown. */
function scripted(answers: Array<string | null | Error>): { read: () => Promise<string | null> } {
  return {
    read: async () => {
      const next = answers.shift()
      if (next instanceof Error) throw next
      return next ?? null
    }
  }
}

describe('ConfigPoller', () => {
  it('rebuilds only when the revision differs from the one applied', async () => {
    let rebuilds = 0
    const poller = new ConfigPoller({
      revision: scripted(['r1', 'r1', 'r2', 'r2']),
      applied: 'r1',
      rebuild: async () => {
        rebuilds++
      },
      intervalMs: 1000,
      logger: captureLog().logger
    })
    await poller.poll()
    expect(rebuilds).toBe(0)
    await poller.poll()
    await poller.poll()
    await poller.poll()
    expect(rebuilds).toBe(1)
  })

  it('a failed rebuild leaves the revision unapplied, so the next poll tries again', async () => {
    let calls = 0
    const poller = new ConfigPoller({
      revision: scripted(['r2', 'r2', 'r2']),
      applied: 'r1',
      rebuild: async () => {
        calls++
        if (calls === 1) throw new Error('connection refused')
      },
      intervalMs: 1000,
      logger: captureLog().logger
    })
    await poller.poll()
    await poller.poll()
    await poller.poll()
    expect(calls).toBe(2)
  })

  it('logs an outage once when it starts and once when it ends', async () => {
    const log = captureLog('info')
    const down = new Error('connect ECONNREFUSED 127.0.0.1:5432')
    const poller = new ConfigPoller({ revision: scripted([down, down, down, 'r1', down, 'r1']), applied: 'r1', rebuild: async () => {}, intervalMs: 1000, logger: log.logger })
    for (let i = 0; i < 6; i++) await poller.poll()
    const messages = log.records().map(r => `${String(r.level)} ${String(r.msg)}`)
    expect(messages).toEqual([
      "40 cannot read the configuration revision; other instances' changes wait until the database answers",
      '30 configuration polling works again',
      "40 cannot read the configuration revision; other instances' changes wait until the database answers",
      '30 configuration polling works again'
    ])
    expect(log.records()[0]?.err).toBe(down.message)
  })

  it('polls on its timer once started and not after stop', async () => {
    let reads = 0
    const poller = new ConfigPoller({
      revision: {
        read: async () => {
          reads++
          return 'r1'
        }
      },
      applied: 'r1',
      rebuild: async () => {},
      intervalMs: 100,
      logger: captureLog().logger
    })
    poller.start()
    await new Promise(resolve => setTimeout(resolve, 350))
    await poller.stop()
    const seen = reads
    expect(seen).toBeGreaterThanOrEqual(2)
    await new Promise(resolve => setTimeout(resolve, 250))
    expect(reads).toBe(seen)
  })
})
