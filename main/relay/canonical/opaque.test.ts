import { describe, expect, it } from 'vitest'
import { attachToId, openOpaque, opaqueFor, sealOpaque, splitId, type Opaque } from './opaque'

const redacted: Opaque = { protocol: 'anthropic', value: 'EmwKAhgBEgy3redacted==', redacted: true }
const signature: Opaque = { protocol: 'anthropic', value: 'EuYBCkQYAiJAsig==' }

describe('opaque envelopes', () => {
  it('seal a foreign artefact with its protocol and its redacted flag, and open it back whole', () => {
    expect(sealOpaque(signature, 'gemini')).toBe('cuttle1.anthropic.EuYBCkQYAiJAsig==')
    expect(sealOpaque(redacted, 'openai-responses')).toBe('cuttle1.anthropic.r.EmwKAhgBEgy3redacted==')
    expect(openOpaque(sealOpaque(redacted, 'gemini'), 'gemini')).toEqual(redacted)
    expect(openOpaque(sealOpaque(signature, 'gemini'), 'gemini')).toEqual(signature)
  })

  it('leave a native artefact raw (the client protocol has its own block for redacted data)', () => {
    expect(sealOpaque(redacted, 'anthropic')).toBe(redacted.value)
    expect(openOpaque('gAAAAB-native', 'openai-responses')).toEqual({ protocol: 'openai-responses', value: 'gAAAAB-native' })
  })

  it('read envelopes written before the flag existed, and anything unknown as native', () => {
    expect(openOpaque('cuttle1.gemini.c2lnLXRob3VnaHQ=', 'anthropic')).toEqual({ protocol: 'gemini', value: 'c2lnLXRob3VnaHQ=' })
    expect(openOpaque('cuttle1.mistral.xyz', 'anthropic')).toEqual({ protocol: 'anthropic', value: 'cuttle1.mistral.xyz' })
  })

  it('carry the flag through a tool call id, keeping the id Anthropic-safe', () => {
    const id = attachToId('call_1', redacted)
    expect(id).toMatch(/^[a-zA-Z0-9_-]+$/)
    expect(splitId(id)).toEqual({ id: 'call_1', opaque: redacted })
    expect(splitId(attachToId('call_2', signature))).toEqual({ id: 'call_2', opaque: signature })
  })

  it('give an artefact only to the protocol that minted it', () => {
    expect(opaqueFor(redacted, 'anthropic')).toBe(redacted.value)
    expect(opaqueFor(redacted, 'gemini')).toBeUndefined()
  })
})
