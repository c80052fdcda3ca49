/**
 * A stand-in for `electron-store` in tests (vitest.config.ts aliases it here): an in-memory store
 * with schema defaults and migrations run at construction, like the real one's.
 */
type Schema = Record<string, { default?: unknown }>
type Migration<T> = (store: FakeStore<T>) => void

/** Values files of earlier runs would hold, keyed by store name (tests set them before constructing). */
export const saved = new Map<string, Record<string, unknown>>()

/** The fake store. */
export default class FakeStore<T> {
  private readonly values: Record<string, unknown>

  constructor(options: { name?: string; schema?: Schema; migrations?: Record<string, Migration<T>> }) {
    const name = options.name ?? 'config'
    const defaults = Object.fromEntries(Object.entries(options.schema ?? {}).map(([key, rule]) => [key, rule.default]))
    this.values = { ...defaults, ...(saved.get(name) ?? {}) }
    for (const migrate of Object.values(options.migrations ?? {})) migrate(this)
    saved.set(name, this.values)
  }
  get<K extends keyof T>(key: K): T[K] {
    return this.values[key as string] as T[K]
  }
  set(keyOrValues: keyof T | Partial<T>, value?: unknown): void {
    if (typeof keyOrValues === 'object') Object.assign(this.values, keyOrValues)
    else this.values[keyOrValues as string] = value
  }
  has(key: keyof T): boolean {
    return key in this.values
  }
  delete(key: keyof T): void {
    delete this.values[key as string]
  }
}
