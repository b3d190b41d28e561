import type pg from 'pg'
import type { Executor, ExecutorEvent, ExecutorTask } from '../executors/executor.ts'
import { ExecutorRejection } from '../executors/executor.ts'
import { appendLogs } from '../store/logs.ts'
import { retryWhileUnavailable } from '../store/pool.ts'
import { CHANNELS, Listener } from '../store/notify.ts'
import { type ClaimedTask, type Completion, type Lease, claimTasks, completeLeasedTasks, rejectLeasedTask, renewLeases } from '../store/scheduling.ts'
import { adoptTasks, placeLeasedTask, recordLogsSeen, releaseLeases } from '../store/adoption.ts'
import { CELL_DISAPPEARED_REASON } from '../store/converge.ts'
import { LogBuffer } from './log-buffer.ts'
import type { Held } from './held.ts'
import { type Draining, drainAll, releaseAll } from './shutdown.ts'
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
  /**
   * A task this replica does not hold (any more) may have work to remove: it
   * was cancelled, or a heartbeat found the lease gone. A sweep soon removes
   * what no live task owns (see sweeper.ts).
   */
  onNotHeld?: (guid: string) => void
}

export { SHUTDOWN_REASON } from './shutdown.ts'

export interface SchedulerStats { claimed: number, adopted: number, completed: number, fenced: number, rejected: number, wakeups: { notify: number, poll: number } }

