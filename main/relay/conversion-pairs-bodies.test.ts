/**
 * Every ordered pair of different protocols, non-streamed: recorded upstream bodies of U are
 * decoded by U's adapter, named back for the client, encoded by C's adapter, and C's body must
 * have C's required shape and carry U's content.
 */
import { describe, it } from 'vitest'
import { readBody } from '../testing/client-answers'
import { checkClientBody } from '../testing/client-stream-checks'
import { expectContent } from '../testing/conversion-expect'
import { BODIES, fixture } from '../testing/conversion-fixtures'
import { CLIENT_MODEL, convertBody, PAIRS } from '../testing/conversion-relay'

describe.each(PAIRS)('body: $upstream upstream → $client client', ({ upstream, client }) => {
  for (const scenario of BODIES.filter(s => s.upstream === upstream)) {
    it(scenario.name, () => {
      const body = convertBody(upstream, client, JSON.parse(fixture(upstream, scenario.file)))
      checkClientBody(client, body, CLIENT_MODEL)
      expectContent(readBody(client, body), scenario.expected, client)
    })
  }
})
