// What the page knows: the tasks as the API shows them, and each task's state
// history as this page observed it.
import { api } from './api.js'

const MAX_TASKS = 10_000 // listed at load; a larger server is filtered by domain first

export const tasks = new Map() // guid → task
export const observed = new Map() // guid → [{ at, state, failed, note }]
export const removed = new Set() // guids deleted while the page watched them
export const listing = { truncated: false, max: MAX_TASKS }

function record (guid, entry) {
  const h = observed.get(guid) || []
  h.push(entry)
  observed.set(guid, h)
}

function observe (task, note) {
  const h = observed.get(task.guid) || []
  const last = h[h.length - 1]
  if (!last || last.state !== task.state || last.failed !== task.failed) {
    record(task.guid, { at: note === 'listed' ? task.updated_at : new Date().toISOString(), state: task.state, failed: task.failed, note })
  }
}

/** Applies one event; a listed task newer than the event (they can cross at load) is kept. */
export function apply (event) {
  if (event.type === 'task_removed') {
    tasks.delete(event.guid)
    removed.add(event.guid)
    record(event.guid, { at: event.at, state: 'deleted', failed: false, note: 'task_removed' })
    return
  }
  const current = tasks.get(event.guid)
  if (current && current.updated_at > event.task.updated_at) return
  tasks.set(event.guid, event.task)
  removed.delete(event.guid)
  record(event.guid, { at: event.at, state: event.state, failed: event.task.failed, note: event.type })
}

export async function loadTasks () {
  const listed = []
  let cursor = ''
  do {
    const page = await api(`/v1/tasks?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    listed.push(...page.tasks)
    cursor = page.next_cursor || ''
  } while (cursor && listed.length < MAX_TASKS)
  listing.truncated = Boolean(cursor)
  tasks.clear()
  for (const t of listed) { tasks.set(t.guid, t); observe(t, 'listed') }
}