/**
 * Claims PENDING tasks and drives them through an executor; with an executor
 * whose work outlives its replica, also adopts RUNNING tasks whose lease ran
 * out or was released.
 *
 * States: stopped → running (claiming and adopting on NOTIFY or poll,
 * heartbeating leases) → draining (no claims; releases the leases of work
 * that outlives the replica, or lets local work finish and fails or hands
 * back the rest: shutdown.ts) → stopped. start() and stop() are idempotent;
 * stop() resolves when drained.
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
  readonly stats: SchedulerStats = { claimed: 0, adopted: 0, completed: 0, fenced: 0, rejected: 0, wakeups: { notify: 0, poll: 0 } }
  /** The first adoption pass also takes leases still in this cell id's name (a restart under the same id). */
  private adoptOwn = true
  /**
   * Whether the next claim pass looks for leases to adopt: at start, on each
   * poll and on a NOTIFY without a guid (a released lease, a convergence
   * kick), not on every desire, which would add a query to the hot path.
   */
  private adoptWanted = true

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
      else { this.stats.wakeups.notify++; this.wake(guid === '') }
    }, () => this.wake(true))
    await this.listener.start()
    this.timers.push(
      setInterval(() => { this.stats.wakeups.poll++; this.wake(true) }, this.o.pollIntervalMs),
      setInterval(() => { this.heartbeat().catch(err => this.o.log.warn({ err }, 'lease heartbeat failed')) }, this.o.heartbeatMs),
      setInterval(() => { this.flushLogs().catch(err => this.o.log.warn({ err }, 'log flush failed')) }, this.o.logFlushMs)
    )
    for (const t of this.timers) t.unref()
    this.wake()
  }

  /** Claims as long as there is capacity and PENDING work; coalesces concurrent wake-ups. */
  wake (adopt = false): void {
    if (adopt) this.adoptWanted = true
    if (this.state === 'running') this.claimSoon()
  }

  /** Completions arriving together are recorded in one statement (see group-commit.ts). */
  private readonly completer = new GroupCommit<{ lease: Lease, completion: Completion }, boolean>(items =>
    retryWhileUnavailable(() => completeLeasedTasks(this.o.pool, this.o.cellId, items), this.o.leaseMs))

  private readonly claimSoon = coalesced(() => this.claimLoop(),
    err => this.o.log.warn({ err }, 'claiming tasks failed; will retry on the next wake-up'))

  private async claimLoop (): Promise<void> {
    if (this.o.executor.adopt && this.adoptWanted) {
      this.adoptWanted = false
      await this.adoptLoop()
    }
    while (this.state === 'running') {
      const room = Math.min(this.o.claimBatch, this.o.maxTasks - this.held.size)
      if (room <= 0) return
      const claimed = await claimTasks(this.o.pool, this.o.cellId, room, this.o.leaseMs)
      this.stats.claimed += claimed.length
      for (const task of claimed) this.launch(task)
      if (claimed.length < room) return
    }
  }

  /**
   * Takes over RUNNING tasks whose replica is gone (lease expired) or stopped
   * (lease released), whatever this replica's capacity: their work runs
   * already, and somebody has to watch it.
   */
  private async adoptLoop (): Promise<void> {
    while (this.state === 'running') {
      const adopted = await adoptTasks(this.o.pool, this.o.cellId, this.o.claimBatch, this.o.leaseMs, this.adoptOwn)
      this.adoptOwn = false
      for (const task of adopted) {
        const mine = this.held.get(task.guid)
        // Our own lease ran out while we still watched (a slow heartbeat): keep watching under the new token.
        if (mine && mine.runId === task.runId) mine.fencingToken = task.fencingToken
        else this.launch(task, true)
      }
      this.stats.adopted += adopted.length
      if (adopted.length < this.o.claimBatch) return
    }
  }

  private launch (task: ClaimedTask, adopting = false): void {
    const held: Held = {
      guid: task.guid,
      fencingToken: task.fencingToken,
      runId: task.runId,
      logSource: task.definition.log_source || 'TASK',
      logs: new LogBuffer(this.o.logMaxBytes, task.logSeq),
      abandoned: false,
      launched: false,
      launching: Promise.resolve(),
      logsSeen: task.logsSeen,
      logsSeenStored: task.logsSeen
    }
    this.held.set(task.guid, held)
    const et: ExecutorTask = { guid: task.guid, domain: task.domain, definition: task.definition, runId: task.runId, fencingToken: task.fencingToken, logsSeen: task.logsSeen }
    const op = adopting ? this.o.executor.adopt!(et) : this.o.executor.start(et)
    held.launching = op.then(() => { held.launched = true }, err => adopting ? this.adoptFailed(held, err as Error) : this.startFailed(held, err as Error))
  }

  /** The work could not be looked for (API unavailable): the lease goes back, the next poll tries again. */
  private async adoptFailed (held: Held, err: Error): Promise<void> {
    if (this.held.get(held.guid) !== held) return
    this.held.delete(held.guid)
    this.o.log.warn({ err, guid: held.guid }, 'adopting a running task failed; it is tried again at the next poll')
    await releaseLeases(this.o.pool, this.o.cellId, [held], false).catch(e => this.o.log.error({ err: e, guid: held.guid }, 'releasing a lease failed'))
    this.settled()
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
    if (e.type === 'log') {
      held.logs.add(e.source, e.stream, e.line)
      if (e.seq !== undefined && e.seq > held.logsSeen) held.logsSeen = e.seq
    } else if (e.type === 'placed') {
      placeLeasedTask(this.o.pool, this.o.cellId, held, e.cellId).catch(err => this.o.log.warn({ err, guid: e.guid }, 'recording the cell of a task failed'))
    } else if (e.type === 'completed') {
      this.record(e.guid, { failed: e.failed, failureReason: e.failureReason, result: e.result })
    } else {
      // Diego's reason, so that clients see one failure for lost work; the log says what happened.
      held.logs.add(held.logSource, 'system', e.reason)
      this.record(e.guid, { failed: true, failureReason: CELL_DISAPPEARED_REASON, result: '' })
    }
  }

  /** Records the outcome under our lease, in one statement; a fenced-off result is dropped. */
  private async record (guid: string, c: Completion): Promise<void> {
    const held = this.held.get(guid)
    if (!held) return
    this.held.delete(guid)
    let recorded = false
    try {
      // A database restart must not turn a finished task into "cell disappeared":
      // both writes are idempotent, so they are retried while the lease could
      // still be ours (past it, fencing drops the outcome anyway).
      const lines = held.logs.take()
      if (lines.length) await retryWhileUnavailable(() => appendLogs(this.o.pool, guid, lines), this.o.leaseMs)
      if (!held.abandoned) {
        if (await this.completer.add({ lease: { guid: held.guid, fencingToken: held.fencingToken }, completion: c })) {
          recorded = true
          this.stats.completed++
        } else {
          this.stats.fenced++
          this.o.log.warn({ guid }, 'task outcome dropped: this replica no longer holds its lease')
        }
      }
    } catch (err) {
      // The lease runs out, and convergence fails the task or another replica
      // adopts it and records the outcome from the work: it is never left RUNNING.
      this.o.log.error({ err, guid }, 'recording a task outcome failed')
    } finally {
      // Work that outlives this replica and whose outcome is not recorded is
      // left for the lease holder to read; anything else is removed.
      const leave = !recorded && !held.abandoned && this.o.executor.forget
      await (leave ? this.o.executor.forget!(guid) : this.o.executor.cleanup(guid)).catch(err => this.o.log.warn({ err, guid }, 'executor cleanup failed'))
      this.settled()
    }
  }

  private settled (): void {
    if (this.held.size === 0) for (const w of this.idleWaiters.splice(0)) w()
    this.wake()
  }

  private onCancelled (guid: string): void {
    const held = this.held.get(guid)
    if (!held) {
      this.o.onNotHeld?.(guid)
      return
    }
    held.abandoned = true
    this.o.executor.cancel(guid).catch(err => this.o.log.warn({ err, guid }, 'executor cancel failed'))
  }

  /** Renews every lease we hold; a task that is no longer ours (cancel missed, lease lost) is stopped. */
  async heartbeat (): Promise<void> {
    const leases = [...this.held.values()]
    if (leases.length === 0) return
    const renewed = await renewLeases(this.o.pool, this.o.cellId, leases, this.o.leaseMs)
    for (const l of leases) {
      if (renewed.has(l.guid) || this.held.get(l.guid) !== l) continue
      if (this.o.executor.forget) this.letGo(l)
      else this.onCancelled(l.guid)
    }
  }

  /**
   * The lease is gone (another replica adopted the task, or it was cancelled
   * and the NOTIFY missed): the work is not ours to stop. Its holder records
   * it; a cancelled task's pod goes with the next sweep.
   */
  private letGo (held: Held): void {
    held.abandoned = true
    this.held.delete(held.guid)
    this.o.log.warn({ guid: held.guid }, 'lease lost: this replica stops watching the task and leaves its work to the lease holder')
    this.o.executor.forget!(held.guid).catch(err => this.o.log.warn({ err, guid: held.guid }, 'executor forget failed'))
    this.o.onNotHeld?.(held.guid)
    this.settled()
  }

  private async flushLogs (): Promise<void> {
    const seen: Array<{ lease: Lease, seen: number }> = []
    for (const h of this.held.values()) {
      await appendLogs(this.o.pool, h.guid, h.logs.take())
      if (h.logsSeen > h.logsSeenStored) seen.push({ lease: { guid: h.guid, fencingToken: h.fencingToken }, seen: h.logsSeen })
    }
    // After the lines themselves: the stored count never runs ahead of the stored log.
    await recordLogsSeen(this.o.pool, this.o.cellId, seen)
    for (const { lease, seen: n } of seen) {
      const h = this.held.get(lease.guid)
      if (h) h.logsSeenStored = Math.max(h.logsSeenStored, n)
    }
  }

  /**
   * Stops claiming. When the executor's work outlives this replica (adopt),
   * running tasks are left running and their leases released at once for
   * another replica (or this one, restarted) to adopt. Otherwise running
   * tasks get up to deadlineMs to finish; then a task whose work had started
   * fails with SHUTDOWN_REASON (it is never run twice) and one that had not
   * goes back to PENDING.
   */
  stop (deadlineMs = 0): Promise<void> {
    if (this.state === 'stopped') return Promise.resolve()
    this.stopping ??= (async () => {
      this.state = 'draining'
      await this.listener?.close()
      if (this.o.executor.adopt) await releaseAll(this.draining(), deadlineMs)
      else await drainAll(this.draining(), deadlineMs)
      await this.completer.drain()
      for (const t of this.timers) clearInterval(t)
      this.timers = []
      this.unobserve?.()
      this.state = 'stopped'
    })()
    return this.stopping
  }

  /** What the shutdown functions need of this scheduler. */
  private draining (): Draining {
    return {
      held: this.held,
      pool: this.o.pool,
      cellId: this.o.cellId,
      executor: this.o.executor,
      log: this.o.log,
      flushLogs: () => this.flushLogs(),
      idle: ms => new Promise<void>(resolve => {
        if (this.held.size === 0 || ms <= 0) return resolve()
        const timer = setTimeout(resolve, ms)
        this.idleWaiters.push(() => { clearTimeout(timer); resolve() })
      })
    }
  }
}
