import type { AzureOptions } from '@shared/dto/channel'
import type { ProtocolAdapter } from '../protocol-adapter'
import { chatHeaders } from './endpoint'

/**
 * The Chat Completions URL of an Azure OpenAI deployment. A bare resource endpoint
 * (`https://<resource>.openai.azure.com`) gets `/openai`; a base URL with a path is the API root
 * as given, like for other channels.
 */
export function azureChatUrl(baseUrl: string, deployment: string, apiVersion: string): string {
  const url = new URL(baseUrl)
  const root = url.pathname.replace(/\/+$/, '') || '/openai'
  url.pathname = `${root}/deployments/${encodeURIComponent(deployment)}/chat/completions`
  url.searchParams.set('api-version', apiVersion)
  return url.toString()
}

/** Azure takes the key in `api-key`; Bearer there means an Entra ID token, which a key is not. */
export function azureHeaders(key: string | null, stream: boolean): Record<string, string> {
  return { ...chatHeaders(null, stream), ...(key !== null ? { 'api-key': key } : {}) }
}

/**
 * The adapter a channel is spoken to through: the type's own, or for an Azure channel the same
 * one addressed by deployment (the upstream model name) with Azure's auth header. Bodies, streams
 * and errors are plain Chat Completions either way.
 */
export function channelAdapter(adapter: ProtocolAdapter, azure: AzureOptions | null): ProtocolAdapter {
  if (azure === null) return adapter
  return {
    ...adapter,
    upstream: { ...adapter.upstream, url: (baseUrl, model) => azureChatUrl(baseUrl, model, azure.apiVersion), headers: azureHeaders }
  }
}
