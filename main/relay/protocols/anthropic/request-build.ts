import type { CanonicalRequest } from '../../canonical/request'
import { relayErrors } from '../../relay-errors'
import { buildMessages, cacheBudget, textBlock } from './build-messages'
import { maxTokens, sampling, thinkingAllowed, toolsAndChoice, wantedThinking } from './build-options'
import type { TextBlockParam, WireRequest } from './types'

/** Anthropic has no JSON mode; the instruction goes into the system prompt (§3.5 item 9). */
const JSON_INSTRUCTION = 'Respond with a single JSON object and nothing else.'

/**
 * Canonical → an Anthropic Messages body for `model`, normalised so the API accepts it
 * (§7 invariant 7): no empty text, paired and ordered tool results, sanitised tool ids,
 * thinking only where the conversation allows it, sampling within Anthropic's rules. Several
 * choices (`n`) cannot be asked for, so such a request is refused rather than answered with one
 * (§3.5 item 14).
 */
export function buildAnthropicRequest(request: CanonicalRequest, model: string): WireRequest {
  if (request.generation.n !== null && request.generation.n > 1) {
    throw relayErrors.invalidRequest('n > 1 is not supported by this model: its channel speaks the Anthropic Messages API, which returns one answer.')
  }
  const cache = cacheBudget()
  const system: TextBlockParam[] = request.system.flatMap(segment => textBlock(segment.text, cache, segment.cache))
  if (request.responseFormat.type === 'json_object') system.push({ type: 'text', text: JSON_INSTRUCTION })
  const messages = buildMessages(request.messages, cache)

  const plan = thinkingAllowed(request, messages) ? wantedThinking(request) : null
  const budget = plan?.type === 'enabled' ? plan.budget : null
  const format = request.responseFormat
  const outputConfig = {
    ...(plan?.type === 'adaptive' && plan.effort !== undefined ? { effort: plan.effort } : {}),
    ...(format.type === 'json_schema' ? { format: { type: 'json_schema' as const, schema: format.schema } } : {})
  }
  const stop = request.generation.stop.filter(s => s.trim() !== '')
  return {
    model,
    max_tokens: maxTokens(request.generation, budget),
    ...(system.length > 0 ? { system } : {}),
    messages,
    ...toolsAndChoice(request),
    ...(plan?.type === 'enabled' ? { thinking: { type: 'enabled', budget_tokens: plan.budget } } : {}),
    ...(plan?.type === 'adaptive' ? { thinking: { type: 'adaptive' } } : {}),
    ...(Object.keys(outputConfig).length > 0 ? { output_config: outputConfig } : {}),
    ...sampling(request.generation, plan !== null),
    ...(stop.length > 0 ? { stop_sequences: stop } : {}),
    ...(request.user !== null ? { metadata: { user_id: request.user } } : {}),
    stream: request.stream
  }
}
