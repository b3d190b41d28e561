import { chmod, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { effectiveAction } from '../../domain/effective-action.ts'
import type { FieldError } from '../../domain/errors.ts'
import { resultText } from '../../domain/result.ts'
import { MAX_RESULT_BYTES, type TaskDefinition } from '../../domain/task-definition.ts'
import type { Executor, ExecutorEvent, ExecutorListener, ExecutorTask } from '../executor.ts'
import { runAction } from './actions.ts'
import { inTaskDir } from './paths.ts'

export interface LocalExecutorOptions {
  /** Parent of the per-task working directories; a fresh temp dir when empty. */
  workDir?: string
  /** Default log source when neither the action nor the task names one. */
  defaultLogSource?: string
}

interface Running { controller: AbortController, dir: string, done: Promise<void> }

export const NO_ISOLATION_WARNING = 'the local executor runs tasks as plain processes on this machine with no isolation: use it for development only'

/**
 * Runs a task's whole action tree as local processes in a per-task working
 * directory that stands in for the container root. Meant for a laptop and for
 * tests: there is no isolation, root_fs is ignored and only the limits that
 * rlimits can express are applied (see limits.ts).
 */
export class LocalExecutor implements Executor {
  readonly name = 'local'
  private readonly listeners = new Set<ExecutorListener>()
  private readonly running = new Map<string, Running>()
  private readonly dirs = new Map<string, string>()
  private readonly opts: LocalExecutorOptions
  private base?: string

  constructor (opts: LocalExecutorOptions = {}) {
    this.opts = opts
  }

  unsupported (_definition: TaskDefinition): FieldError[] {
    return []
  }

  observe (listener: ExecutorListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit (event: ExecutorEvent): void {
    for (const l of this.listeners) l(event)
  }

  private async baseDir (): Promise<string> {
    if (!this.base) {
      if (this.opts.workDir) {
        await mkdir(this.opts.workDir, { recursive: true })
        this.base = this.opts.workDir
      } else {
        this.base = await mkdtemp(join(tmpdir(), 'taskbbs-tasks-'))
        // Traversable, not listable: a run action's `user` must reach its task directory.
        await chmod(this.base, 0o711)
      }
    }
    return this.base
  }

  async start (task: ExecutorTask): Promise<void> {
    if (this.running.has(task.guid)) return
    const dir = await mkdtemp(join(await this.baseDir(), `${task.guid}-`))
    this.dirs.set(task.guid, dir)
    const controller = new AbortController()
    const entry: Running = { controller, dir, done: Promise.resolve() }
    this.running.set(task.guid, entry)
    entry.done = this.execute(task, dir, controller.signal).finally(() => this.running.delete(task.guid))
  }

  private async execute (task: ExecutorTask, dir: string, signal: AbortSignal): Promise<void> {
    // As a container root is: every user may enter and read it (a run action may name another user).
    await chmod(dir, 0o755)
    const def = task.definition
    const logSource = def.log_source || this.opts.defaultLogSource || 'TASK'
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: dir,
      LANG: 'C.UTF-8',
      TASKBBS_TASK_GUID: task.guid,
      TASKBBS_TASK_DIR: dir
    }
    for (const v of def.env ?? []) env[v.name] = v.value
    const unapplied = unappliedFields(def)
    if (unapplied.length > 0) {
      this.emit({ type: 'log', guid: task.guid, stream: 'system', source: logSource, line: `the local executor does not apply ${unapplied.join(', ')}: ${unapplied.length === 1 ? 'it takes' : 'they take'} effect on the Kubernetes executor only` })
    }
    try {
      await writeVolumeMountedFiles(dir, def.volume_mounted_files ?? [])
    } catch (err) {
      this.emit({ type: 'completed', guid: task.guid, failed: true, failureReason: `failed to write volume_mounted_files: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, result: '' })
      return
    }
    const limitLogs = logRateLimiter(def.log_rate_limit?.bytes_per_second, logSource, (line) => this.emit({ type: 'log', guid: task.guid, stream: 'system', source: logSource, line }))
    const warned = new Set<string>()
    const outcome = await runAction(effectiveAction(def), {
      taskDir: dir,
      env,
      logSource,
      limits: { memoryMb: def.memory_mb || undefined, maxPids: def.max_pids || undefined },
      emit: (stream, source, line) => { if (limitLogs(line)) this.emit({ type: 'log', guid: task.guid, stream, source, line }) },
      warnUser: (user, source) => {
        if (warned.has(user)) return
        warned.add(user)
        // "container": the task directory stands in for it, and the runner says the same words.
        this.emit({ type: 'log', guid: task.guid, stream: 'system', source, line: `running as the container's own user, not "${user}"` })
      }
    }, signal)
    if (signal.aborted) {
      this.emit({ type: 'completed', guid: task.guid, failed: true, failureReason: 'task was cancelled', result: '' })
      return
    }
    if (outcome.failed) {
      this.emit({ type: 'completed', guid: task.guid, failed: true, failureReason: outcome.reason, result: '' })
      return
    }
    let result = ''
    if (def.result_file) {
      try {
        result = resultText(await readHead(inTaskDir(dir, def.result_file), MAX_RESULT_BYTES + 1))
      } catch (err) {
        this.emit({ type: 'completed', guid: task.guid, failed: true, failureReason: `failed to read result_file ${def.result_file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, result: '' })
        return
      }
    }
    this.emit({ type: 'completed', guid: task.guid, failed: false, failureReason: '', result })
  }

  async cancel (guid: string): Promise<void> {
    const r = this.running.get(guid)
    if (!r) return
    r.controller.abort()
    await r.done
  }

  async cleanup (guid: string): Promise<void> {
    await this.cancel(guid)
    const dir = this.dirs.get(guid)
    this.dirs.delete(guid)
    if (dir) await rm(dir, { recursive: true, force: true })
  }


  async close (): Promise<void> {
    this.listeners.clear()
  }
}

/** Where Diego's executor puts volume_mounted_files in the container. */
export const VOLUME_MOUNTED_FILES_DIR = '/etc/cf-service-bindings'

async function writeVolumeMountedFiles (taskDir: string, files: ReadonlyArray<{ path: string, content: string }>): Promise<void> {
  for (const f of files) {
    const target = inTaskDir(taskDir, `${VOLUME_MOUNTED_FILES_DIR}/${f.path.replace(/^\/+/, '')}`)
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, f.content, { mode: 0o600 })
  }
}

/**
 * log_rate_limit as Diego applies it: past bytes_per_second in a one-second
 * window, lines are dropped, and one system line per window says so. -1 or
 * absent: no limit. Returns whether a line may be kept.
 */
export function logRateLimiter (bytesPerSecond: number | undefined, logSource: string, notice: (line: string) => void, now = () => Date.now()): (line: string) => boolean {
  if (bytesPerSecond === undefined || bytesPerSecond < 0) return () => true
  let windowStart = 0
  let used = 0
  let told = false
  return (line) => {
    const t = now()
    if (t - windowStart >= 1000) { windowStart = t; used = 0; told = false }
    const bytes = Buffer.byteLength(line) + 1
    if (used + bytes <= bytesPerSecond) { used += bytes; return true }
    if (!told) { told = true; notice(`${logSource} exceeded log rate limit (${bytesPerSecond} bytes/sec)`) }
    return false
  }
}

/**
 * Fields a task may carry so that the same definition runs on both executors,
 * but that only Kubernetes can honour: they are named in the task's log rather
 * than refused, and rather than ignored silently.
 */
export function unappliedFields (def: TaskDefinition): string[] {
  const fields: string[] = []
  if (def.volume_mounts?.length) fields.push('volume_mounts')
  if (def.placement_tags?.length) fields.push('placement_tags')
  if (def.kubernetes && Object.keys(def.kubernetes).length > 0) fields.push('kubernetes')
  return fields
}

/** First `max` bytes of a file (fewer when it is shorter). */
async function readHead (path: string, max: number): Promise<Buffer> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(max)
    const { bytesRead } = await fh.read(buf, 0, max, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}
