import type pg from 'pg'
import type { Executor, ExecutorEvent, ExecutorTask } from '../executors/executor.ts'
import { ExecutorRejection } from '../executors/executor.ts'
import { appendLogs } from '../store/logs.ts'
import { retryWhileUnavailable } from '../store/pool.ts'
import { CHANNELS, Listener } from '../store/notify.ts'
import { type ClaimedTask, type Completion, type Lease, claimTasks, completeLeasedTasks, handBackTask, rejectLeasedTask, renewLeases } from '../store/scheduling.ts'
import { LogBuffer } from './log-buffer.ts'
import { coalesced } from '../loops/coalesced.ts'
import { GroupCommit } from '../loops/group-commit.ts'

export interface SchedulerOptions {
  pool: pg.Pool
  databaseUrl: string
  executor: Executor
  cellId: string
  /** Tasks this replica runs at once. */
  maxTasks: number
  /** Tasks claimed per query. */
  claimBatch: number
  /** Fallback poll when no NOTIFY arrives (lost while the listener reconnected, or sent by convergence). */
  pollIntervalMs: number
  leaseMs: number
  heartbeatMs: number
  maxRejections: number
  logMaxBytes: number
  logFlushMs: number
  log: { info (obj: object, msg: string): void, warn (obj: object, msg: string): void, error (obj: object, msg: string): void }
}

interface Held extends Lease {
  logs: LogBuffer
  /** Set when the task stopped being ours (cancelled, lease lost): its outcome is not recorded. */
  abandoned: boolean
}

export interface SchedulerStats { claimed: number, completed: number, fenced: number, rejected: number, wakeups: { notify: number, poll: number } }

/**
 * Claims PENDING tasks and drives them through an executor.
 *
 * States: stopped → running (claiming on NOTIFY or poll, heartbeating leases)
 * → draining (no claims; waits for running work, then hands the rest back)
 * → stopped. start() and stop() are idempotent; stop() resolves when drained.
 */
export class Scheduler {
  private readonly o: SchedulerOptions
  private readonly held = new Map<string, Held>()
  private state: 'stopped' | 'running' | 'draining' = 'stopped'
  private listener?: Listener
  private unobserve?: () => void
  private timers: NodeJS.Timeout[] = []
  private idleWaiters: Array<() => void> = []
  private stopping?: Promise<void>
  readonly stats: SchedulerStats = { claimed: 0, completed: 0, fenced: 0, rejected: 0, wakeups: { notify: 0, poll: 0 } }

  constructor (options: SchedulerOptions) {
    this.o = options
  }

  get runningCount (): number { return this.held.size }

  async start (): Promise<void> {
    if (this.state !== 'stopped') return
    this.state = 'running'
    this.unobserve = this.o.executor.observe(e => this.onEvent(e))
    this.listener = new Listener(this.o.databaseUrl, [CHANNELS.desired, CHANNELS.cancelled], (channel, guid) => {
      if (channel === CHANNELS.cancelled) this.onCancelled(guid)
      else { this.stats.wakeups.notify++; this.wake() }
    }, () => this.wake())
    await this.listener.start()
    this.timers.push(
      setInterval(() => { this.stats.wakeups.poll++; this.wake() }, this.o.pollIntervalMs),
      setInterval(() => { this.heartbeat().catch(err => this.o.log.warn({ err }, 'lease heartbeat failed')) }, this.o.heartbeatMs),
      setInterval(() => { this.flushLogs().catch(err => this.o.log.warn({ err }, 'log flush failed')) }, this.o.logFlushMs)
    )
    for (const t of this.timers) t.unref()
    this.wake()
  }

  /** Claims as long as there is capacity and PENDING work; coalesces concurrent wake-ups. */
  wake (): void {
    if (this.state === 'running') this.claimSoon()
  }

  /** Completions arriving together are recorded in one statement (see group-commit.ts). */
  private readonly completer = new GroupCommit<{ lease: Lease, completion: Completion }, boolean>(items =>
    retryWhileUnavailable(() => completeLeasedTasks(this.o.pool, this.o.cellId, items), this.o.leaseMs))

  private readonly claimSoon = coalesced(() => this.claimLoop(),
    err => this.o.log.warn({ err }, 'claiming tasks failed; will retry on the next wake-up'))

  private async claimLoop (): Promise<void> {
    while (this.state === 'running') {
      const room = Math.min(this.o.claimBatch, this.o.maxTasks - this.held.size)
      if (room <= 0) return
      const claimed = await claimTasks(this.o.pool, this.o.cellId, room, this.o.leaseMs)
      this.stats.claimed += claimed.length
      for (const task of claimed) this.launch(task)
      if (claimed.length < room) return
    }
  }

