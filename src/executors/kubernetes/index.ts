import { type CoreV1Api, CoreV1Api as CoreApi, NetworkingV1Api, type V1Pod } from '@kubernetes/client-node'
import type { Config } from '../../config/schema.ts'
import type { FieldError } from '../../domain/errors.ts'
import type { TaskDefinition } from '../../domain/task-definition.ts'
import { type Executor, type ExecutorEvent, type ExecutorListener, ExecutorRejection, type ExecutorTask, type RunRef } from '../executor.ts'
import { findRunPod } from './adopt.ts'
import { DEFAULT_RETRY, apiFailure, isNotFound, isQuotaRefusal, isTransient, withRetry } from './api-errors.ts'
import { createTaskObjects } from './create-objects.ts'
import { ANNOTATIONS, TASK_CONTAINER, TASK_POD_SELECTOR, podName } from './names.ts'
import { type KubernetesExecutorOptions, optionsFromConfig } from './options.ts'
import { type CursorLine, LogCursor } from './log-cursor.ts'
import { LogFollower, StreamSlots } from './log-follow.ts'
import { readRest } from './log-rest.ts'
import { NodeCheck } from './nodes.ts'
import { observe } from './outcome.ts'
import { taskObjects, unsupportedParts } from './pod.ts'
import { PodWatch } from './pod-watch.ts'
import { runOf, stampRun } from './run-identity.ts'
import { type RunnerOutcome, resultMatches } from './runner-output.ts'
import { DEFAULT_LOG_SOURCE } from './runner-spec.ts'
import { Slots } from './slots.ts'

interface Tracked {
  guid: string
  runId?: string
  pod: string
  /** The node the pod is bound to, once it is: the task's cell. */
  node?: string
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
 * ('lost': the pod vanished while running, or its node is gone). cleanup()
 * forgets it and deletes its objects. adopt() takes over a task whose pod
 * another replica made (found by run labels, run-identity.ts) at running;
 * forget() lets it go without touching the pod; listRuns() and removeRun()
 * serve the sweep of pods no live task owns.
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
  private readonly nodes: NodeCheck

