import type { ChannelUpdate } from '@shared/dto/channel'
import { keyFingerprint, maskKey } from '../../security/client-key'
import { isUniqueViolation } from '../../store/columns'
import type { ChannelFields, ChannelRecord } from '../../store/records'
import { adminErrors } from '../http-errors'
import type { AdminDeps, AdminHandlers } from './admin-context'
import { channelFromInput, checkAntigravity, checkAzure } from './channel-from-preset'
import { maskProxy, presentChannel, SENSITIVE_HEADER } from './presenters'

/** Channel CRUD; every change rebuilds the route table before answering. */
export function channelHandlers(deps: AdminDeps): Pick<AdminHandlers, 'channels.list' | 'channels.get' | 'channels.create' | 'channels.update' | 'channels.resetHealth' | 'channels.delete'> {
  const { repos, routes, health } = deps
  const present = (channel: ChannelRecord): ReturnType<typeof presentChannel> => presentChannel(channel, health)
  const load = async (id: number): Promise<ChannelRecord> => {
    const channel = await repos.channels.get(id)
    if (!channel) throw adminErrors.notFound('Channel', id)
    return channel
  }
  return {
    'channels.list': async () => (await repos.channels.list()).map(present),
    'channels.get': async ({ params }) => present(await load(params.id)),
    'channels.create': async ({ body }) => {
      const taken = body.preset !== undefined && body.name === undefined ? new Set((await repos.channels.list()).map(c => c.name)) : new Set<string>()
      const fields = channelFromInput(body, taken)
      checkAzure(fields)
      checkAntigravity(fields, deps.allowAntigravity, true)
      const created = await uniqueName(() => repos.channels.create({ ...fields, keys: dedupe(fields.keys) }), fields.name)
      await routes.reload()
      return present(created)
    },
    'channels.update': async ({ params, body }) => {
      const current = await load(params.id)
      const fields = mergeUpdate(current, body)
      const merged = { ...current, ...fields }
      checkAzure(merged)
      checkAntigravity(merged, deps.allowAntigravity, false)
      const updated = await uniqueName(() => repos.channels.update(params.id, fields), body.name ?? current.name)
      if (!updated) throw adminErrors.notFound('Channel', params.id)
      await routes.reload()
      return present(updated)
    },
    'channels.resetHealth': async ({ params }) => {
      const channel = await load(params.id)
      health.reset(channel.id)
      return present(channel)
    },
    'channels.delete': async ({ params }) => {
      if (!(await repos.channels.delete(params.id))) throw adminErrors.notFound('Channel', params.id)
      await routes.reload()
      return { deleted: true }
    }
  }
}

/** Turns a PATCH into stored fields: kept keys by fingerprint, masked header values, proxy and client secret kept as they were. */
function mergeUpdate(current: ChannelRecord, patch: ChannelUpdate): Partial<ChannelFields> {
  const { keys, headers, proxy, antigravity, ...rest } = patch
  const fields: Partial<ChannelFields> = { ...rest }
  if (antigravity !== undefined) {
    // The API shows the client secret masked; getting the mask back keeps the stored secret.
    const stored = current.antigravity?.clientSecret
    fields.antigravity = antigravity !== null && stored !== undefined && antigravity.clientSecret === maskKey(stored) ? { ...antigravity, clientSecret: stored } : antigravity
  }
  if (proxy !== undefined) {
    // The API shows the proxy with its password masked; getting that back unchanged keeps the stored one.
    const unchanged = proxy !== null && current.proxy !== null && proxy === maskProxy(current.proxy)
    fields.proxy = unchanged ? current.proxy : proxy
  }
  if (keys) {
    const byFingerprint = new Map(current.keys.map(key => [keyFingerprint(key), key]))
    fields.keys = dedupe(
      keys.map((entry, index) => {
        if (typeof entry === 'string') return entry
        const kept = byFingerprint.get(entry.fingerprint)
        if (!kept) throw adminErrors.invalidReference(`keys.${index}.fingerprint`, `no stored key has fingerprint ${entry.fingerprint}`)
        return kept
      })
    )
  }
  if (headers) {
    fields.headers = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => {
        const old = current.headers[name]
        const unchanged = old !== undefined && SENSITIVE_HEADER.test(name) && value === maskKey(old)
        return [name, unchanged ? old : value]
      })
    )
  }
  return fields
}

function dedupe(keys: readonly string[]): string[] {
  return [...new Set(keys)]
}

/** Runs a write and turns a duplicate-name violation into a 409 that names the name. */
export async function uniqueName<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write()
  } catch (err) {
    if (isUniqueViolation(err)) throw adminErrors.conflict(`The name "${name}" is already taken.`)
    throw err
  }
}
