import type { SecretBox } from '../security/secret-box'
import type { SettingRepository } from '../store/repositories/setting.repository'

const CHECK_KEY = '_secret_check'
const CHECK_TEXT = 'cuttle'

/** Thrown when the database was sealed with another secret than the one this process has. */
export class SecretMismatchError extends Error {
  constructor() {
    super(
      'The provider keys in this database were encrypted with a different secret. Start with the original CUTTLE_SECRET ' +
        '(or the original <data dir>/secret.key); instances sharing one database must share the secret.'
    )
    this.name = 'SecretMismatchError'
  }
}

/** Stores a sealed marker on first start and checks it on every later one, before any key is read. */
export async function checkSecret(settings: SettingRepository, box: SecretBox): Promise<void> {
  const sealed = await settings.getInternal(CHECK_KEY)
  if (sealed === null) {
    await settings.setInternal(CHECK_KEY, box.seal(CHECK_TEXT))
    return
  }
  let opened: string | null = null
  try {
    opened = box.open(sealed)
  } catch {
    opened = null
  }
  if (opened !== CHECK_TEXT) throw new SecretMismatchError()
}
