import { posix } from 'node:path'
import { type Action, actionKind } from '../../domain/action.ts'
import type { FieldError } from '../../domain/errors.ts'
import type { TaskDefinition } from '../../domain/task-definition.ts'
import { type ArchiveKind, type FetchSpec, checksumTool } from './fetch-script.ts'

/**
 * Diego's action tree → the containers of one pod.
 *
 * A pod runs its init containers one at a time, in order, each to success,
 * then all its containers at once; with restartPolicy Never the first failed
 * init container ends the pod. So:
 * - `serial` → every step but the last becomes an init container, the last
 *   step the container(s); a failure stops the rest, as in Diego;
 * - `parallel` → several containers; the pod fails if any fails, after all
 *   finished, as in Diego;
 * - `download` → an init container running the fetcher (fetch-script.ts);
 * - `timeout` around the whole action → activeDeadlineSeconds;
 * - `emit_progress` → its messages go to the task log when its containers
 *   start and succeed; its failure_message_prefix prefixes their failures;
 * - `try` → a failure of its containers does not fail the task; only where
 *   nothing after it would have run anyway (see tryErrors);
 * - `codependent` with one action is that action.
 * Everything else is refused at desire time, naming the field (unsupported()).
 */

export interface RunSpec {
  path: string
  args: string[]
  dir?: string
  env: Array<{ name: string, value: string }>
  user: string
  suppressLogOutput: boolean
}

export interface Step {
  container: string
  phase: 'init' | 'main'
  /** Where the step's action sits in the definition, e.g. `action.serial.actions[1].run`. */
  field: string
  /** How failure reasons name the step: `run /bin/sh`, `download https://…`. */
  describe: string
  run?: RunSpec
  fetch?: FetchSpec
  logSource?: string
  /** Ids of the enclosing emit_progress actions, outermost first. */
  progress: number[]
  /** Ids of the enclosing try actions. */
  tries: number[]
}

export interface ProgressNode {
  id: number
  startMessage?: string
  successMessage?: string
  failureMessagePrefix?: string
  logSource?: string
}

export interface ActionPlan {
  steps: Step[]
  progress: ProgressNode[]
  /** The smallest timeout around the whole action, in ms. */
  timeoutMs?: number
  /** Download destination (absolute path) → subdirectory of the shared fetch volume. */
  fetchSlots: Map<string, string>
  errors: FieldError[]
}

type Draft = Omit<Step, 'container' | 'phase'>
interface Fragment { init: Draft[], main: Draft[] }
interface Context { atRoot: boolean, progress: number[], tries: number[] }

const NOTHING: Fragment = { init: [], main: [] }

/** Container paths are absolute; Diego's relative ones are taken from the container root. */
export function containerPath (path: string): string {
  return posix.resolve('/', path)
}

class Compiler {
  readonly errors: FieldError[] = []
  readonly progress: ProgressNode[] = []
  readonly tryFields = new Map<number, string>()
  readonly fetchSlots = new Map<string, string>()
  timeoutMs?: number
  private nextId = 1

  fail (field: string, message: string): Fragment {
    this.errors.push({ field, message })
    return NOTHING
  }

  fetchDraft (field: string, describe: string, url: string, to: string, kind: ArchiveKind, algorithm: string | undefined, value: string | undefined, ctx: Context, logSource?: string): Fragment {
    if (new URL(url).protocol === 'file:') {
      return this.fail(field, 'file URLs cannot be fetched on Kubernetes: the file would have to be on the node that runs the pod; serve it over http(s)')
    }
    const dest = containerPath(to)
    if (dest === '/') return this.fail(field, 'cannot fetch into / on Kubernetes: the destination becomes a volume mounted at that path')
    let slot = this.fetchSlots.get(dest)
    if (!slot) {
      slot = `d${this.fetchSlots.size + 1}`
      this.fetchSlots.set(dest, slot)
    }
    const fetch: FetchSpec = { url, slot, kind, checksumTool: checksumTool(algorithm), checksumValue: value }
    return { init: [], main: [{ field, describe, fetch, logSource, progress: ctx.progress, tries: ctx.tries }] }
  }

