import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { stringify } from 'yaml'
import { afterAll, describe, expect, it } from 'vitest'
import { loadProvisionFile } from '../provision/load-provision'
import { PROVISION_SECTIONS } from '../provision/provision-schema'

const dir = mkdtempSync(join(tmpdir(), 'cuttle-provision-prop-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Writes `text` and loads it; the result must be a file or a non-empty list of one-line problems naming the file. */
function check(name: string, text: string, env: Record<string, string> = {}): void {
  const path = join(dir, name)
  writeFileSync(path, text)
  const result = loadProvisionFile(path, env)
  if (result.ok) return void expect(typeof result.file).toBe('object')
  expect(result.errors.length).toBeGreaterThan(0)
  for (const line of result.errors) {
    expect(line.startsWith(path)).toBe(true)
    expect(line.length).toBeGreaterThan(path.length + 2)
  }
}

/** A document shaped like a provisioning file: known sections with arbitrary entries, sometimes a stray key. */
const shapedArb = fc.dictionary(fc.oneof(fc.constantFrom(...PROVISION_SECTIONS), fc.string({ maxLength: 8 })), fc.oneof(fc.array(fc.dictionary(fc.constantFrom('name', 'type', 'baseUrls', 'keys', 'models', 'members', 'mode', 'key', 'groups'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }), { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })), { maxKeys: 4 })

describe('provisioning file parser on arbitrary input', () => {
  it('arbitrary text as YAML: a config or clear problems, never a throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), text => check('any.yaml', text)),
      { numRuns: 300 }
    )
  })

  it('YAML made of structural characters (flow, anchors, tags, ${VAR}) never throws', () => {
    const piece = fc.constantFrom('channels:', '\n', '  - ', '- ', ': ', '{', '}', '[', ']', '&a ', '*a', '!!str ', '!!binary ', '${X}', '${', '"', "'", '#', 'name', '? ', '|', '>', '---', '...', '%YAML 1.2', ',')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), pieces => check('structural.yaml', pieces.join(''), { X: 'x' })),
      { numRuns: 400 }
    )
  })

  it('arbitrary JSON values as .json and as YAML never throw', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), value => {
        check('value.json', JSON.stringify(value))
        check('value.yaml', stringify(value))
      }),
      { numRuns: 300 }
    )
  })

  it('documents shaped like a provisioning file get a config or problems naming where', () => {
    fc.assert(
      fc.property(shapedArb, doc => {
        check('shaped.yaml', stringify(doc))
        check('shaped.json', JSON.stringify(doc))
      }),
      { numRuns: 300 }
    )
  })
})
