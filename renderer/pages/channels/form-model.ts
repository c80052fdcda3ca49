import type { ChannelType } from '@shared/constants/protocol'
import type { ProviderPreset } from '@shared/constants/provider-presets'
import type { EndpointBody } from '@shared/contract/admin-api'
import { ANTIGRAVITY_ENDPOINT, ANTIGRAVITY_TOKEN_URL, type ChannelDto, type MaskedKey } from '@shared/dto/channel'
import { rowsOf, rulesOf, type ErrorRuleRow } from '../../components/error-rules/rows'

/** One row of a name → value editor (model map, extra headers). */
export interface Pair {
  name: string
  value: string
}

/** Antigravity options as the form edits them; an edited channel's secret is its mask, which keeps the stored one. */
export interface AntigravityForm {
  clientId: string
  clientSecret: string
  tokenUrl: string
  endpoint: string
  /** '' for none. */
  project: string
}

/** The options a newly switched-on Antigravity channel starts from. */
export function defaultAntigravity(): AntigravityForm {
  return { clientId: '', clientSecret: '', tokenUrl: ANTIGRAVITY_TOKEN_URL, endpoint: ANTIGRAVITY_ENDPOINT, project: '' }
}

/** The channel as the form edits it; timeouts in seconds, null where the settings apply. */
export interface ChannelForm {
  name: string
  type: ChannelType
  baseUrls: string[]
  /** Stored keys still kept (sent back by fingerprint). */
  keptKeys: MaskedKey[]
  newKeys: string[]
  models: string[]
  modelMap: Pair[]
  priority: number
  weight: number
  proxy: string
  timeouts: { connectMs: number | null; firstByteMs: number | null; idleMs: number | null }
  headers: Pair[]
  enabled: boolean
  autoSync: boolean
  /** Azure OpenAI `api-version`; null for a channel addressed the way its type says. */
  azure: string | null
  /** Cloud Code with OAuth refresh tokens as keys; null for a channel addressed the way its type says. */
  antigravity: AntigravityForm | null
  errorRules: ErrorRuleRow[]
}

export type TimeoutField = keyof ChannelForm['timeouts']
export const TIMEOUT_FIELDS: readonly TimeoutField[] = ['connectMs', 'firstByteMs', 'idleMs']

/** Form field → message. Keys: `name`, `baseUrls.2`, `newKeys.0`, `modelMap.1`, `timeouts.idleMs`, … */
export type FormErrors = Record<string, string>

export function emptyForm(): ChannelForm {
  return {
    name: '',
    type: 'openai-chat',
    baseUrls: [''],
    keptKeys: [],
    newKeys: [''],
    models: [],
    modelMap: [],
    priority: 0,
    weight: 1,
    proxy: '',
    timeouts: { connectMs: null, firstByteMs: null, idleMs: null },
    headers: [],
    enabled: true,
    autoSync: false,
    azure: null,
    antigravity: null,
    errorRules: []
  }
}

/**
 * The form with `preset` picked: its type, base URLs, Azure version, and its suggested models and
 * id as name unless the operator typed others (`previous`, the preset picked before, filled those).
 */
