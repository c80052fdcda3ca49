import { Writable } from 'node:stream'
import { expect } from 'vitest'

/** Leaks reported in full; past these only the count grows (ten thousand soak answers could all leak). */
const KEPT_LEAKS = 10

/**
 * Scans everything the fault suite's relay writes to its log and sends to its clients for the channels'
 * provider keys. Nothing scanned is kept: only counts and the first few leaks, so the soak stays bounded.
 */
export interface LeakCheck {
  /** Where the relay's logger writes: each line is scanned as it arrives. */
  readonly destination: Writable
  /** Scans one answer a client saw, given in parts (head, body) so a 50 MB body is not copied to be joined. */
  scan(where: string, ...parts: string[]): void
  readonly checked: { logLines: number; answers: number }
  readonly leaks: { count: number; first: string[] }
}

export function createLeakCheck(keys: readonly string[]): LeakCheck {
  // The masked form shows 4 characters; 12 are enough to identify a key, so they count as a leak too.
  const needles = keys.flatMap(key => [key, key.slice(-12)])
  const checked = { logLines: 0, answers: 0 }
  const leaks = { count: 0, first: [] as string[] }
  const find = (where: string, text: string): void => {
    for (const needle of needles) {
      const at = text.indexOf(needle)
      if (at < 0) continue
      leaks.count += 1
      if (leaks.first.length < KEPT_LEAKS) leaks.first.push(`${where} contains ${needle}: …${text.slice(Math.max(0, at - 200), at + needle.length + 100)}…`)
    }
  }
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      // pino writes one whole line per call.
      checked.logLines += 1
      find(`log line ${checked.logLines}`, chunk.toString('utf8'))
      done()
    }
  })
  return {
    destination,
    scan(where, ...parts) {
      checked.answers += 1
      for (const part of parts) find(where, part)
    },
    checked,
    leaks
  }
}

/** Asserts no key leaked, and that lines and answers were indeed scanned (an empty check proves nothing); returns the counts as a line to print. */
export function expectNoLeaks(check: LeakCheck, suite: string): string {
  expect(check.leaks.first, `${check.leaks.count} leaks`).toEqual([])
  expect(check.checked.logLines).toBeGreaterThan(0)
  expect(check.checked.answers).toBeGreaterThan(0)
  return `${suite}: no provider key in ${check.checked.logLines} log lines and ${check.checked.answers} client answers`
}
