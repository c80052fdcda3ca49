import { describe, expect, it } from 'vitest'
import { clientToolId, toolIdFromClient } from './client-tool-ids'

describe('tool_use ids an Anthropic client sees', () => {
  const signature = { protocol: 'gemini' as const, value: 'CiwBsig==' }

  it('keep a valid upstream id as it is, with a call artefact attached when there is one', () => {
    expect(clientToolId('toolu_01X', undefined)).toBe('toolu_01X')
    const id = clientToolId('call_4fcc87b7_0', signature)
    expect(id).toMatch(/^call_4fcc87b7_0__cx1_[a-zA-Z0-9_-]+$/)
    expect(toolIdFromClient(id)).toEqual({ id: 'call_4fcc87b7_0', opaque: signature })
  })

  it('encode an id outside Anthropic’s pattern so a later pass-through to Anthropic is accepted, and decode it back', () => {
    for (const upstreamId of ['functions.read_file:0', 'call 1/ü', '']) {
      const id = clientToolId(upstreamId, signature)
      expect(id).toMatch(/^[a-zA-Z0-9_-]+$/)
      expect(toolIdFromClient(id)).toEqual({ id: upstreamId, opaque: signature })
      expect(toolIdFromClient(clientToolId(upstreamId, undefined))).toEqual({ id: upstreamId })
    }
  })

  it('leave ids that only look encoded alone', () => {
    expect(toolIdFromClient('__cxid_zz')).toEqual({ id: '__cxid_zz' })
    // Hex of a valid id was never made by the relay: it is the upstream's own id.
    expect(toolIdFromClient(`__cxid_${Buffer.from('abc').toString('hex')}`)).toEqual({ id: '__cxid_616263' })
  })
})
