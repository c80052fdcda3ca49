/** Requests kept in flight against a running Cuttle, and when each was answered. */
export interface Load {
  answeredAt: number[]
  stop(): Promise<void>
}

/** Keeps `workers` requests in flight until stopped or the server goes away. */
export function load(port: number, key: string, workers: number): Load {
  const answeredAt: number[] = []
  let running = true
  const worker = async (): Promise<void> => {
    while (running) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'durable', messages: [{ role: 'user', content: 'x' }] })
        })
        await res.arrayBuffer()
        if (res.status === 200) answeredAt.push(Date.now())
      } catch {
        return
      }
    }
  }
  const all = Promise.all(Array.from({ length: workers }, worker))
  return {
    answeredAt,
    stop: async () => {
      running = false
      await all
    }
  }
}

/** Signs in to a spawned Cuttle, adds a channel serving model `durable` and returns a new client key. */
export async function prepareRelay(port: number, password: string, upstreamUrl: string): Promise<string> {
  const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password })
  })
  const { token } = (await login.json()) as { token: string }
  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`http://127.0.0.1:${port}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  await post('/channels', { name: 'fake', type: 'openai-chat', baseUrls: [upstreamUrl], keys: ['sk-durable-0000000001'], models: ['durable'] })
  return ((await (await post('/api-keys', { name: 'load' })).json()) as { key: string }).key
}

