import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { geminiParameters } from './schema-sanitize'

interface RecordedTool {
  name: string
  input_schema: Record<string, unknown>
}
const tools = JSON.parse(readFileSync(new URL('./fixtures/claude-code-tools.json', import.meta.url), 'utf8')) as RecordedTool[]

/** Every key Gemini's Schema proto knows; anything else is a 400 "Unknown name". */
const GEMINI_KEYS = new Set([
  'type',
  'format',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'anyOf',
  'items',
  'minimum',
  'maximum'
])

/** Keys of schema nodes at any depth (property names under `properties` are not keywords). */
function keywords(node: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return out
  for (const [key, value] of Object.entries(node)) {
    out.add(key)
    if (key === 'properties' && typeof value === 'object' && value !== null) for (const sub of Object.values(value)) keywords(sub, out)
    else if (key === 'items') keywords(value, out)
    else if (key === 'anyOf' && Array.isArray(value)) for (const sub of value) keywords(sub, out)
  }
  return out
}

const byName = (name: string): Record<string, unknown> => {
  const tool = tools.find(t => t.name === name)
  if (tool === undefined) throw new Error(`no tool ${name}`)
  return geminiParameters(tool.input_schema)
}

describe('geminiParameters (§4 case 14)', () => {
  it('leaves no keyword outside Gemini’s Schema at any depth of a recorded Claude Code tool list', () => {
    for (const tool of tools) {
      const sanitised = geminiParameters(tool.input_schema)
      const unknown = [...keywords(sanitised)].filter(k => !GEMINI_KEYS.has(k))
      expect(unknown, tool.name).toEqual([])
      expect(sanitised.type, tool.name).toBe('object')
      // A property may be called "title"; keywords() above already checks keys by position.
      const json = JSON.stringify(sanitised)
      for (const banned of ['$schema', 'additionalProperties', 'propertyNames', 'exclusiveMinimum', '"const"', '$ref', '$defs', '"default"', 'examples'])
        expect(json.includes(banned), `${tool.name}: ${banned}`).toBe(false)
    }
  })

  it('turns exclusive bounds into inclusive ones and drops defaults', () => {
    expect(byName('Bash')).toEqual({
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The command to execute' },
        timeout: { type: 'number', description: 'Optional timeout in milliseconds (max 600000)', minimum: 0, maximum: 600000 },
        description: { type: 'string', description: 'Clear, concise description of what this command does in 5-10 words.' },
        run_in_background: { type: 'boolean', description: 'Set to true to run this command in the background.' }
      },
      required: ['command']
    })
  })

  it('keeps an empty object schema as {type:"object", properties:{}}', () => {
    expect(byName('ExitPlanMode')).toEqual({ type: 'object', properties: {} })
    expect(geminiParameters({})).toEqual({ type: 'object', properties: {} })
  })

  it('inlines refs, flattens type arrays and null branches, maps const, oneOf and enums', () => {
    const props = byName('mcp__github__create_issue').properties as Record<string, unknown>
    expect(props.body).toEqual({ type: 'string', description: 'Issue body (markdown)', nullable: true })
    expect(props.labels).toEqual({
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' }, color: { type: 'string' } }, required: ['name'] }
    })
    expect(props.assignee).toEqual({ type: 'string', nullable: true })
    expect(props.milestone).toEqual({ anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }] })
    expect(props.kind).toEqual({ type: 'string', enum: ['issue'] })
    expect(props.priority).toEqual({ type: 'integer', description: 'Allowed values: 1, 2, 3.' })
    expect(props.metadata).toEqual({ type: 'object' })
    expect(props.due).toEqual({ type: 'string', format: 'date-time' })
    expect(props.parent).toEqual({ type: 'object', properties: { number: { type: 'integer', minimum: 0 } }, required: ['number'] })
    expect(props.broken).toEqual({ type: 'string' })
    expect(props.remote).toEqual({ type: 'string' })
    expect(props.conditional).toEqual({ type: 'object', properties: { mode: { type: 'string' }, value: { type: 'number' } }, required: ['mode'] })
  })

  it('stops a recursive $ref after one expansion', () => {
    const props = byName('mcp__github__create_issue').properties as Record<string, unknown>
    expect(props.tree).toEqual({
      type: 'object',
      properties: { value: { type: 'string' }, children: { type: 'array', items: { type: 'string' } } }
    })
  })

  it('merges allOf, splits multi-type arrays into anyOf and bounds a ref explosion', () => {
    expect(
      geminiParameters({
        type: 'object',
        properties: {
          both: { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'integer' } } }] },
          either: { type: ['string', 'integer', 'null'], description: 'id' }
        }
      })
    ).toEqual({
      type: 'object',
      properties: {
        both: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a'] },
        either: { anyOf: [{ type: 'string' }, { type: 'integer' }], description: 'id', nullable: true }
      }
    })
    const defs: Record<string, unknown> = {}
    for (let i = 0; i < 12; i++) defs[`D${i}`] = { type: 'object', properties: { l: { $ref: `#/$defs/D${i + 1}` }, r: { $ref: `#/$defs/D${i + 1}` } } }
    const huge = JSON.stringify(geminiParameters({ type: 'object', properties: { root: { $ref: '#/$defs/D0' } }, $defs: defs }))
    expect(huge.length).toBeLessThan(400_000)
  })
})
