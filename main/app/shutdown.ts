import type { Logger } from './logger'

/** A named step of the ordered shutdown. */
export interface ShutdownStep {
  name: string
  run(): Promise<void>
}

/**
 * Runs shutdown steps in the order they were added (stop accepting → drain → flush → close DB),
 * each even if an earlier one failed. Calling it twice returns the same run.
 */
export class Shutdown {
  private readonly steps: ShutdownStep[] = []
  private running: Promise<void> | null = null

  constructor(private readonly logger: Logger) {}

  /** Adds a step after the ones already added. */
  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run })
  }

  /** Runs every step once. */
  run(): Promise<void> {
    this.running ??= this.runSteps()
    return this.running
  }

  private async runSteps(): Promise<void> {
    for (const step of this.steps) {
      try {
        await step.run()
        this.logger.debug({ step: step.name }, 'shutdown step done')
      } catch (err) {
        this.logger.error({ step: step.name, err: err instanceof Error ? err.message : String(err) }, 'shutdown step failed')
      }
    }
  }
}
