import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DestinationStream } from 'pino'
import { createCore, type Core, type CoreOptions } from './app/container'
import { helpText, loadConfig, writeDefaultConfigFile } from './app/load-config'
import { createLogger, type Logger } from './app/logger'
import { SecretMismatchError } from './app/secret-check'
import { isLoopbackAddress } from './http/middleware/host-check'
import { PortInUseError } from './http/server'
import { applyProvision, ProvisionFailedError } from './provision/apply-provision'
import { parseProvisionText, readProvisionText } from './provision/load-provision'
import type { ProvisionFile } from './provision/provision-schema'
import { ProvisionWatch } from './provision/provision-watch'
import { version } from '../package.json'

/** Exit codes: 0 clean stop, 1 runtime failure (port in use…), 2 invalid configuration. */
const EXIT_FAILURE = 1
const EXIT_CONFIG = 2

/** Inputs of the headless entry, injected so it can be driven from a test. */
export interface HeadlessInput {
  argv: readonly string[]
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  /** Prints to stdout (not the log): help and the one-time admin password. */
  print: (line: string) => void
  /** Prints to stderr: why the process could not start. */
  printError: (line: string) => void
  exit: (code: number) => void
  onSignal: (signal: 'SIGTERM' | 'SIGINT', handler: () => void) => void
  /** Where log lines go; stdout when absent. */
  log?: DestinationStream
}

/** Runs Cuttle without a window: load config, start the core, stop in order on SIGTERM/SIGINT. */
export async function runHeadless(input: HeadlessInput): Promise<Core | null> {
  // Help must work even when the configuration around it is broken.
  if (input.argv.includes('--help')) {
    input.print(helpText())
    input.exit(0)
    return null
  }
  const loaded = loadConfig(input)
  if (!loaded.ok) {
    loaded.errors.forEach(line => input.printError(line))
    input.exit(EXIT_CONFIG)
    return null
  }
  const { config } = loaded
  if (!loaded.configFileExists) writeDefaultConfigFile(config)
  const logger = createLogger(config.logLevel, input.log)

  let provisionFile: { path: string; text: string; file: ProvisionFile } | null = null
  if (config.provision !== null) {
    const path = resolve(input.cwd, config.provision)
    const refuse = (errors: readonly string[]): null => {
      errors.forEach(line => input.printError(line))
      input.exit(EXIT_CONFIG)
      return null
    }
    const read = readProvisionText(path)
    if (!read.ok) return refuse(read.errors)
    const loadedFile = parseProvisionText(path, read.text, input.env)
    if (!loadedFile.ok) return refuse(loadedFile.errors)
    // The watch starts from this very text, so an edit made during the start is not missed.
    provisionFile = { path, text: read.text, file: loadedFile.file }
  }

  let core: Core
  try {
    core = await createCore(config, {
      logger,
      version,
      uiRoot: fileURLToPath(new URL('../renderer/', import.meta.url)),
      provision: provisionFile === null ? undefined : applyAtStart(provisionFile.path, provisionFile.file, config.allowAntigravity, logger),
      watchProvision: provisionFile === null || !config.provisionWatch ? undefined : watchProvision(provisionFile.path, provisionFile.text, input.env, config.allowAntigravity, logger)
    })
  } catch (err) {
    if (err instanceof ProvisionFailedError) {
      err.errors.forEach(line => input.printError(line))
      input.exit(EXIT_CONFIG)
      return null
    }
    const configProblem = err instanceof SecretMismatchError
    input.printError(err instanceof PortInUseError || configProblem ? err.message : `Cuttle failed to start: ${describe(err)}`)
    input.exit(configProblem ? EXIT_CONFIG : EXIT_FAILURE)
    return null
  }

  if (core.generatedAdminPassword !== null) {
    input.print(
      `Cuttle created the admin account. User: admin  Password: ${core.generatedAdminPassword}\n` +
        'This password is shown only once: store it now (or set CUTTLE_ADMIN_PASSWORD before the first start).'
    )
  }
  if (!isLoopbackAddress(config.host)) {
    logger.warn(
      { host: config.host },
      'listening on a non-loopback address: the admin API and the relay are reachable from the network; put TLS (a reverse proxy) in front of Cuttle'
    )
  }
  logger.info({ url: `http://${config.host}:${core.port}`, dataDir: config.dataDir }, 'Cuttle is listening')

  const stop = (): void => {
    logger.info('shutting down')
    void core.stop().then(() => input.exit(0))
  }
  input.onSignal('SIGTERM', stop)
  input.onSignal('SIGINT', stop)
  return core
}

/** Applies the provisioning file inside the start-up, before the first route table is built. */
function applyAtStart(path: string, file: ProvisionFile, allowAntigravity: boolean, logger: Logger): NonNullable<CoreOptions['provision']> {
  return async (db, repos) => {
    const applied = await applyProvision(db, repos, file, { source: path, allowAntigravity })
    if (!applied.ok) throw new ProvisionFailedError(applied.errors)
    logger.info({ file: path, ...applied.summary }, 'provisioning file applied')
  }
}

/** Follows the provisioning file from the text applied at start on (hot reload). */
function watchProvision(
  path: string,
  appliedText: string,
  env: HeadlessInput['env'],
  allowAntigravity: boolean,
  logger: Logger
): NonNullable<CoreOptions['watchProvision']> {
  return target => {
    const watch = new ProvisionWatch(target, { path, env, appliedText, allowAntigravity, logger })
    watch.start()
    return watch
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
