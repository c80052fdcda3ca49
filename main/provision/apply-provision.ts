import type { Knex } from 'knex'
import { ApiKeyCreateSchema } from '@shared/dto/api-key'
import { ChannelCreateSchema } from '@shared/dto/channel'
import { GroupCreateSchema } from '@shared/dto/group'
import { ANTIGRAVITY_OPT_IN, ANTIGRAVITY_TERMS } from '../relay/antigravity/terms'
import { findFallbackCycle } from '../relay/routing/fallback-cycle'
import { clientKeyPrefix, hashClientKey } from '../security/client-key'
import { isUniqueViolation } from '../store/columns'
import type { ApiKeyFields, GroupMemberRecord } from '../store/records'
import type { Repositories } from '../store/repositories'
import { entryLabel } from './provision-errors'
import type { ProvisionApiKey, ProvisionFile, ProvisionMember } from './provision-schema'

/** Created and updated rows of one section. */
export interface SectionCounts {
  created: number
  updated: number
}

/** What one application of a provisioning file changed. */
export interface ProvisionSummary {
  channels: SectionCounts
  groups: SectionCounts
  apiKeys: SectionCounts
  /** Settings written. */
  settings: number
}

/** Outcome of applyProvision: a summary, or one line per problem with nothing written. */
export type ApplyProvisionResult = { ok: true; summary: ProvisionSummary } | { ok: false; errors: string[] }

/** How client keys are stored, and how error lines name the file. */
export interface ApplyProvisionOptions {
  /** Hash stored for a client key (default hashClientKey). */
  hashKey?: (key: string) => string
  /** Display prefix stored for a client key (default clientKeyPrefix). */
  keyPrefix?: (key: string) => string
  /** Start of every error line, usually the file's path. */
  source?: string
  /** The operator's Antigravity opt-in (default off): without it, a file's Antigravity channel is refused. */
  allowAntigravity?: boolean
}

// Fills the defaults of a new key; the key itself is stored only as `stored` (hash and prefix).
const NewApiKeySchema = ApiKeyCreateSchema.omit({ key: true })

/** Thrown inside the transaction to roll it back and report these lines. */
class Rejected extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('\n'))
  }
}

/** The fields an entry actually gives; undefined ones must not overwrite stored values. */
function given<T extends object>(entry: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>
  }
}

/** The file's Antigravity channels the admin API would refuse too (README "Antigravity (opt-in)"); returns error lines. */
function antigravityErrors(file: ProvisionFile, source: string, allowed: boolean): string[] {
  return (file.channels ?? []).flatMap((channel, index) => {
    if (channel.antigravity === undefined || channel.antigravity === null) return []
    const label = entryLabel(source, 'channels', index, channel.name)
    if (channel.type !== 'gemini') return [`${label}: antigravity applies to gemini channels only`]
    return allowed ? [] : [`${label}: ${ANTIGRAVITY_TERMS} ${ANTIGRAVITY_OPT_IN}`]
  })
}

/** Name → id of every channel the file's members may use: file channels get theirs when written. */
type ChannelIds = Map<string, number>

/** Checks member channels and fallback groups against the file and the database, and fallback chains for cycles; returns error lines. */
async function checkReferences(
  trx: Knex,
  repos: Repositories,
  file: ProvisionFile,
  source: string,
  dbChannels: ChannelIds
): Promise<string[]> {
  const fileChannels = new Set((file.channels ?? []).map(channel => channel.name))
  const fileGroups = new Set((file.groups ?? []).map(group => group.name))
  const dbGroups = new Map<string, boolean>()
  const errors: string[] = []
  for (const [index, group] of (file.groups ?? []).entries()) {
    const label = entryLabel(source, 'groups', index, group.name)
    for (const [at, member] of (group.members ?? []).entries()) {
      if (fileChannels.has(member.channel) || dbChannels.has(member.channel)) continue
      const stored = await repos.channels.findByName(member.channel, trx)
      if (stored) dbChannels.set(member.channel, stored.id)
      else errors.push(`${label}: members[${at}].channel ${JSON.stringify(member.channel)} is not a channel in this file or the database`)
    }
    for (const [at, name] of (group.fallback ?? []).entries()) {
      if (fileGroups.has(name)) continue
      let known = dbGroups.get(name)
      if (known === undefined) {
        known = (await repos.groups.findByName(name, trx)) !== null
        dbGroups.set(name, known)
      }
      if (!known) errors.push(`${label}: fallback[${at}] ${JSON.stringify(name)} is not a group in this file or the database`)
    }
  }
  // The chains as they will be once the file is applied: its fallback lists replace the stored ones.
  const chains = new Map<string, readonly string[]>((await repos.groups.list(trx)).map(group => [group.name, group.fallback]))
  for (const group of file.groups ?? []) if (group.fallback !== undefined) chains.set(group.name, group.fallback)
  for (const [index, group] of (file.groups ?? []).entries()) {
    const cycle = findFallbackCycle(chains, group.name)
    // Each cycle is told on the lines of the file's groups on it, not on every group leading into it.
    if (cycle?.[0] === group.name) errors.push(`${entryLabel(source, 'groups', index, group.name)}: fallback cycle: ${cycle.join(' → ')}`)
  }
  return errors
}

