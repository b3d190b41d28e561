import { type CoreV1Api, CoreV1Api as CoreApi, NetworkingV1Api, type V1Pod } from '@kubernetes/client-node'
import type { Config } from '../../config/schema.ts'
import type { FieldError } from '../../domain/errors.ts'
import type { TaskDefinition } from '../../domain/task-definition.ts'
import { type Executor, type ExecutorEvent, type ExecutorListener, ExecutorRejection, type ExecutorTask } from '../executor.ts'
import { DEFAULT_RETRY, apiFailure, isNotFound, isQuotaRefusal, isTransient, withRetry } from './api-errors.ts'
import { createTaskObjects } from './create-objects.ts'
import { ANNOTATIONS, TASK_CONTAINER, TASK_POD_SELECTOR, podName } from './names.ts'
import { type KubernetesExecutorOptions, optionsFromConfig } from './options.ts'
import { type CursorLine, LogCursor } from './log-cursor.ts'
import { LogFollower, StreamSlots } from './log-follow.ts'
import { readRest } from './log-rest.ts'
import { observe } from './outcome.ts'
import { taskObjects, unsupportedParts } from './pod.ts'
import { PodWatch } from './pod-watch.ts'
import { type RunnerOutcome, resultMatches } from './runner-output.ts'
import { DEFAULT_LOG_SOURCE } from './runner-spec.ts'
import { Slots } from './slots.ts'

interface Tracked {
  guid: string
  pod: string
  /** Set once our pod exists; events of any other pod under the name (an earlier attempt's) are ignored. */
  uid?: string
  def: TaskDefinition
  /** Where the task's output has been read up to (live and at the end). */
  cursor: LogCursor
  follower?: LogFollower
  /** Gives back the follow stream (or the place in its queue). */
  releaseStream?: () => void
  owns: { secret: boolean, policy: boolean }
  /** starting → running → finishing (reading logs) → done; done also after cancel or loss. */
  state: 'starting' | 'running' | 'finishing' | 'done'
  cancelling: boolean
  since: number
  checking: boolean
}

type Completion = Omit<Extract<ExecutorEvent, { type: 'completed' }>, 'type' | 'guid'>

const LOG_READS = 16

/** The task's completion: failed and failure_reason from the runner's outcome only, the result only from a matching frame. */
function completion (entry: Tracked, outcome: RunnerOutcome | undefined, reason: string | undefined): Completion {
  if (!outcome) return { failed: true, failureReason: reason ?? 'the task ended without an outcome', result: '' }
  if (outcome.failed) return { failed: true, failureReason: outcome.failureReason, result: '' }
  if (outcome.resultSha256 === undefined) return { failed: false, failureReason: '', result: '' }
  const result = entry.cursor.results.find(r => resultMatches(outcome, r))
  if (result === undefined) {
    return { failed: true, failureReason: `the result could not be read back: the container log holds no result frame of ${outcome.resultBytes} bytes with the digest the runner reported`, result: '' }
  }
  return { failed: false, failureReason: '', result }
}

/**
 * Runs each task as one Pod whose container runs the in-pod runner on the
 * whole action tree (pod.ts for the mapping, runner/PROTOCOL.md for the
 * runner, outcome.ts for how a pod's status becomes the outcome), and learns
 * how pods end from one informer over all task pods (pod-watch.ts), never by
 * polling a pod. While a pod runs its log is followed (log-follow.ts);
 * when it ends, the rest is read and the result found (log-rest.ts).
 *
 * A task here: starting (creating pod, secret, policy) → running (watched,
 * followed) → finishing (reading the rest of its output) → done, when
 * 'completed' is emitted; or done by cancel ('completed', cancelled) or loss
 * ('lost': the pod vanished while running). cleanup() forgets it and deletes
 * its objects.
 */
export class KubernetesExecutor implements Executor {
  readonly name = 'kubernetes'
  readonly core: CoreV1Api
  readonly networking: NetworkingV1Api
  private readonly o: KubernetesExecutorOptions
  private readonly tracked = new Map<string, Tracked>()
  private readonly listeners = new Set<ExecutorListener>()
  private readonly logReads = new Slots(LOG_READS)
  private readonly streams: StreamSlots
  private readonly watch: PodWatch

