import type { Protocol } from './request'

/**
 * A provider artefact that is valid only for the protocol that minted it: an Anthropic thinking
 * signature or redacted-thinking data, a Responses `encrypted_content`, a Gemini
 * `thoughtSignature`. It goes back byte-identical to that protocol's upstream and is dropped
 * for every other (docs/protocols.md §3.5 items 3–4, §7 invariant 5).
 */
export interface Opaque {
  protocol: Protocol
  value: string
  /**
   * Anthropic `redacted_thinking` data rather than a thinking signature. Anthropic needs the two
   * in different blocks, and a client of another protocol has one field for both, so the flag
   * travels inside the envelope.
   */
  redacted?: true
}

/**
 * Envelope prefix. A client of another protocol carries a foreign artefact in its own field
 * (e.g. a Gemini thoughtSignature as an Anthropic signature); the prefix tells it apart from a
 * native one when the client sends the history back.
 */
const PREFIX = 'cuttle1.'
/**
 * Marks redacted data inside an envelope: `cuttle1.<protocol>.r.<value>`. Minted values are
 * base64 (no `.`), so an `r.` in front of one can only be this mark; envelopes without it (all
 * those written before the flag existed) read as they always did.
 */
const REDACTED = 'r.'

const PROTOCOLS: readonly Protocol[] = ['openai-chat', 'openai-responses', 'anthropic', 'gemini']

/** `<protocol>.[r.]<value>`: what follows the prefix of an envelope, and what an id carries. */
function encodeBody(opaque: Opaque): string {
  return `${opaque.protocol}.${opaque.redacted === true ? REDACTED : ''}${opaque.value}`
}

/** The artefact in an envelope body; undefined when it names no protocol. */
function decodeBody(body: string): Opaque | undefined {
  const dot = body.indexOf('.')
  const protocol = body.slice(0, dot) as Protocol
  if (dot <= 0 || !PROTOCOLS.includes(protocol)) return undefined
  const rest = body.slice(dot + 1)
  return rest.startsWith(REDACTED) ? { protocol, value: rest.slice(REDACTED.length), redacted: true } : { protocol, value: rest }
}

/** The string a client of `clientProtocol` carries for `opaque`: raw when native, sealed otherwise. */
export function sealOpaque(opaque: Opaque, clientProtocol: Protocol): string {
  if (opaque.protocol === clientProtocol) return opaque.value
  return `${PREFIX}${encodeBody(opaque)}`
}

/** Reads a string a client of `clientProtocol` sent back: an envelope, or a native artefact. */
export function openOpaque(value: string, clientProtocol: Protocol): Opaque {
  const sealed = value.startsWith(PREFIX) ? decodeBody(value.slice(PREFIX.length)) : undefined
  return sealed ?? { protocol: clientProtocol, value }
}

/** The artefact's value when it belongs to `upstream`, otherwise undefined (it must be dropped). */
export function opaqueFor(opaque: Opaque | undefined, upstream: Protocol): string | undefined {
  return opaque !== undefined && opaque.protocol === upstream ? opaque.value : undefined
}

/**
 * Separator for a protocol that has no field for an artefact on a tool call (Chat): the
 * artefact rides in the tool call id, base64url-encoded so the id stays `[A-Za-z0-9_-]`-safe
 * for any later Anthropic hop, and is split off when the id comes back.
 */
const ID_MARK = '__cx1_'

/** `id` with `opaque` attached. */
export function attachToId(id: string, opaque: Opaque): string {
  return `${id}${ID_MARK}${Buffer.from(encodeBody(opaque), 'utf8').toString('base64url')}`
}

/** Splits an id made by `attachToId` back into the original id and its artefact. */
export function splitId(id: string): { id: string; opaque?: Opaque } {
  const at = id.indexOf(ID_MARK)
  if (at === -1) return { id }
  const opaque = decodeBody(Buffer.from(id.slice(at + ID_MARK.length), 'base64url').toString('utf8'))
  return opaque === undefined ? { id } : { id: id.slice(0, at), opaque }
}
