import { attachToId, splitId, type Opaque } from '../../canonical/opaque'

/** Tool ids Anthropic accepts. */
const ANTHROPIC_ID = /^[a-zA-Z0-9_-]+$/

/**
 * Marks an upstream tool id outside that pattern (Kimi's `functions.read_file:0`), hex-encoded.
 * Claude Code keeps the ids of its history and may later send them straight to Anthropic (a
 * same-protocol channel is passed through), which rejects such an id; the relay still gives the
 * upstream its own id back.
 */
const ENCODED = '__cxid_'

/**
 * The tool_use id an Anthropic client sees for an upstream call: valid for Anthropic, carrying
 * the call's artefact (a Gemini thoughtSignature) when there is one, since tool_use has no
 * field for it.
 */
export function clientToolId(id: string, opaque: Opaque | undefined): string {
  const safe = ANTHROPIC_ID.test(id) ? id : `${ENCODED}${Buffer.from(id, 'utf8').toString('hex')}`
  return opaque ? attachToId(safe, opaque) : safe
}

/** The upstream's id (and artefact) for a tool_use / tool_result id the client sends back. */
export function toolIdFromClient(raw: string): { id: string; opaque?: Opaque } {
  const split = splitId(raw)
  const hex = split.id.slice(ENCODED.length)
  if (!split.id.startsWith(ENCODED) || !/^(?:[0-9a-f]{2})*$/.test(hex)) return split
  const decoded = Buffer.from(hex, 'hex').toString('utf8')
  // Only ids outside the pattern were encoded; anything else is an upstream's own id.
  return ANTHROPIC_ID.test(decoded) ? split : { ...split, id: decoded }
}
