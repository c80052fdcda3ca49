import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/** Seals short strings (provider keys) with AES-256-GCM. */
export interface SecretBox {
  seal(plain: string): string
  open(sealed: string): string
}

const VERSION = 'v1'

/** Derives a purpose-bound 32-byte key from the master secret. */
export function deriveKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'cuttle', purpose, 32))
}

/** AES-256-GCM box; the output carries version, IV, ciphertext and tag. */
export function createSecretBox(master: Buffer): SecretBox {
  const key = deriveKey(master, 'provider-keys')
  return {
    seal(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      const tag = cipher.getAuthTag()
      return [VERSION, iv, data, tag].map(p => (typeof p === 'string' ? p : p.toString('base64url'))).join('.')
    },
    open(sealed) {
      const [version, iv, data, tag] = sealed.split('.')
      if (version !== VERSION || iv === undefined || data === undefined || tag === undefined) {
        throw new Error('sealed value has an unknown format')
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
    }
  }
}
