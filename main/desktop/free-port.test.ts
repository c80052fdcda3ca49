import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { freePort } from '../testing/spawn-cuttle'
import { firstFreePort } from './free-port'

describe('firstFreePort', () => {
  it('is the preferred port when free, else the next free one', async () => {
    const preferred = await freePort()
    expect(await firstFreePort(preferred, '127.0.0.1')).toBe(preferred)
    const busy = createServer()
    await new Promise<void>(resolve => busy.listen(preferred, '127.0.0.1', () => resolve()))
    try {
      expect(await firstFreePort(preferred, '127.0.0.1')).toBeGreaterThan(preferred)
    } finally {
      busy.close()
    }
  })
})
