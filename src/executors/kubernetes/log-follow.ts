import type { KubeConfig } from '@kubernetes/client-node'
import { setTimeout as sleep } from 'node:timers/promises'
import type { CursorLine, LogCursor } from './log-cursor.ts'
import { readLog } from './pod-logs.ts'

const MIN_BACKOFF_MS = 500
const MAX_BACKOFF_MS = 30_000

export interface FollowOptions {
  kc: KubeConfig
  namespace: string
  pod: string
  container: string
  cursor: LogCursor
  emit (lines: CursorLine[]): void
  onError (err: unknown, retryInMs: number): void
}

/**
 * Follows one container's log (follow=true) while its pod runs. The stream
 * ends when the container exits, when the API server or kubelet closes it,
 * or when the connection drops; until stop() it is opened again after a
 * capped, growing pause, from where the cursor stands. stop() resolves once
 * no line will be taken any more, so the read after the pod finished
 * continues the same cursor.
 */
export class LogFollower {
  private readonly o: FollowOptions
  private stopped = false
  private abort?: AbortController
  private loop?: Promise<void>

  constructor (options: FollowOptions) {
    this.o = options
  }

  start (): void {
    this.loop ??= this.run()
  }

  private async run (): Promise<void> {
    let backoff = MIN_BACKOFF_MS
    while (!this.stopped) {
      const abort = this.abort = new AbortController()
      let took = false
      try {
        const { sinceTime } = this.o.cursor.beginRead()
        await readLog(this.o.kc, { namespace: this.o.namespace, pod: this.o.pod, container: this.o.container, follow: true, sinceTime }, line => {
          if (this.stopped) return
          took = true
          const lines = this.o.cursor.take(line)
          if (lines.length) this.o.emit(lines)
        }, abort.signal)
      } catch (err) {
        if (this.stopped) break
        this.o.onError(err, backoff)
      }
      if (this.stopped) break
      if (took) backoff = MIN_BACKOFF_MS
      await sleep(backoff, undefined, { signal: abort.signal }).catch(() => {})
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2)
    }
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.abort?.abort()
    await this.loop
  }
}

/**
 * A bound on follow streams: each is a connection to the API server and, via
 * it, to a kubelet, held for the life of a pod. Past the bound a task waits
 * for a free stream (first come, first served) and, if none frees up before
 * its pod ends, gets its output in one read at the end instead.
 */
export class StreamSlots {
  private free: number
  private readonly waiting = new Map<symbol, () => void>()

  constructor (max: number) {
    this.free = max
  }

  /** granted() runs when a stream may open; the answer gives the place (or the stream) back. */
  acquire (granted: () => void): () => void {
    const id = Symbol('stream')
    let held = false
    let done = false
    const grant = () => { held = true; granted() }
    if (this.free > 0) {
      this.free--
      grant()
    } else {
      this.waiting.set(id, grant)
    }
    return () => {
      if (done) return
      done = true
      if (!held) {
        this.waiting.delete(id)
        return
      }
      const next = this.waiting.entries().next()
      if (next.done) this.free++
      else {
        this.waiting.delete(next.value[0])
        next.value[1]()
      }
    }
  }
}
