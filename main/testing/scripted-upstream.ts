import { createServer } from 'node:http'
import { listenLocal } from './listen-local'

/** One answer, written as given: status, headers and the raw body bytes, then a clean end. */
export interface ScriptedAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/** A provider of any protocol on 127.0.0.1 that answers each request by its model, byte for byte. */
export interface ScriptedUpstream {
  readonly url: string
  close(): Promise<void>
}

/** Gemini names the model in the path; every other protocol in the body. */
const GEMINI_MODEL = /^\/v1beta\/models\/([^/:]+):/

/** Starts the upstream; a model `answers` does not know gets a 404. */
export async function startScriptedUpstream(answers: (model: string) => ScriptedAnswer | undefined): Promise<ScriptedUpstream> {
  const server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => {
      const fromPath = GEMINI_MODEL.exec(req.url ?? '')?.[1]
      const model = fromPath ?? modelOf(Buffer.concat(parts).toString('utf8'))
      const answer = answers(model) ?? { status: 404, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"no such model"}}' }
      res.writeHead(answer.status, answer.headers)
      res.end(answer.body)
    })
  })
  const { url, close } = await listenLocal(server)
  return { url, close }
}

function modelOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { model?: unknown }
    return typeof parsed.model === 'string' ? parsed.model : ''
  } catch {
    return ''
  }
}

/** An SSE answer of `body`. */
export function sseAnswer(body: string): ScriptedAnswer {
  return { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }, body }
}

/** A JSON answer with `status` and extra `headers`. */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): ScriptedAnswer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }
}
