import type { CoreV1Api, V1Pod } from '@kubernetes/client-node'
import { apiFailure, withRetry } from './api-errors.ts'
import type { ActionPlan } from './plan.ts'

/**
 * Task output, read once per container when the pod has finished (GET
 * pods/NAME/log), not streamed: one request per container at the end scales
 * to thousands of tasks where a follow stream per pod would not. The API
 * merges stdout and stderr, so every line is reported as stdout.
 * suppress_log_output skips a run action's container, as in Diego.
 */
export interface LogLine { source: string, stream: 'stdout' | 'system', line: string }

const READ_TIMEOUT_MS = 10_000

/** A small counting semaphore: log reads of many finishing pods must not swamp the API server. */
export class Slots {
  private free: number
  private readonly waiting: Array<() => void> = []
  constructor (n: number) { this.free = n }
  async run<T> (fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else await new Promise<void>(resolve => this.waiting.push(resolve))
    try {
      return await fn()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }
}

function withTimeout<T> (p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms) })
  return Promise.race([p, expired]).finally(() => clearTimeout(timer))
}

export async function readPodLogs (core: CoreV1Api, pod: V1Pod, plan: ActionPlan, defaultSource: string, maxBytes: number): Promise<LogLine[]> {
  const name = pod.metadata!.name!
  const namespace = pod.metadata!.namespace!
  const ran = new Set([...pod.status?.initContainerStatuses ?? [], ...pod.status?.containerStatuses ?? []]
    .filter(s => s.state?.terminated || s.state?.running).map(s => s.name))
  const out: LogLine[] = []
  for (const step of plan.steps) {
    if (step.run?.suppressLogOutput || !ran.has(step.container)) continue
    const source = step.logSource ?? defaultSource
    try {
      const text = await withTimeout(withRetry(() => core.readNamespacedPodLog({ name, namespace, container: step.container, limitBytes: maxBytes })), READ_TIMEOUT_MS)
      const lines = text.split('\n')
      if (lines[lines.length - 1] === '') lines.pop()
      for (const line of lines) out.push({ source, stream: 'stdout', line })
      if (Buffer.byteLength(text) >= maxBytes) out.push({ source, stream: 'system', line: `output of container ${step.container} cut at ${maxBytes} bytes` })
    } catch (err) {
      out.push({ source, stream: 'system', line: `output of container ${step.container} could not be read: ${apiFailure(err).message}` })
    }
  }
  return out
}
