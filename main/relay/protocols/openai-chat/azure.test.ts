import { describe, expect, it } from 'vitest'
import { openAiChatAdapter } from '.'
import { azureChatUrl, azureHeaders, channelAdapter } from './azure'

describe('Azure OpenAI addressing', () => {
  it('puts the deployment in the path and the api-version in the query', () => {
    expect(azureChatUrl('https://acme.openai.azure.com', 'gpt4o-prod', '2024-10-21')).toBe(
      'https://acme.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21'
    )
    // A base URL with a path is the API root as given (a gateway in front of Azure).
    expect(azureChatUrl('https://gw.example.com/azure/openai/', 'd', '2025-04-01-preview')).toBe(
      'https://gw.example.com/azure/openai/deployments/d/chat/completions?api-version=2025-04-01-preview'
    )
    expect(azureChatUrl('https://acme.openai.azure.com', 'a/b c', 'v')).toContain('/deployments/a%2Fb%20c/chat/completions')
  })

  it('sends the key in api-key, never as Bearer', () => {
    expect(azureHeaders('k-123', true)).toEqual({ 'api-key': 'k-123', 'content-type': 'application/json', accept: 'text/event-stream' })
    expect(azureHeaders(null, false)).toEqual({ 'content-type': 'application/json', accept: 'application/json' })
  })

  it('changes only the addressing of the Chat adapter, and nothing without Azure options', () => {
    expect(channelAdapter(openAiChatAdapter, null)).toBe(openAiChatAdapter)
    const azure = channelAdapter(openAiChatAdapter, { apiVersion: '2024-10-21' })
    expect(azure.protocol).toBe('openai-chat')
    expect(azure.upstream.url('https://acme.openai.azure.com', 'dep', true)).toBe(
      'https://acme.openai.azure.com/openai/deployments/dep/chat/completions?api-version=2024-10-21'
    )
    expect(azure.upstream.headers('k', false)['api-key']).toBe('k')
    expect(azure.upstream.buildRequest).toBe(openAiChatAdapter.upstream.buildRequest)
    expect(azure.passThrough).toBe(openAiChatAdapter.passThrough)
  })
})
