import { createHash } from 'node:crypto'
import type { CanonicalRequest } from './request'

/**
 * Tool names every upstream accepts: OpenAI and Anthropic allow `[a-zA-Z0-9_-]{1,64}`, Gemini
 * also wants a letter or `_` first. Claude Code's MCP tools (`mcp__server__tool`) can be longer.
 */
const PORTABLE = /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/
const MAX = 64

/**
 * The name a tool gets upstream: itself when portable, otherwise a deterministic shortening
 * (sanitised prefix + hash of the original), so the same tool gets the same name in every
 * request of a conversation and the history stays consistent.
 */
export function portableToolName(name: string): string {
  if (PORTABLE.test(name)) return name
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10)
  let prefix = name.replace(/[^a-zA-Z0-9_-]/g, '_')
  if (!/^[a-zA-Z_]/.test(prefix)) prefix = `_${prefix}`
  return `${prefix.slice(0, MAX - hash.length - 1)}_${hash}`
}

/** Client tool names ↔ the names sent upstream, for one request. */
export class ToolNameMap {
  private readonly toClientNames = new Map<string, string>()

  /** Every tool the request defines or calls in its history. */
  constructor(request: CanonicalRequest) {
    const add = (name: string): void => {
      const upstream = portableToolName(name)
      if (upstream !== name) this.toClientNames.set(upstream, name)
    }
    for (const tool of request.tools) add(tool.name)
    for (const message of request.messages) {
      for (const part of message.parts) {
        if (part.type === 'tool_call') add(part.name)
        if (part.type === 'tool_result' && part.name !== undefined) add(part.name)
      }
    }
  }

  /** Whether any name had to change. */
  get renames(): boolean {
    return this.toClientNames.size > 0
  }

  /** The name the client knows for an upstream tool name. */
  toClient(upstreamName: string): string {
    return this.toClientNames.get(upstreamName) ?? upstreamName
  }
}

/** The request with every tool name made portable (definitions, choice, calls and results). */
export function withPortableToolNames(request: CanonicalRequest): CanonicalRequest {
  const choice = request.toolChoice
  return {
    ...request,
    tools: request.tools.map(tool => ({ ...tool, name: portableToolName(tool.name) })),
    toolChoice:
      choice?.type === 'tool'
        ? { type: 'tool', name: portableToolName(choice.name) }
        : choice?.type === 'allowed'
          ? { ...choice, names: choice.names.map(portableToolName) }
          : choice,
    messages: request.messages.map(message => ({
      ...message,
      parts: message.parts.map(part => {
        if (part.type === 'tool_call') return { ...part, name: portableToolName(part.name) }
        if (part.type === 'tool_result' && part.name !== undefined) return { ...part, name: portableToolName(part.name) }
        return part
      })
    }))
  }
}