export function withPreset(form: ChannelForm, preset: ProviderPreset, previous: ProviderPreset | null): ChannelForm {
  const untouchedModels = form.models.length === 0 || (previous !== null && sameList(form.models, previous.suggestedModels))
  const untouchedName = form.name.trim() === '' || form.name === previous?.id
  return {
    ...form,
    type: preset.type,
    baseUrls: preset.baseUrls.length > 0 ? [...preset.baseUrls] : [''],
    models: untouchedModels ? [...preset.suggestedModels] : form.models,
    name: untouchedName ? preset.id : form.name,
    azure: preset.azure?.apiVersion ?? null
  }
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((value, i) => value === b[i])

const toSeconds = (ms: number | undefined): number | null => (ms === undefined ? null : ms / 1000)
const pairsOf = (record: Record<string, string>): Pair[] => Object.entries(record).map(([name, value]) => ({ name, value }))

export function formOf(channel: ChannelDto): ChannelForm {
  return {
    name: channel.name,
    type: channel.type,
    baseUrls: [...channel.baseUrls],
    keptKeys: [...channel.keys],
    newKeys: [],
    models: [...channel.models],
    modelMap: pairsOf(channel.modelMap),
    priority: channel.priority,
    weight: channel.weight,
    proxy: channel.proxy ?? '',
    timeouts: { connectMs: toSeconds(channel.timeouts.connectMs), firstByteMs: toSeconds(channel.timeouts.firstByteMs), idleMs: toSeconds(channel.timeouts.idleMs) },
    headers: pairsOf(channel.headers),
    enabled: channel.enabled,
    autoSync: channel.autoSync,
    azure: channel.azure?.apiVersion ?? null,
    antigravity: channel.antigravity === null ? null : { ...channel.antigravity, project: channel.antigravity.project ?? '' },
    errorRules: rowsOf(channel.errorRules)
  }
}

const filled = (values: readonly string[]): string[] => values.map(v => v.trim()).filter(v => v !== '')
const recordOf = (pairs: readonly Pair[]): Record<string, string> =>
  Object.fromEntries(pairs.filter(p => p.name.trim() !== '' || p.value.trim() !== '').map(p => [p.name.trim(), p.value.trim()]))

/** Fields common to create and update; blank rows are left out. */
function commonBody(form: ChannelForm) {
  const timeouts: Partial<Record<TimeoutField, number>> = {}
  for (const field of TIMEOUT_FIELDS) {
    const seconds = form.timeouts[field]
    if (seconds !== null) timeouts[field] = Math.round(seconds * 1000)
  }
  return {
    name: form.name.trim(),
    type: form.type,
    baseUrls: filled(form.baseUrls),
    models: form.models,
    modelMap: recordOf(form.modelMap),
    priority: form.priority,
    weight: form.weight,
    proxy: form.proxy.trim() === '' ? null : form.proxy.trim(),
    timeouts,
    headers: recordOf(form.headers),
    enabled: form.enabled,
    autoSync: form.autoSync,
    azure: form.azure === null ? null : { apiVersion: form.azure.trim() },
    antigravity: form.antigravity === null ? null : antigravityBody(form.antigravity),
    errorRules: rulesOf(form.errorRules)
  }
}

function antigravityBody(form: AntigravityForm) {
  const project = form.project.trim()
  return {
    clientId: form.clientId.trim(),
    clientSecret: form.clientSecret.trim(),
    tokenUrl: form.tokenUrl.trim(),
    endpoint: form.endpoint.trim(),
    ...(project === '' ? {} : { project })
  }
}

export function createBody(form: ChannelForm): EndpointBody<'channels.create'> {
  return { ...commonBody(form), keys: filled(form.newKeys) }
}

/** A full PATCH: stored keys are kept by fingerprint, so the page never needs to see them. */
export function updateBody(form: ChannelForm): EndpointBody<'channels.update'> {
  return { ...commonBody(form), keys: [...form.keptKeys.map(key => ({ fingerprint: key.fingerprint })), ...filled(form.newKeys)] }
}

/** Headers the relay owns (shared/dto/channel.ts). */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer'])
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/
const PROVIDER_KEY = /^[\x21-\x7e]+$/
const MODEL_NAME = /^[^\s\p{Cc}]+$/u
const CONTROL = /\p{Cc}/u
const API_VERSION = /^[A-Za-z0-9.-]{1,40}$/

/** Why `text` is not an http(s) base URL, or null when it is one (message keys under `invalid.`). */
export function urlProblem(text: string): string | null {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'url'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'url'
  return url.search !== '' || url.hash !== '' ? 'urlExtra' : null
}

/** The same rules as the server's schema, checked before sending; values are message keys under `invalid.`. */
export function validateForm(form: ChannelForm): FormErrors {
  const errors: FormErrors = {}
  const name = form.name.trim()
  if (name === '') errors.name = 'required'
  else if (name.length > 100) errors.name = 'tooLong'
  else if (CONTROL.test(name)) errors.name = 'required'

  form.baseUrls.forEach((url, i) => {
    const problem = url.trim() === '' ? null : urlProblem(url.trim())
    if (problem) errors[`baseUrls.${i}`] = problem
  })
  if (filled(form.baseUrls).length === 0) errors['baseUrls.0'] = 'needUrl'

  form.newKeys.forEach((key, i) => {
    const text = key.trim()
    if (text !== '' && (!PROVIDER_KEY.test(text) || text.length > 4096)) errors[`newKeys.${i}`] = 'key'
  })
  if (form.models.some(model => !MODEL_NAME.test(model) || model.length > 200)) errors.models = 'model'

  checkPairs(form.modelMap, 'modelMap', errors, pair => (!MODEL_NAME.test(pair.name) || !MODEL_NAME.test(pair.value) ? 'model' : null))
  checkPairs(form.headers, 'headers', errors, pair => {
    if (!HEADER_NAME.test(pair.name)) return 'headerName'
    if (RESERVED_HEADERS.has(pair.name.toLowerCase())) return 'headerReserved'
    return /[\r\n]/.test(pair.value) ? 'headerValue' : null
  })

  if (form.azure !== null) {
    if (!API_VERSION.test(form.azure.trim())) errors.azure = 'apiVersion'
    else if (form.type !== 'openai-chat') errors.azure = 'azureType'
  }

  if (form.antigravity !== null) {
    const options = form.antigravity
    if (form.type !== 'gemini') errors['antigravity.clientId'] = 'antigravityType'
    else if (options.clientId.trim() === '') errors['antigravity.clientId'] = 'required'
    if (options.clientSecret.trim() === '') errors['antigravity.clientSecret'] = 'required'
    for (const field of ['tokenUrl', 'endpoint'] as const) {
      const problem = urlProblem(options[field].trim())
      if (problem) errors[`antigravity.${field}`] = problem
    }
  }

  const proxy = form.proxy.trim()
  if (proxy !== '' && urlProblem(proxy) === 'url') errors.proxy = 'url'
  for (const field of TIMEOUT_FIELDS) {
    const seconds = form.timeouts[field]
    if (seconds !== null && (seconds < 0.1 || seconds > 3600)) errors[`timeouts.${field}`] = 'timeout'
  }
  return errors
}

function checkPairs(pairs: readonly Pair[], field: string, errors: FormErrors, problem: (pair: Pair) => string | null): void {
  const seen = new Set<string>()
  pairs.forEach((raw, i) => {
    const pair = { name: raw.name.trim(), value: raw.value.trim() }
    if (pair.name === '' && pair.value === '') return
    const key = field === 'headers' ? pair.name.toLowerCase() : pair.name
    const found = pair.name === '' || (pair.value === '' && field === 'modelMap') ? 'pair' : seen.has(key) ? 'twice' : problem(pair)
    if (found) errors[`${field}.${i}`] = found
    seen.add(key)
  })
}

/**
 * The form field a server error path names (`keys.3` is the 4th of kept + new keys, `headers.X`
 * the row of header X); '' when it names none.
 */
export function fieldOfServerPath(path: string, form: ChannelForm): string {
  const [head = '', second = '', ...rest] = path.split('.')
  const index = Number(second)
  switch (head) {
    case 'name':
    case 'type':
    case 'priority':
    case 'weight':
    case 'proxy':
    case 'azure':
    case 'errorRules':
      return head
    case 'antigravity':
      return `antigravity.${['clientSecret', 'tokenUrl', 'endpoint'].includes(second) ? second : 'clientId'}`
    case 'baseUrls':
      return Number.isInteger(index) && second !== '' ? `baseUrls.${index}` : 'baseUrls.0'
    case 'keys': {
      if (!Number.isInteger(index) || second === '') return 'newKeys.0'
      const kept = form.keptKeys.length
      return index < kept ? `keptKeys.${index}` : `newKeys.${indexOfFilled(form.newKeys, index - kept)}`
    }
    case 'models':
      return 'models'
    case 'timeouts':
      return second === '' ? '' : `timeouts.${second}`
    case 'modelMap':
    case 'headers': {
      const name = [second, ...rest].join('.')
      const rows = head === 'modelMap' ? form.modelMap : form.headers
      const row = rows.findIndex(pair => pair.name.trim() === name)
      return `${head}.${row < 0 ? 0 : row}`
    }
    default:
      return ''
  }
}

/** The row of the `n`th non-blank value (blank rows are not sent). */
function indexOfFilled(values: readonly string[], n: number): number {
  let seen = -1
  for (let i = 0; i < values.length; i++) {
    if ((values[i] ?? '').trim() !== '' && ++seen === n) return i
  }
  return 0
}
