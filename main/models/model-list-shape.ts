/** One page of a provider's model list, read. */
export interface ModelPage {
  ids: string[]
  /** URL of the next page, or null on the last one. */
  next: string | null
}

/** How one protocol lists models: where, with which headers, and how a page reads. */
export interface ModelListShape {
  firstPage(baseUrl: string): string
  headers(key: string | null): Record<string, string>
  /** Null when the answer is not a model list of this protocol. */
  readPage(body: unknown, pageUrl: string): ModelPage | null
}

/**
 * The models URL of a base URL, by the rule the relay's endpoints follow: a bare origin gets the
 * protocol's standard root (`/v1`, `/v1beta`), a base URL with a path is the API root as given.
 */
export function modelsUrl(baseUrl: string, standardRoot: string, query: Record<string, string>): string {
  const url = new URL(baseUrl)
  const path = url.pathname.replace(/\/+$/, '')
  url.pathname = `${path === '' ? standardRoot : path}/models`
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
  return url.toString()
}

/** The same URL with one query parameter set (the next page's cursor). */
export function withParam(pageUrl: string, name: string, value: string): string {
  const url = new URL(pageUrl)
  url.searchParams.set(name, value)
  return url.toString()
}
