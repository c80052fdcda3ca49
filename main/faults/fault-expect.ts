import { expect } from 'vitest'
import type { ClientProtocol, ClientResult } from './fault-kit'

/** Asserts `r` is an error answer in `protocol`'s own JSON shape (docs/protocols.md §1.1, §1.3). */
export function expectErrorBody(protocol: ClientProtocol, r: ClientResult, status: number): void {
  expect(r.status, r.text.slice(0, 300)).toBe(status)
  expect(r.contentType).toMatch(/^application\/json/)
  if (protocol === 'anthropic') {
    expect(r.json).toMatchObject({ type: 'error', error: { type: expect.stringMatching(/_error$/), message: expect.any(String) } })
  } else {
    expect(r.json).toMatchObject({ error: { message: expect.any(String), type: expect.any(String) } })
  }
}

/** Whether a stream ended with its protocol's in-band error (Chat: a data chunk with `error`; Anthropic: `event: error`). */
export function endsWithInBandError(protocol: ClientProtocol, r: ClientResult): boolean {
  const last = r.events.at(-1)
  if (!last) return false
  let data: unknown
  try {
    data = JSON.parse(last.data)
  } catch {
    return false
  }
  const body = data as { type?: unknown; error?: { message?: unknown; type?: unknown } }
  if (typeof body.error?.message !== 'string') return false
  return protocol === 'anthropic' ? last.event === 'error' && body.type === 'error' && typeof body.error.type === 'string' : last.event === null
}

/** Asserts a stream started well (200, SSE) and ended with a well-formed in-band error. */
export function expectInBandError(protocol: ClientProtocol, r: ClientResult): void {
  expect(r.status).toBe(200)
  expect(r.contentType).toMatch(/^text\/event-stream/)
  expect(endsWithInBandError(protocol, r), r.text.slice(-400)).toBe(true)
  // Nothing after the error: no `[DONE]` or `message_stop` that would make the answer look whole.
  expect(r.text).not.toContain('[DONE]')
  expect(r.text).not.toContain('message_stop')
}

/** Asserts a good answer carrying the fake's text. */
export function expectAnswer(r: ClientResult, text: string): void {
  expect(r.status, r.text.slice(0, 300)).toBe(200)
  expect(r.text).toContain(text)
}
