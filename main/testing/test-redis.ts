import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import { Redis } from 'ioredis'

/** The Redis the tests share: the machine's and CI's, on loopback only. */
export const TEST_REDIS = { host: '127.0.0.1', port: 6379 } as const
export const TEST_REDIS_URL = `redis://${TEST_REDIS.host}:${TEST_REDIS.port}`

/** Whether something answers PING at the test Redis within a second (the Redis tests skip otherwise). */
export function redisAnswers(): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect(TEST_REDIS.port, TEST_REDIS.host)
    const done = (answered: boolean): void => {
      socket.destroy()
      resolve(answered)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', data => done(data.toString('utf8').startsWith('+PONG')))
  })
}

/** A key prefix of its own for one test run, so runs sharing the Redis never count each other. */
export function uniqueRedisPrefix(): string {
  return `cuttle-test:${randomUUID()}:`
}

/** The keys under `prefix` and their values, as numbers. */
export async function redisValues(prefix: string): Promise<Map<string, number>> {
  const redis = new Redis(TEST_REDIS_URL)
  try {
    const keys = await redis.keys(`${prefix}*`)
    const values = keys.length > 0 ? await redis.mget(keys) : []
    return new Map(keys.map((key, i) => [key, Number(values[i] ?? 0)]))
  } finally {
    redis.disconnect()
  }
}

/** Deletes every key under `prefix`. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL)
  try {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(keys)
  } finally {
    redis.disconnect()
  }
}
