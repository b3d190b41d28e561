import type { Executor, ExecutorListener, ExecutorTask } from '../../src/executors/executor.ts'

/**
 * An executor that completes every task at once, so that a benchmark measures
 * taskbbs's own overhead (claims, leases, recording) and nothing of running work.
 */
export class NoopExecutor implements Executor {
  readonly name = 'noop'
  readonly startedAt = new Map<string, number>()
  private readonly listeners = new Set<ExecutorListener>()
  unsupported () { return [] }
  async start (task: ExecutorTask): Promise<void> {
    this.startedAt.set(task.guid, performance.now())
    queueMicrotask(() => { for (const l of this.listeners) l({ type: 'completed', guid: task.guid, failed: false, failureReason: '', result: '' }) })
  }
  async cancel () {}
  observe (l: ExecutorListener) { this.listeners.add(l); return () => this.listeners.delete(l) }
  async cleanup () {}
  async close () {}
}