  constructor (options: KubernetesExecutorOptions) {
    this.o = options
    this.core = options.kubeConfig.makeApiClient(CoreApi)
    this.networking = options.kubeConfig.makeApiClient(NetworkingV1Api)
    this.streams = new StreamSlots(options.logStreams)
    this.watch = new PodWatch({
      kc: options.kubeConfig,
      core: this.core,
      namespace: options.namespace,
      labelSelector: TASK_POD_SELECTOR,
      resyncMs: options.resyncMs,
      onPod: pod => this.onPod(pod),
      onDelete: pod => this.onDelete(pod),
      onResync: () => this.onResync(),
      onError: (err, retryInMs) => this.o.log?.warn({ err: apiFailure(err).message, retryInMs }, 'kubernetes pod watch failed; restarting it')
    })
  }

  static fromConfig (config: Config): KubernetesExecutor {
    return new KubernetesExecutor(optionsFromConfig(config))
  }

  unsupported (definition: TaskDefinition): FieldError[] {
    return unsupportedParts(definition, this.o)
  }

  observe (listener: ExecutorListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit (event: ExecutorEvent): void {
    for (const l of this.listeners) l(event)
  }

  private system (entry: Tracked, line: string, source?: string): void {
    this.emit({ type: 'log', guid: entry.guid, stream: 'system', source: source ?? (entry.def.log_source || DEFAULT_LOG_SOURCE), line })
  }

  private emitLines (entry: Tracked, lines: CursorLine[]): void {
    for (const l of lines) {
      const event: ExecutorEvent = { type: 'log', guid: entry.guid, source: l.source, stream: l.stream, line: l.line }
      if (l.seq !== undefined) event.seq = l.seq
      this.emit(event)
    }
  }

  private retry<T> (op: () => Promise<T>): Promise<T> {
    return withRetry(op, this.o.retry ?? DEFAULT_RETRY)
  }

  /** Watching starts with the first task, and the informer's first list must succeed before any pod is made. */
  async start (task: ExecutorTask): Promise<void> {
    const current = this.tracked.get(task.guid)
    if (current && current.state !== 'done') return
    const objects = taskObjects(task, this.o)
    this.o.decoratePod?.(objects.pod, task)
    try {
      await this.watch.start()
    } catch (err) {
      const why = `cannot watch task pods in namespace ${this.o.namespace}: ${apiFailure(err).message}`
      throw isTransient(err) ? new ExecutorRejection(why) : new Error(why, { cause: err })
    }
    const entry: Tracked = {
      guid: task.guid,
      pod: objects.pod.metadata!.name!,
      def: task.definition,
      cursor: new LogCursor(task.definition.log_source || DEFAULT_LOG_SOURCE, task.logsSeen ?? 0),
      owns: { secret: Boolean(objects.secret), policy: Boolean(objects.policy) },
      state: 'starting',
      cancelling: false,
      since: Date.now(),
      checking: false
    }
    this.tracked.set(task.guid, entry)
    for (const note of objects.notes) this.system(entry, note)
    try {
      const pod = await createTaskObjects({ core: this.core, networking: this.networking, namespace: this.o.namespace, retry: op => this.retry(op) }, objects, task.guid)
      entry.uid = pod.metadata?.uid
      if (entry.state === 'starting') entry.state = 'running'
      if (entry.cancelling) {
        // Cancelled while we were creating: the cancel's delete may have come first.
        await this.removeObjects(entry.pod, entry.owns)
        return
      }
      const seen = this.watch.get(entry.pod)
      if (seen) this.onPod(seen)
    } catch (err) {
      if (this.tracked.get(task.guid) === entry) this.tracked.delete(task.guid)
      if (err instanceof ExecutorRejection) throw err
      // Quota and an API server that stays unreachable through the retries
      // are temporary: the task goes back to PENDING. Nothing of this attempt
      // may linger, since the scheduler does not clean up a rejected task.
      if (isQuotaRefusal(err) || isTransient(err)) {
        await this.removeObjects(entry.pod, entry.owns).catch(() => {})
        throw new ExecutorRejection(`${isQuotaRefusal(err) ? 'kubernetes quota' : 'kubernetes API unavailable'}: ${apiFailure(err).message}`)
      }
      throw new Error(`kubernetes refused the task: ${apiFailure(err).message}`, { cause: err })
    }
  }

  private entryOf (pod: V1Pod): Tracked | undefined {
    const guid = pod.metadata?.annotations?.[ANNOTATIONS.guid]
    const entry = guid === undefined ? undefined : this.tracked.get(guid)
    if (!entry || entry.cancelling || entry.uid === undefined || entry.uid !== pod.metadata?.uid) return undefined
    if (entry.state !== 'running') return undefined
    return entry
  }

  private onPod (pod: V1Pod): void {
    const entry = this.entryOf(pod)
    if (!entry) return
    const obs = observe(pod)
    if (pod.metadata?.deletionTimestamp && obs.state !== 'ended' && obs.state !== 'failed') {
      this.lose(entry, pod)
      return
    }
    if (obs.state === 'running') this.follow(entry)
    else if (obs.state === 'ended') this.finish(entry, pod, obs.outcome)
    else if (obs.state === 'failed') this.finish(entry, pod, undefined, obs.reason)
    else if (obs.state === 'unschedulable' && this.o.unschedulableTimeoutMs > 0 && Date.now() - obs.since >= this.o.unschedulableTimeoutMs) {
      // Diego fails a task no cell can take ("found no compatible cell").
      this.finish(entry, undefined, undefined, `found no node to run the task within ${Math.round(this.o.unschedulableTimeoutMs / 1000)}s: ${obs.message}`)
    }
  }

  private onDelete (pod: V1Pod): void {
    const entry = this.entryOf(pod)
    if (!entry) return
    const obs = observe(pod)
    // The pod is gone, and its log with it: a result can no longer be read.
    if (obs.state === 'ended') this.finish(entry, undefined, obs.outcome)
    else if (obs.state === 'failed') this.finish(entry, undefined, undefined, obs.reason)
    else this.lose(entry, pod)
  }

  private lose (entry: Tracked, pod: V1Pod | undefined): void {
    entry.state = 'done'
    void this.unfollow(entry)
    const disruption = pod?.status?.conditions?.find(c => c.type === 'DisruptionTarget' && c.status === 'True')
    const reason = disruption
      ? `pod ${entry.pod} was evicted before the task finished: ${disruption.reason}${disruption.message ? `: ${disruption.message}` : ''}`
      : pod
        ? `pod ${entry.pod} was deleted before the task finished`
        : `pod ${entry.pod} disappeared before the task finished`
    this.emit({ type: 'lost', guid: entry.guid, reason })
  }

  /** Follows the task container's log while it runs, when a stream is free (log-follow.ts). */
  private follow (entry: Tracked): void {
    if (!this.o.collectLogs || entry.releaseStream) return
    entry.releaseStream = this.streams.acquire(() => {
      if (entry.state !== 'running' || entry.cancelling) return
      entry.follower = new LogFollower({
        kc: this.o.kubeConfig,
        namespace: this.o.namespace,
        pod: entry.pod,
        container: TASK_CONTAINER,
        cursor: entry.cursor,
        emit: lines => { if (entry.state === 'running') this.emitLines(entry, lines) },
        onError: (err, retryInMs) => this.o.log?.warn({ err: apiFailure(err).message, guid: entry.guid, retryInMs }, 'following a task log failed; reconnecting')
      })
      entry.follower.start()
    })
  }

  /** Stops following; resolves when the follower will take no more lines. */
  private async unfollow (entry: Tracked): Promise<void> {
    const follower = entry.follower
    entry.follower = undefined
    entry.releaseStream?.()
    await follower?.stop()
  }

  /**
   * The task ended (outcome from the runner) or failed without one (reason).
   * The rest of the output is read (log-rest.ts), then the result is the
   * result frame whose digest the outcome names.
   */
  private finish (entry: Tracked, pod: V1Pod | undefined, outcome: RunnerOutcome | undefined, reason?: string): void {
    entry.state = 'finishing'
    const read = async (): Promise<void> => {
      await this.unfollow(entry)
      const wanted = outcome?.resultSha256 !== undefined
      if (!pod || (!this.o.collectLogs && !wanted)) return
      await this.logReads.run(() => readRest({
        kc: this.o.kubeConfig,
        namespace: this.o.namespace,
        pod: entry.pod,
        container: TASK_CONTAINER,
        cursor: entry.cursor,
        outcome,
        maxBytes: this.o.logMaxBytes,
        emit: lines => { if (this.o.collectLogs) this.emitLines(entry, lines) }
      }))
    }
    read().catch(err => {
      this.system(entry, `task output could not be read: ${apiFailure(err).message}`)
    }).finally(() => {
      if (entry.state !== 'finishing') return
      entry.state = 'done'
      this.emit({ type: 'completed', guid: entry.guid, ...completion(entry, outcome, reason) })
    })
  }

  /** Pods the watch should have but lacks: a deletion it missed. Confirmed by a GET before the task is given up. */
  private onResync (): void {
    const now = Date.now()
    for (const entry of this.tracked.values()) {
      if (entry.state !== 'running' || entry.cancelling || entry.checking || now - entry.since < this.o.resyncMs) continue
      if (this.watch.get(entry.pod)) continue
      entry.checking = true
      this.retry(() => this.core.readNamespacedPod({ name: entry.pod, namespace: this.o.namespace }))
        .then(pod => { if (pod.metadata?.uid !== entry.uid && entry.state === 'running' && !entry.cancelling) this.lose(entry, undefined) },
          err => { if (isNotFound(err) && entry.state === 'running' && !entry.cancelling) this.lose(entry, undefined) })
        .finally(() => { entry.checking = false })
    }
    this.sweepOrphans(now)
  }

  /** Finished task pods nobody tracks, left by a replica that died before its cleanup. */
  private sweepOrphans (now: number): void {
    for (const pod of this.watch.list()) {
      const phase = pod.status?.phase
      if (phase !== 'Succeeded' && phase !== 'Failed') continue
      const guid = pod.metadata?.annotations?.[ANNOTATIONS.guid]
      if (guid === undefined || this.tracked.has(guid) || pod.metadata?.deletionTimestamp) continue
      const times = [
        ...(pod.status?.containerStatuses ?? []).map(s => s.state?.terminated?.finishedAt),
        ...(pod.status?.conditions ?? []).map(c => c.lastTransitionTime)
      ].map(d => d ? new Date(d).getTime() : 0)
      const ended = Math.max(0, ...times)
      if (ended > 0 && now - ended > this.o.orphanTtlMs) {
        this.removeObjects(pod.metadata!.name!, { secret: true, policy: true }).catch(err => this.o.log?.warn({ err: apiFailure(err).message, guid }, 'deleting an orphaned task pod failed'))
      }
    }
  }

  /** Deletes the pod (with the default grace period: the task gets SIGTERM) and reports the task cancelled. */
  async cancel (guid: string): Promise<void> {
    const entry = this.tracked.get(guid)
    if (entry) {
      entry.cancelling = true
      void this.unfollow(entry)
    }
    await this.deleteIgnoringMissing(() => this.core.deleteNamespacedPod({ name: entry?.pod ?? podName(guid), namespace: this.o.namespace }))
    if (entry && (entry.state === 'starting' || entry.state === 'running')) {
      entry.state = 'done'
      this.emit({ type: 'completed', guid, failed: true, failureReason: 'task was cancelled', result: '' })
    }
  }

  async cleanup (guid: string): Promise<void> {
    const entry = this.tracked.get(guid)
    this.tracked.delete(guid)
    if (entry) await this.unfollow(entry)
    // Not knowing the task (another replica made it, or we restarted): delete all three.
    await this.removeObjects(entry?.pod ?? podName(guid), entry?.owns ?? { secret: true, policy: true })
  }

  private async removeObjects (name: string, owns: { secret: boolean, policy: boolean }): Promise<void> {
    const namespace = this.o.namespace
    // The secret and policy are owned by the pod and would be garbage
    // collected with it; deleting them too frees them now, not at the
    // collector's next pass.
    await Promise.all([
      this.deleteIgnoringMissing(() => this.core.deleteNamespacedPod({ name, namespace, propagationPolicy: 'Background' })),
      owns.secret && this.deleteIgnoringMissing(() => this.core.deleteNamespacedSecret({ name, namespace })),
      owns.policy && this.deleteIgnoringMissing(() => this.networking.deleteNamespacedNetworkPolicy({ name, namespace }))
    ])
  }

  private async deleteIgnoringMissing (del: () => Promise<unknown>): Promise<void> {
    try {
      await this.retry(del)
    } catch (err) {
      if (!isNotFound(err)) throw err
    }
  }

  /** Guids this executor is running now. */
  runningTasks (): string[] {
    return [...this.tracked.values()].filter(e => e.state !== 'done').map(e => e.guid)
  }

  async close (): Promise<void> {
    await Promise.all([...this.tracked.values()].map(e => this.unfollow(e)))
    await this.watch.stop()
    this.listeners.clear()
  }
}
