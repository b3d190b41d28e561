import { type CoreV1Api, type KubeConfig, ListWatch, type V1Pod, Watch } from '@kubernetes/client-node'
import { withRetry } from './api-errors.ts'

export interface PodWatchOptions {
  kc: KubeConfig
  core: CoreV1Api
  namespace: string
  labelSelector: string
  /** A pod was added or changed (also called for every cached pod on resync). */
  onPod (pod: V1Pod): void
  onDelete (pod: V1Pod): void
  /** Called after each resync pass over the cache, for checks of tasks whose pod is missing. */
  onResync (): void
  onError (err: unknown, retryInMs: number): void
  resyncMs: number
}

const MIN_RESTART_MS = 500
const MAX_RESTART_MS = 30_000

/**
 * An informer over the task pods of one namespace: one list, then one watch
 * for all tasks, instead of a poll per task.
 *
 * States: idle → syncing (first list) → watching ⇄ restarting → stopped.
 * client-node's ListWatch relists after a 410 Gone and reconnects after the
 * watch's idle timeout by itself, but after any other error it calls the
 * error handler and stops; this class restarts it with capped exponential
 * backoff. The watch resumes from the last resourceVersion, and a relist
 * reports pods deleted meanwhile through onDelete. Every resyncMs every
 * cached pod is handed to onPod again (as client-go's resync does), so that
 * time-based rules (how long a pod has been unschedulable) are re-checked
 * without an event, and onResync lets the owner look for pods it expects
 * but the cache lacks.
 */
export class PodWatch {
  private readonly o: PodWatchOptions
  private informer?: ListWatch<V1Pod>
  private ready?: Promise<void>
  private synced = false
  private stopped = false
  private restartMs = MIN_RESTART_MS
  private restartTimer?: NodeJS.Timeout
  private resyncTimer?: NodeJS.Timeout

  constructor (options: PodWatchOptions) {
    this.o = options
  }

  /** Starts watching once; resolves after the first list, rejects if that list fails (the next call tries again). */
  start (): Promise<void> {
    this.ready ??= this.begin().catch(err => {
      this.ready = undefined
      throw err
    })
    return this.ready
  }

  private begin (): Promise<void> {
    this.stopped = false
    return new Promise<void>((resolve, reject) => {
      const path = `/api/v1/namespaces/${encodeURIComponent(this.o.namespace)}/pods`
      const list = async () => {
        const podList = await withRetry(() => this.o.core.listNamespacedPod({ namespace: this.o.namespace, labelSelector: this.o.labelSelector }))
        if (!this.synced) {
          this.synced = true
          // ListWatch hands the items to onPod right after this returns; resolve after that.
          setImmediate(resolve)
        }
        this.restartMs = MIN_RESTART_MS
        return podList
      }
      const informer = new ListWatch<V1Pod>(path, new Watch(this.o.kc), list, false, this.o.labelSelector)
      this.informer = informer
      const guard = (fn: (pod: V1Pod) => void) => (pod: V1Pod) => {
        try { fn(pod) } catch (err) { this.o.onError(err, 0) }
      }
      informer.on('add', guard(p => this.o.onPod(p)))
      informer.on('update', guard(p => this.o.onPod(p)))
      informer.on('delete', guard(p => this.o.onDelete(p)))
      informer.on('error', (err: unknown) => {
        if (this.stopped || this.informer !== informer) return
        if (!this.synced) {
          this.informer = undefined
          informer.stop().catch(() => {})
          reject(err)
          return
        }
        this.restart(informer, err)
      })
      informer.start().catch(err => {
        if (!this.synced) reject(err)
        else this.restart(informer, err)
      })
      this.resyncTimer = setInterval(() => this.resync(), this.o.resyncMs)
      this.resyncTimer.unref()
    }).catch(err => {
      clearInterval(this.resyncTimer)
      throw err
    })
  }

  private restart (informer: ListWatch<V1Pod>, err: unknown): void {
    const delay = this.restartMs
    this.restartMs = Math.min(MAX_RESTART_MS, this.restartMs * 2)
    this.o.onError(err, delay)
    clearTimeout(this.restartTimer)
    this.restartTimer = setTimeout(() => {
      if (this.stopped || this.informer !== informer) return
      informer.start().catch(e => this.restart(informer, e))
    }, delay)
    this.restartTimer.unref()
  }

  private resync (): void {
    if (!this.synced || this.stopped) return
    for (const pod of this.list()) {
      try { this.o.onPod(pod) } catch (err) { this.o.onError(err, 0) }
    }
    try { this.o.onResync() } catch (err) { this.o.onError(err, 0) }
  }

  get (name: string): V1Pod | undefined {
    return this.informer?.get(name, this.o.namespace)
  }

  list (): readonly V1Pod[] {
    return this.informer?.list(this.o.namespace) ?? []
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.restartTimer)
    clearInterval(this.resyncTimer)
    const informer = this.informer
    this.informer = undefined
    this.ready = undefined
    this.synced = false
    await informer?.stop()
  }
}
