/**
 * A fallback cycle reachable from `start` in `fallbacks` (group name → its fallback names), as the
 * names along it with the first repeated at the end (`a → b → a`); null when there is none.
 * Names that are no group end their path: unknown names are refused separately.
 */
export function findFallbackCycle(fallbacks: ReadonlyMap<string, readonly string[]>, start: string): string[] | null {
  const path: string[] = []
  const onPath = new Set<string>()
  const done = new Set<string>()
  const visit = (name: string): string[] | null => {
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name]
    if (done.has(name)) return null
    path.push(name)
    onPath.add(name)
    for (const next of fallbacks.get(name) ?? []) {
      const cycle = visit(next)
      if (cycle) return cycle
    }
    path.pop()
    onPath.delete(name)
    done.add(name)
    return null
  }
  return visit(start)
}
