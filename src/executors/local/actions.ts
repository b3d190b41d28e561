import { spawn } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { actionKind } from '../../domain/action.ts'
import type { RunnableAction } from '../../domain/effective-action.ts'
import { executableError } from './executable.ts'
import { type ProcessLimits, limitCommand } from './limits.ts'
import { lineSplitter } from './lines.ts'
import { inTaskDir } from './paths.ts'
import { download, upload } from './transfer.ts'
import { resolveUser } from './users.ts'

export type Outcome = { failed: false } | { failed: true, reason: string }

export interface ActionContext {
  taskDir: string
  env: Record<string, string>
  logSource: string
  limits: ProcessLimits
  emit (stream: 'stdout' | 'stderr' | 'system', source: string, line: string): void
  /** Called when a user cannot be switched to, so the task log says so (once per user). */
  warnUser (user: string, source: string): void
}

const OK: Outcome = { failed: false }
const fail = (reason: string): Outcome => ({ failed: true, reason })
const KILL_GRACE_MS = 1000

async function runProcess (a: NonNullable<RunnableAction['run']>, ctx: ActionContext, signal: AbortSignal): Promise<Outcome> {
  const source = a.log_source ?? ctx.logSource
  const cwd = a.dir ? inTaskDir(ctx.taskDir, a.dir) : ctx.taskDir
  await mkdir(cwd, { recursive: true })
  const env = { ...ctx.env }
  for (const v of a.env ?? []) env[v.name] = v.value
  const user = resolveUser(a.user)
  if (user.kind === 'unknown') return fail(`run ${a.path}: could not start: unknown user "${a.user}"`)
  if (user.kind === 'self-warn') ctx.warnUser(a.user, source)
  const ids = user.kind === 'switch' ? user.ids : undefined
  const { file, args, wrapped } = limitCommand(a.path, a.args ?? [], { ...ctx.limits, nofile: a.resource_limits?.nofile })
  if (wrapped) {
    const error = await executableError(a.path, cwd, env.PATH ?? '')
    if (error) return fail(`run ${a.path}: could not start: ${error}`)
  }
  if (signal.aborted) return fail('cancelled')
  return new Promise<Outcome>(resolve => {
    // detached: the process leads its own group, so a cancel reaches its children too.
    const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...(ids ?? {}) })
    const out = lineSplitter(l => { if (!a.suppress_log_output) ctx.emit('stdout', source, l) })
    const err = lineSplitter(l => { if (!a.suppress_log_output) ctx.emit('stderr', source, l) })
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    let killTimer: NodeJS.Timeout | undefined
    const kill = () => {
      const group = (sig: NodeJS.Signals) => { try { process.kill(-child.pid!, sig) } catch {} }
      group('SIGTERM')
      killTimer = setTimeout(() => group('SIGKILL'), KILL_GRACE_MS)
    }
    signal.addEventListener('abort', kill, { once: true })
    child.on('error', e => {
      signal.removeEventListener('abort', kill)
      resolve(fail(`run ${a.path}: could not start: ${(e as NodeJS.ErrnoException).code ?? e.message}`))
    })
    child.on('close', (code, sig) => {
      clearTimeout(killTimer)
      signal.removeEventListener('abort', kill)
      out.end()
      err.end()
      if (code === 0) resolve(OK)
      else if (sig) resolve(fail(`run ${a.path}: killed by ${sig}`))
      else resolve(fail(`run ${a.path}: exited with status ${code}`))
    })
  })
}

function linked (signal: AbortSignal): AbortController {
  const ac = new AbortController()
  if (signal.aborted) ac.abort()
  else signal.addEventListener('abort', () => ac.abort(), { once: true })
  return ac
}

/**
 * Runs one node of Diego's action tree with the semantics of Diego's executor:
 * serial stops at the first failure; parallel waits for all and fails if any
 * failed; codependent stops the rest as soon as one exits; try swallows a
 * failure; timeout fails the inner action after timeout_ms.
 */
export async function runAction (action: RunnableAction, ctx: ActionContext, signal: AbortSignal): Promise<Outcome> {
  if (signal.aborted) return fail('cancelled')
  const kind = actionKind(action)
  try {
    switch (kind) {
      case 'run':
        return await runProcess(action.run!, ctx, signal)
      case 'download': {
        const a = action.download!
        ctx.emit('system', a.log_source ?? ctx.logSource, `Downloading ${a.artifact ?? a.from}...`)
        await download({ from: a.from, toDir: inTaskDir(ctx.taskDir, a.to), checksumAlgorithm: a.checksum_algorithm, checksumValue: a.checksum_value, signal })
        ctx.emit('system', a.log_source ?? ctx.logSource, `Downloaded ${a.artifact ?? a.from}`)
        return OK
      }
      case 'upload': {
        const a = action.upload!
        await upload(inTaskDir(ctx.taskDir, a.from), a.to, signal)
        ctx.emit('system', a.log_source ?? ctx.logSource, `Uploaded ${a.artifact ?? a.from}`)
        return OK
      }
      case 'serial': {
        for (const child of action.serial!.actions) {
          const o = await runAction(child, ctx, signal)
          if (o.failed) return o
        }
        return OK
      }
      case 'parallel': {
        const outcomes = await Promise.all(action.parallel!.actions.map(c => runAction(c, ctx, signal)))
        const reasons = outcomes.flatMap(o => o.failed ? [o.reason] : [])
        return reasons.length ? fail(reasons.join('; ')) : OK
      }
      case 'codependent': {
        const ac = linked(signal)
        const runs = action.codependent!.actions.map(c => runAction(c, ctx, ac.signal))
        const first = await Promise.race(runs)
        ac.abort()
        await Promise.all(runs)
        return first
      }
      case 'try': {
        const o = await runAction(action.try!.action, ctx, signal)
        if (o.failed && !signal.aborted) ctx.emit('system', action.try!.log_source ?? ctx.logSource, `try: ignoring failure: ${o.reason}`)
        return signal.aborted ? o : OK
      }
      case 'timeout': {
        const a = action.timeout!
        const ac = linked(signal)
        let timedOut = false
        const timer = setTimeout(() => { timedOut = true; ac.abort() }, a.timeout_ms)
        try {
          const o = await runAction(a.action, ctx, ac.signal)
          return timedOut ? fail(`exceeded ${a.timeout_ms}ms timeout`) : o
        } finally {
          clearTimeout(timer)
        }
      }
      case 'emit_progress': {
        const a = action.emit_progress!
        const source = a.log_source ?? ctx.logSource
        if (a.start_message) ctx.emit('system', source, a.start_message)
        const o = await runAction(a.action, ctx, signal)
        if (!o.failed && a.success_message) ctx.emit('system', source, a.success_message)
        if (o.failed && a.failure_message_prefix) return fail(`${a.failure_message_prefix}: ${o.reason}`)
        return o
      }
    }
  } catch (err) {
    return fail(`${kind}: ${(err as Error).message}`)
  }
}
