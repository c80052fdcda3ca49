import type { Attempt } from '@shared/dto/request-log'
import type { Usage } from '../relay/canonical/usage'

/** Everything the relay knows about a finished request; the only thing it hands to stats. */
export interface RequestOutcome {
  time: number
  requestId: string
  apiKeyId: number | null
  clientProtocol: string
  requestedModel: string
  groupName: string
  channelId: number | null
  upstreamModel: string | null
  stream: boolean
  status: number
  attempts: Attempt[]
  latencyMs: number
  firstTokenMs: number | null
  usage: Usage
  cost: number | null
  error: string | null
  requestBody: string | null
  responseBody: string | null
}