  private launch (task: ClaimedTask): void {
    const held: Held = { guid: task.guid, fencingToken: task.fencingToken, logs: new LogBuffer(this.o.logMaxBytes), abandoned: false }
    this.held.set(task.guid, held)
    const et: ExecutorTask = { guid: task.guid, domain: task.domain, definition: task.definition }
    this.o.executor.start(et).catch(err => this.startFailed(held, err as Error))
  }

  private async startFailed (held: Held, err: Error): Promise<void> {
    if (err instanceof ExecutorRejection) {
      this.held.delete(held.guid)
      this.stats.rejected++
      await rejectLeasedTask(this.o.pool, this.o.cellId, held, err.message, this.o.maxRejections)
        .catch(e => this.o.log.error({ err: e, guid: held.guid }, 'recording a rejection failed'))
      this.settled()
      return
    }
    await this.record(held.guid, { failed: true, failureReason: `failed to start: ${err.message}`, result: '' })
  }

  private onEvent (e: ExecutorEvent): void {
    const held = this.held.get(e.guid)
    if (!held) return
    if (e.type === 'log') held.logs.add(e.source, e.stream, e.line)
    else if (e.type === 'completed') this.record(e.guid, { failed: e.failed, failureReason: e.failureReason, result: e.result })
    else this.record(e.guid, { failed: true, failureReason: e.reason, result: '' })
  }

  /** Records the outcome under our lease, in one statement; a fenced-off result is dropped. */
  private async record (guid: string, c: Completion): Promise<void> {
    const held = this.held.get(guid)
    if (!held) return
    this.held.delete(guid)
    try {
      // A database restart must not turn a finished task into "cell disappeared":
      // both writes are idempotent, so they are retried while the lease could
      // still be ours (past it, fencing drops the outcome anyway).
      const lines = held.logs.take()
      if (lines.length) await retryWhileUnavailable(() => appendLogs(this.o.pool, guid, lines), this.o.leaseMs)
      if (!held.abandoned) {
        if (await this.completer.add({ lease: { guid: held.guid, fencingToken: held.fencingToken }, completion: c })) this.stats.completed++
        else {
          this.stats.fenced++
          this.o.log.warn({ guid }, 'task outcome dropped: this replica no longer holds its lease')
        }
      }
    } catch (err) {
      // The lease runs out and convergence fails the task: it is never left RUNNING.
      this.o.log.error({ err, guid }, 'recording a task outcome failed')
    } finally {
      await this.o.executor.cleanup(guid).catch(err => this.o.log.warn({ err, guid }, 'executor cleanup failed'))
      this.settled()
    }
  }

  private settled (): void {
    if (this.held.size === 0) for (const w of this.idleWaiters.splice(0)) w()
    this.wake()
  }

  private onCancelled (guid: string): void {
    const held = this.held.get(guid)
    if (!held) return
    held.abandoned = true
    this.o.executor.cancel(guid).catch(err => this.o.log.warn({ err, guid }, 'executor cancel failed'))
  }

  /** Renews every lease we hold; a task that is no longer ours (cancel missed, lease lost) is stopped. */
  async heartbeat (): Promise<void> {
    const leases = [...this.held.values()]
    if (leases.length === 0) return
    const renewed = await renewLeases(this.o.pool, this.o.cellId, leases, this.o.leaseMs)
    for (const l of leases) {
      if (!renewed.has(l.guid) && this.held.get(l.guid) === l) this.onCancelled(l.guid)
    }
  }

  private async flushLogs (): Promise<void> {
    for (const h of this.held.values()) await appendLogs(this.o.pool, h.guid, h.logs.take())
  }

  /**
   * Stops claiming, waits up to deadlineMs for running tasks to finish, then
   * cancels the rest and hands them back to PENDING for another replica.
   */
  stop (deadlineMs = 0): Promise<void> {
    if (this.state === 'stopped') return Promise.resolve()
    this.stopping ??= (async () => {
      this.state = 'draining'
      await this.listener?.close()
      if (this.held.size > 0 && deadlineMs > 0) {
        await new Promise<void>(resolve => {
          const timer = setTimeout(resolve, deadlineMs)
          this.idleWaiters.push(() => { clearTimeout(timer); resolve() })
        })
      }
      for (const held of [...this.held.values()]) {
        held.abandoned = true
        this.held.delete(held.guid)
        await this.o.executor.cancel(held.guid).catch(() => {})
        await appendLogs(this.o.pool, held.guid, held.logs.take()).catch(() => {})
        await handBackTask(this.o.pool, this.o.cellId, held).catch(err => this.o.log.error({ err, guid: held.guid }, 'handing a task back failed'))
        await this.o.executor.cleanup(held.guid).catch(() => {})
      }
      await this.completer.drain()
      for (const t of this.timers) clearInterval(t)
      this.timers = []
      this.unobserve?.()
      this.state = 'stopped'
    })()
    return this.stopping
  }
}