  constructor (options: KubernetesExecutorOptions) {
    this.o = options
    this.core = options.kubeConfig.makeApiClient(CoreApi)
    this.networking = options.kubeConfig.makeApiClient(NetworkingV1Api)
    this.streams = new StreamSlots(options.logStreams)
    this.nodes = new NodeCheck(this.core, msg => this.o.log?.warn({}, msg))
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
    // The same run again is one start; another run of the guid (an earlier task's pod) is not this task's.
    if (current && current.state !== 'done' && current.runId === task.runId) return
    if (current && current.state !== 'done') {
      current.state = 'done'
      void this.unfollow(current)
    }
    const objects = taskObjects(task, this.o)
    stampRun(objects, task)
    this.o.decoratePod?.(objects.pod, task)
    await this.startWatch()
    const entry: Tracked = {
      guid: task.guid,
      runId: task.runId,
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

  private async startWatch (): Promise<void> {
    try {
      await this.watch.start()
    } catch (err) {
      const why = `cannot watch task pods in namespace ${this.o.namespace}: ${apiFailure(err).message}`
      throw isTransient(err) ? new ExecutorRejection(why) : new Error(why, { cause: err })
    }
  }

  /**
   * Takes over a task whose pod another replica (or this one, before a
   * restart) created: finds the pod of the task's run by its labels and
   * watches it from its current state on, so an outcome reached while nobody
   * watched is reported now; its output resumes after task.logsSeen. No pod:
   * its work is gone ('lost'). Throws (and reports nothing) when the API
   * server cannot be asked.
   */
  async adopt (task: ExecutorTask): Promise<void> {
    const current = this.tracked.get(task.guid)
    if (current && current.state !== 'done' && current.runId === task.runId) return
    await this.startWatch()
    const pod = await findRunPod({ core: this.core, namespace: this.o.namespace, cached: () => this.watch.list(), retry: op => this.retry(op) }, task.guid, task.runId)
    const def = task.definition
    const entry: Tracked = {
      guid: task.guid,
      runId: task.runId,
      pod: pod?.metadata?.name ?? podName(task.guid, task.runId),
      uid: pod?.metadata?.uid,
      def,
      cursor: new LogCursor(def.log_source || DEFAULT_LOG_SOURCE, task.logsSeen ?? 0),
      // Deleting what is absent is harmless; what the creator made is not known here.
      owns: { secret: true, policy: true },
      state: 'running',
      cancelling: false,
      since: Date.now(),
      checking: false
    }
    this.tracked.set(task.guid, entry)
    if (!pod) {
      this.lose(entry, undefined, `pod ${entry.pod} of this task was gone when this replica took the task over`)
      return
    }
    this.system(entry, `watching pod ${entry.pod} again: the replica that started it stopped or was lost`)
    this.onPod(this.watch.get(entry.pod) ?? pod)
  }

  /** Stops watching the task; its pod is left to the replica that holds the task now. */
  async forget (guid: string): Promise<void> {
    const entry = this.tracked.get(guid)
    if (!entry) return
    this.tracked.delete(guid)
    entry.state = 'done'
    await this.unfollow(entry)
  }

  /** The run of every task pod in the namespace, whoever created it. */
  async listRuns (): Promise<RunRef[]> {
    await this.startWatch()
    return this.watch.list().flatMap(pod => {
      const run = runOf(pod)
      return run && !pod.metadata?.deletionTimestamp ? [run] : []
    })
  }

  /** Deletes the pods of a run (and their secret and policy), whatever their phase. */
  async removeRun (run: RunRef): Promise<void> {
    const entry = this.tracked.get(run.guid)
    if (entry && entry.runId === run.runId) entry.cancelling = true
    const pods = this.watch.list().filter(p => { const r = runOf(p); return r?.guid === run.guid && r.runId === run.runId })
    await Promise.all(pods.map(p => this.removeObjects(p.metadata!.name!, { secret: true, policy: true })))
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
    const node = pod.spec?.nodeName
    if (node && node !== entry.node) {
      entry.node = node
      this.emit({ type: 'placed', guid: entry.guid, cellId: node })
    }
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

  private lose (entry: Tracked, pod: V1Pod | undefined, why?: string): void {
    entry.state = 'done'
    void this.unfollow(entry)
    const disruption = pod?.status?.conditions?.find(c => c.type === 'DisruptionTarget' && c.status === 'True')
    const reason = why ?? (disruption
      ? `pod ${entry.pod} was evicted before the task finished: ${disruption.reason}${disruption.message ? `: ${disruption.message}` : ''}`
      : pod
        ? `pod ${entry.pod} was deleted before the task finished`
        : `pod ${entry.pod} disappeared before the task finished`)
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
    this.checkNodes().catch(err => this.o.log?.warn({ err: apiFailure(err).message }, 'checking the nodes of task pods failed'))
  }

  /** Tasks whose pod's node is gone are lost: their pods are force-deleted, since no kubelet will confirm a deletion. */
  private async checkNodes (): Promise<void> {
    const placed = [...this.tracked.values()].filter(e => e.state === 'running' && !e.cancelling && e.node)
    if (placed.length === 0) return
    const gone = await this.nodes.gone(placed.map(e => e.node!))
    for (const entry of placed) {
      if (!gone.has(entry.node!) || entry.state !== 'running' || entry.cancelling) continue
      // Lost first: the watch's delete event that follows is then not taken for another story.
      this.lose(entry, undefined, `node ${entry.node} of pod ${entry.pod} is gone`)
      await this.deleteIgnoringMissing(() => this.core.deleteNamespacedPod({ name: entry.pod, namespace: this.o.namespace, gracePeriodSeconds: 0 }))
        .catch(err => this.o.log?.warn({ err: apiFailure(err).message, guid: entry.guid }, 'deleting the pod of a lost node failed'))
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
