import { Agent, request } from 'undici'
import type { CanonicalRequest, ImagePart, Part, TextPart } from './canonical/request'
import { relayErrors } from './relay-errors'

/** Largest image fetched to inline (Gemini's inline request limit is about 20 MB in all). */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024
const FETCH_TIMEOUT_MS = 15_000

/**
 * Gemini takes images only as bytes (its `fileData` URIs must be its own Files API), so an image
 * a client gave by http(s) URL is fetched and inlined before the request is built for a Gemini
 * channel (protocols.md §3.5 item 8). A URL that cannot be fetched is the client's problem: 400.
 */
export class ImageInliner {
  private readonly agent = new Agent({ connect: { timeout: FETCH_TIMEOUT_MS } })

  /** Whether `request` has an image given by http(s) URL. */
  static needed(request: CanonicalRequest): boolean {
    return request.messages.some(m => m.parts.some(p => isRemote(p) || (p.type === 'tool_result' && p.content.some(isRemote))))
  }

  /** `request` with every http(s) image replaced by its bytes. */
  async inline(request: CanonicalRequest): Promise<CanonicalRequest> {
    const cache = new Map<string, Promise<ImagePart>>()
    const fetchOnce = (part: ImagePart & { source: { kind: 'url' } }): Promise<ImagePart> => {
      let done = cache.get(part.source.url)
      if (!done) {
        done = this.fetchImage(part.source.url).then(source => ({ ...part, source }))
        cache.set(part.source.url, done)
      }
      return done
    }
    const inlineContent = (content: Array<TextPart | ImagePart>): Promise<Array<TextPart | ImagePart>> =>
      Promise.all(content.map(c => (isRemote(c) ? fetchOnce(c) : c)))
    const inlinePart = async (part: Part): Promise<Part> => {
      if (isRemote(part)) return fetchOnce(part)
      return part.type === 'tool_result' ? { ...part, content: await inlineContent(part.content) } : part
    }
    const messages = await Promise.all(request.messages.map(async message => ({ ...message, parts: await Promise.all(message.parts.map(inlinePart)) })))
    return { ...request, messages }
  }

  /** Closes the connection pool (shutdown). */
  close(): Promise<void> {
    return this.agent.close()
  }

  private async fetchImage(url: string): Promise<{ kind: 'base64'; mediaType: string; data: string }> {
    const fail = (why: string): never => {
      throw relayErrors.invalidRequest(`The image at ${url} could not be fetched to send it to this model: ${why}`)
    }
    try {
      const response = await request(url, { dispatcher: this.agent, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
      if (response.statusCode !== 200) {
        response.body.resume()
        return fail(`HTTP ${response.statusCode}`)
      }
      const parts: Buffer[] = []
      let size = 0
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length
        if (size > MAX_IMAGE_BYTES) {
          response.body.destroy()
          return fail(`larger than ${MAX_IMAGE_BYTES} bytes`)
        }
        parts.push(chunk as Buffer)
      }
      const type = String(response.headers['content-type'] ?? '').split(';')[0]?.trim() ?? ''
      const mediaType = type.startsWith('image/') ? type : mediaTypeOf(url)
      return { kind: 'base64', mediaType, data: Buffer.concat(parts).toString('base64') }
    } catch (err) {
      if (err instanceof Error && err.name === 'RelayError') throw err
      return fail(err instanceof Error ? err.message : String(err))
    }
  }
}

function isRemote(part: Part): part is ImagePart & { source: { kind: 'url'; url: string } } {
  return part.type === 'image' && part.source.kind === 'url' && /^https?:\/\//i.test(part.source.url)
}

/** An image media type from the URL's extension, when the server did not say. */
function mediaTypeOf(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase()
  if (ext === 'png' || ext === 'gif' || ext === 'webp') return `image/${ext}`
  return 'image/jpeg'
}
