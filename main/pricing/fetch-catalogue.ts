import { request } from 'undici'

/** models.dev's catalogue is a few MB; anything far larger is not it. */
const MAX_BYTES = 64 * 1024 * 1024

/** The catalogue could not be fetched; `reachable` tells a bad answer from no answer. */
export class CatalogueFetchError extends Error {
  constructor(
    message: string,
    readonly reachable: boolean
  ) {
    super(message)
    this.name = 'CatalogueFetchError'
  }
}

/** GETs a JSON document within `timeoutMs` (connecting, waiting and reading included); `stop` gives up early. */
export async function fetchCatalogue(url: string, timeoutMs: number, stop?: AbortSignal): Promise<unknown> {
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout
  let text: string
  try {
    const response = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': 'cuttle-price-sync' },
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs
    })
    if (response.statusCode !== 200) {
      response.body.resume()
      throw new CatalogueFetchError(`it answered HTTP ${response.statusCode}`, true)
    }
    text = await readCapped(response.body)
  } catch (err) {
    if (err instanceof CatalogueFetchError) throw err
    const detail = stop?.aborted ? 'Cuttle is shutting down' : timeout.aborted ? `no complete answer within ${timeoutMs / 1000} s` : describe(err)
    throw new CatalogueFetchError(detail, false)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new CatalogueFetchError(`its answer is not JSON (${describe(err)})`, true)
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const parts: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > MAX_BYTES) {
      body.destroy()
      throw new CatalogueFetchError(`its answer is larger than ${MAX_BYTES / 1024 / 1024} MB`, true)
    }
    parts.push(chunk)
  }
  return Buffer.concat(parts).toString('utf8')
}

/** The cause of a network error says more than undici's "fetch failed" wrapper. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = (err as { cause?: unknown }).cause
  const code = (err as { code?: unknown }).code
  if (cause instanceof Error) return cause.message
  return typeof code === 'string' && !err.message.includes(code) ? `${err.message} (${code})` : err.message
}