  compile (action: Action, path: string, ctx: Context): Fragment {
    const kind = actionKind(action)
    const field = `${path}.${kind}`
    switch (kind) {
      case 'run': {
        const a = action.run!
        const run: RunSpec = { path: a.path, args: a.args ?? [], dir: a.dir, env: a.env ?? [], user: a.user, suppressLogOutput: a.suppress_log_output === true }
        return { init: [], main: [{ field, describe: `run ${a.path}`, run, logSource: a.log_source, progress: ctx.progress, tries: ctx.tries }] }
      }
      case 'download': {
        const a = action.download!
        return this.fetchDraft(field, `download ${a.artifact || a.from}`, a.from, a.to, 'auto', a.checksum_algorithm, a.checksum_value, ctx, a.log_source)
      }
      case 'upload':
        return this.fail(field, 'upload actions cannot run on Kubernetes: a finished container\'s files cannot be read back; have the task upload them itself')
      case 'codependent': {
        const a = action.codependent!
        if (a.actions.length === 1) return this.compile(a.actions[0], `${field}.actions[0]`, ctx)
        return this.fail(field, 'codependent cannot be expressed on Kubernetes: a pod cannot stop its other containers when one exits; use parallel, or a single run action')
      }
      case 'timeout': {
        const a = action.timeout!
        if (!ctx.atRoot) {
          return this.fail(field, 'on Kubernetes a timeout must wrap the whole action (it becomes the pod\'s activeDeadlineSeconds); move it to the top of the action tree')
        }
        this.timeoutMs = Math.min(this.timeoutMs ?? Infinity, a.timeout_ms)
        return this.compile(a.action, field, ctx)
      }
      case 'emit_progress': {
        const a = action.emit_progress!
        const id = this.nextId++
        this.progress.push({ id, startMessage: a.start_message, successMessage: a.success_message, failureMessagePrefix: a.failure_message_prefix, logSource: a.log_source })
        return this.compile(a.action, field, { ...ctx, progress: [...ctx.progress, id] })
      }
      case 'try': {
        const id = this.nextId++
        this.tryFields.set(id, field)
        return this.compile(action.try!.action, field, { ...ctx, tries: [...ctx.tries, id] })
      }
      case 'serial': {
        const children = action.serial!.actions
        const inner = { ...ctx, atRoot: ctx.atRoot && children.length === 1 }
        const frags = children.map((c, i) => this.compile(c, `${field}.actions[${i}]`, inner))
        const init: Draft[] = []
        frags.forEach((f, i) => {
          if (i === frags.length - 1) return
          if (f.main.length > 1) {
            this.fail(`${field}.actions[${i}]`, 'on Kubernetes parallel steps can only come last in a serial action: the steps before the last run as init containers, one at a time')
            return
          }
          init.push(...f.init, ...f.main)
        })
        const last = frags[frags.length - 1]
        return { init: [...init, ...last.init], main: last.main }
      }
      case 'parallel': {
        const children = action.parallel!.actions
        const inner = { ...ctx, atRoot: ctx.atRoot && children.length === 1 }
        const main: Draft[] = []
        children.forEach((c, i) => {
          const f = this.compile(c, `${field}.actions[${i}]`, inner)
          if (f.init.length > 0) {
            this.fail(`${field}.actions[${i}]`, 'on Kubernetes a parallel action can hold only run and download actions (and try, emit_progress or parallel around them): each becomes one of the pod\'s containers')
            return
          }
          main.push(...f.main)
        })
        return { init: [], main }
      }
    }
  }

  /**
   * A try around steps that end up as init containers is only faithful when
   * nothing outside the try comes after them: a failed init container ends
   * the pod, so Diego's "ignore the failure and go on" cannot be had. A try
   * around the last steps (or around parallel containers) is fine.
   */
  tryErrors (steps: Step[]): FieldError[] {
    const errors: FieldError[] = []
    for (const [id, field] of this.tryFields) {
      const firstInit = steps.findIndex(s => s.phase === 'init' && s.tries.includes(id))
      if (firstInit < 0) continue
      if (steps.slice(firstInit).some(s => !s.tries.includes(id))) {
        errors.push({ field, message: 'on Kubernetes try can only wrap the last steps of the action: its steps run as init containers, and a failed init container stops the whole pod, so the steps after the try would never run' })
      }
    }
    return errors
  }
}

const LAYER_KIND: Record<string, ArchiveKind> = { TGZ: 'tgz', TAR: 'tar', ZIP: 'zip' }

/** The containers of a task's pod, in order, and what the plan could not express. */
export function planActions (def: TaskDefinition): ActionPlan {
  const c = new Compiler()
  const ctx: Context = { atRoot: true, progress: [], tries: [] }
  const setup: Draft[] = []
  def.cached_dependencies?.forEach((d, i) => {
    const f = c.fetchDraft(`cached_dependencies[${i}].from`, `cached dependency ${d.name || d.from}`, d.from, d.to, 'auto', d.checksum_algorithm, d.checksum_value, { ...ctx, atRoot: false }, d.log_source)
    setup.push(...f.main)
  })
  def.image_layers?.forEach((l, i) => {
    const f = c.fetchDraft(`image_layers[${i}].url`, `image layer ${l.name || l.url}`, l.url, l.destination_path, LAYER_KIND[l.media_type], l.digest_algorithm, l.digest_value, { ...ctx, atRoot: false })
    setup.push(...f.main)
  })
  const root = c.compile(def.action, 'action', ctx)
  const init = [...setup, ...root.init]
  const steps: Step[] = [
    ...init.map((d, i) => ({ ...d, phase: 'init' as const, container: `${d.fetch ? 'fetch' : 'step'}-${i + 1}` })),
    ...root.main.map((d, i) => ({ ...d, phase: 'main' as const, container: root.main.length === 1 ? 'main' : `main-${i + 1}` }))
  ]
  return { steps, progress: c.progress, timeoutMs: c.timeoutMs, fetchSlots: c.fetchSlots, errors: [...c.errors, ...c.tryErrors(steps)] }
}