function resolveMembers(members: readonly ProvisionMember[], ids: ChannelIds): GroupMemberRecord[] {
  return members.map(({ channel, ...member }) => {
    const channelId = ids.get(channel)
    // checkReferences ran first, so a miss here is a bug, not a bad file.
    if (channelId === undefined) throw new Error(`channel ${channel} was not resolved`)
    return { ...member, channelId }
  })
}

interface KeyStorage {
  hashKey: (key: string) => string
  keyPrefix: (key: string) => string
}

async function writeApiKey(
  trx: Knex,
  repos: Repositories,
  entry: ProvisionApiKey,
  store: KeyStorage,
  counts: SectionCounts
): Promise<void> {
  const { key, groups, ...fields } = entry
  const rest = given(fields)
  // The key itself only reaches the database as its hash and display prefix.
  const stored = { keyHash: store.hashKey(key), keyPrefix: store.keyPrefix(key) }
  const existing = await repos.apiKeys.findByName(entry.name, trx)
  if (existing) {
    // `groups` omitted keeps what is stored; `groups: null` opens the key to every group.
    const patch: Partial<ApiKeyFields> = { ...rest, ...stored }
    if (groups !== undefined) patch.allowedGroups = groups
    await repos.apiKeys.update(existing.id, patch, trx)
    counts.updated++
    return
  }
  const created = NewApiKeySchema.parse({ ...rest, allowedGroups: groups ?? null })
  await repos.apiKeys.create({ ...created, ...stored }, trx)
  counts.created++
}

/**
 * Applies a loaded provisioning file, idempotently by name: missing entries are created, present
 * ones get the fields the file gives (key and member lists replaced), others are left alone. All
 * references are checked before anything is written, and everything is written in one
 * transaction, so a failure leaves the database as it was.
 */
export async function applyProvision(
  db: Knex,
  repos: Repositories,
  file: ProvisionFile,
  options: ApplyProvisionOptions = {}
): Promise<ApplyProvisionResult> {
  const store: KeyStorage = { hashKey: options.hashKey ?? hashClientKey, keyPrefix: options.keyPrefix ?? clientKeyPrefix }
  const source = options.source ?? 'provisioning file'
  const summary: ProvisionSummary = {
    channels: { created: 0, updated: 0 },
    groups: { created: 0, updated: 0 },
    apiKeys: { created: 0, updated: 0 },
    settings: 0
  }
  try {
    await db.transaction(async trx => {
      const channelIds: ChannelIds = new Map()
      const errors = [...antigravityErrors(file, source, options.allowAntigravity ?? false), ...(await checkReferences(trx, repos, file, source, channelIds))]
      if (errors.length > 0) throw new Rejected(errors)

      for (const entry of file.channels ?? []) {
        const existing = await repos.channels.findByName(entry.name, trx)
        const written = existing
          ? await repos.channels.update(existing.id, given(entry), trx)
          : await repos.channels.create(ChannelCreateSchema.parse(entry), trx)
        if (!written) throw new Error(`channel ${entry.name} vanished during provisioning`)
        channelIds.set(entry.name, written.id)
        summary.channels[existing ? 'updated' : 'created']++
      }

      for (const entry of file.groups ?? []) {
        const { members, ...rest } = entry
        const resolved = members === undefined ? undefined : resolveMembers(members, channelIds)
        const existing = await repos.groups.findByName(entry.name, trx)
        const patch = resolved === undefined ? given(rest) : { ...given(rest), members: resolved }
        if (existing) await repos.groups.update(existing.id, patch, trx)
        else await repos.groups.create(GroupCreateSchema.parse(patch), trx)
        summary.groups[existing ? 'updated' : 'created']++
      }

      for (const [index, entry] of (file.apiKeys ?? []).entries()) {
        try {
          await writeApiKey(trx, repos, entry, store, summary.apiKeys)
        } catch (err) {
          // Another key row (not in the file) already has this hash; say so without the key.
          if (!isUniqueViolation(err)) throw err
          const label = entryLabel(source, 'apiKeys', index, entry.name)
          throw new Rejected([`${label}: key is already used by another API key in the database`])
        }
      }

      const settings = given(file.settings ?? {})
      if (Object.keys(settings).length > 0) await repos.settings.update(settings, trx)
      summary.settings = Object.keys(settings).length
    })
  } catch (err) {
    if (err instanceof Rejected) return { ok: false, errors: err.errors }
    throw err
  }
  return { ok: true, summary }
}

/** Raised at start-up when the provisioning file cannot be applied; the lines say why. */
export class ProvisionFailedError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('\n'))
    this.name = 'ProvisionFailedError'
  }
}
