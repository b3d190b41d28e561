import type { Context } from './context.ts'
import type { TaskView } from './format.ts'

export const STATES = ['PENDING', 'RUNNING', 'COMPLETED', 'RESOLVING'] as const

export function getTask (ctx: Context, guid: string): Promise<TaskView> {
  return ctx.api.call<TaskView>('GET', `/v1/tasks/${encodeURIComponent(guid)}`)
}

export interface ListFilter {
  domain?: string
  state?: string
  cell_id?: string
}

/** Every task matching the filter, following next_cursor (at most `max`). */
export async function listTasks (ctx: Context, filter: ListFilter, max: number): Promise<{ tasks: TaskView[], more: boolean }> {
  const tasks: TaskView[] = []
  let cursor: string | undefined
  for (;;) {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, v)
    q.set('limit', String(Math.min(1000, max - tasks.length)))
    if (cursor) q.set('cursor', cursor)
    const page = await ctx.api.call<{ tasks: TaskView[], next_cursor?: string }>('GET', `/v1/tasks?${q}`)
    tasks.push(...page.tasks)
    cursor = page.next_cursor
    if (!cursor || tasks.length >= max) return { tasks, more: Boolean(cursor) }
  }
}

/** Resolves when the task is COMPLETED (or gone), polling; events would be faster but polling needs no stream. */
export async function waitForCompletion (ctx: Context, guid: string, intervalMs = 250): Promise<TaskView> {
  for (;;) {
    const task = await getTask(ctx, guid)
    if (task.state === 'COMPLETED' || task.state === 'RESOLVING') return task
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, intervalMs)
      ctx.signal.addEventListener('abort', () => { clearTimeout(timer); reject(ctx.signal.reason) }, { once: true })
    })
  }
}
