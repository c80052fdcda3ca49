import type { WireContent, WirePart } from './types'

/** What a call without a result is answered with (the turn is over; Gemini still wants one). */
const MISSING = { error: 'No result was returned for this function call.' }

/**
 * Gemini rejects a turn whose functionResponse parts do not answer exactly the functionCall
 * parts of the model turn before it ("number of function response parts is equal to the number
 * of function call parts"); §7 invariant 4. A call left unanswered gets a synthetic error
 * result; a result no call in the previous turn asked for becomes plain text, so its content is
 * not lost.
 */
export function pairResults(contents: WireContent[]): WireContent[] {
  const out: WireContent[] = []
  for (const [i, content] of contents.entries()) {
    const previous = i > 0 ? contents[i - 1] : undefined
    if (content.role !== 'user') {
      out.push(content)
      continue
    }
    const calls = previous?.role === 'model' ? previous.parts.flatMap(p => (p.functionCall ? [p.functionCall] : [])) : []
    out.push({ role: 'user', parts: paired(content.parts, calls) })
  }
  return out
}

function paired(parts: WirePart[], calls: Array<{ id?: string; name?: string }>): WirePart[] {
  const wanted = new Map(calls.map(call => [call.id ?? '', call.name ?? '']))
  const answered = new Set<string>()
  const results: WirePart[] = []
  const rest: WirePart[] = []
  for (const part of parts) {
    const response = part.functionResponse
    if (response === undefined) rest.push(part)
    else if (wanted.has(response.id ?? '') && !answered.has(response.id ?? '')) {
      answered.add(response.id ?? '')
      results.push(part)
    } else rest.push({ text: `Result of ${response.name}: ${JSON.stringify(response.response)}` })
  }
  const missing: WirePart[] = [...wanted]
    .filter(([id]) => !answered.has(id))
    .map(([id, name]) => ({ functionResponse: { id, name, response: MISSING } }))
  // Results in call order, as Gemini pairs them.
  const order = [...wanted.keys()]
  const rank = (part: WirePart): number => order.indexOf(part.functionResponse?.id ?? '')
  return [...[...results, ...missing].sort((a, b) => rank(a) - rank(b)), ...rest]
}
