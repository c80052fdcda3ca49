import { beforeAll, describe, expect, it } from 'vitest'
import { DESKTOP_CHANNELS, type DesktopApi, type RelayStatus } from '../shared/contract/desktop-api'
import { fake } from '../main/testing/fake-electron'

describe('preload', () => {
  let api: DesktopApi
  beforeAll(async () => {
    fake.reset()
    await import('./index')
    api = fake.exposed.get('cuttleDesktop') as DesktopApi
  })

  it('exposes exactly the typed desktop API on window.cuttleDesktop, nothing else', () => {
    expect([...fake.exposed.keys()]).toEqual(['cuttleDesktop'])
    expect(Object.keys(api).sort()).toEqual(['getPrefs', 'getSession', 'onRelayStatus', 'openExternal', 'quit', 'setPrefs'])
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
  })

  it('invokes only the contract channels, with the arguments given', async () => {
    await api.getSession()
    await api.setPrefs({ theme: 'dark' })
    await api.openExternal('https://example.com')
    expect(fake.invoked).toEqual([
      { channel: DESKTOP_CHANNELS.getSession, args: [] },
      { channel: DESKTOP_CHANNELS.setPrefs, args: [{ theme: 'dark' }] },
      { channel: DESKTOP_CHANNELS.openExternal, args: ['https://example.com'] }
    ])
  })

  it('passes relay status to listeners until they unsubscribe', () => {
    const seen: RelayStatus[] = []
    const unsubscribe = api.onRelayStatus(status => seen.push(status))
    const status: RelayStatus = { paused: false, port: 7878, inFlight: 1, requestsToday: 2, errorsToday: 0 }
    const emit = (): void => fake.rendererListeners.get(DESKTOP_CHANNELS.relayStatus)?.forEach(listener => listener({}, status))
    emit()
    unsubscribe()
    emit()
    expect(seen).toEqual([status])
  })
})
