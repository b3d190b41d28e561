/**
 * The parts of a taskbbs process, started as a list: each in order, each
 * stopped in the reverse order, and, when one fails to start, the ones
 * already started are stopped before the error is passed on, so that a
 * failed start leaves nothing running (no listener, loop, pool or embedded
 * database).
 */
export interface Component {
  readonly name: string
  start (): Promise<void> | void
  stop (): Promise<void> | void
}

export interface Started {
  /** Stops every started part, last started first; the first error is thrown after all were asked. */
  stop (): Promise<void>
}

export class ComponentStartError extends Error {
  readonly code = 'COMPONENT_START_FAILED'
  readonly component: string
  constructor (component: string, cause: unknown) {
    super(`${component} failed to start: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.component = component
  }
}

export async function startComponents (components: readonly Component[], log?: (msg: string) => void): Promise<Started> {
  const started: Component[] = []
  const stopAll = async () => {
    let first: unknown
    for (const c of [...started].reverse()) {
      try {
        await c.stop()
      } catch (err) {
        first ??= err
        log?.(`${c.name} failed to stop: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
    started.length = 0
    if (first !== undefined) throw first
  }
  for (const c of components) {
    try {
      await c.start()
    } catch (err) {
      // Started parts are stopped; a failure to stop one of them is logged, the start error wins.
      await stopAll().catch(() => {})
      throw new ComponentStartError(c.name, err)
    }
    started.push(c)
  }
  let stopping: Promise<void> | undefined
  return { stop: () => (stopping ??= stopAll()) }
}
