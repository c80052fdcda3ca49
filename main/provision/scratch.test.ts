import { it } from 'vitest'
import { z } from 'zod'
import { SettingsUpdateSchema } from '@shared/dto/settings'
import { parseDocument, LineCounter } from 'yaml'
it('x', () => {
console.log(SettingsUpdateSchema.parse({}))
const s = z.object({ a: z.number().default(1), b: z.string(), h: z.record(z.string().regex(/^a+$/), z.string()) }).strict()
const e = s.extend({ a: s.shape.a.unwrap().optional() })
console.log(e.safeParse({ b: 'x', c: 1, h: {} }).error?.issues, e.parse({ b: 'x', h: {} }))
const r = e.safeParse({ a: 'q', h: { bb: 'x' } }, { error: iss => { console.log('map', iss.code, iss.message, Object.keys(iss)); return undefined } })
console.log(JSON.stringify(r.error?.issues, null, 1))
const lc = new LineCounter()
const d = parseDocument('a: [sk-secret\nb: 1\na: 2\n', { lineCounter: lc, prettyErrors: false })
for (const er of d.errors) console.log(er.code, JSON.stringify(er.message), er.pos, lc.linePos(er.pos[0]))
const d2 = parseDocument('a: 1\na: 2\n', { lineCounter: lc })
for (const er of d2.errors) console.log(er.code, JSON.stringify(er.message), er.pos, er.linePos)
})
