import type { Context, Options } from '../context.ts'
import { EXIT, usageError } from '../exit-codes.ts'
import { LIST_HEADER, type TaskView, listRow, outcome, table } from '../format.ts'
import { followEvents } from '../sse.ts'
import { getTask, listTasks } from '../tasks.ts'

interface TaskEvent { id: string, type: 'task_created' | 'task_changed' | 'task_removed', guid: string, domain: string, state: string, at: string, task?: TaskView }

const DONE = new Set(['COMPLETED', 'RESOLVING'])

/**
 * taskbbs watch [GUID]: follows GET /v1/events. On a terminal it keeps a live
 * table of the tasks, redrawn as events arrive; otherwise (or with --plain) it
 * prints one line per event. With a GUID it follows that task only and exits
 * when it completes: 0 if it succeeded, 1 if it failed.
 */
export async function watch (ctx: Context, args: string[], opts: Options): Promise<number> {
  if (args.length > 1) throw usageError('watch takes at most one task guid: taskbbs watch [GUID]')
  const guid = args[0]
  // An unknown guid is answered at once (exit 3), before any stream is opened:
  // otherwise every reconnect would meet the same 404 and watch would never end.
  if (guid) await getTask(ctx, guid)
  const live = !opts.plain && Boolean(ctx.stdout.isTTY)
  const stop = new AbortController()
  ctx.signal.addEventListener('abort', () => stop.abort(), { once: true })
  let exitCode: number = EXIT.OK
  const finish = (task: TaskView | undefined, removed = false) => {
    if (stop.signal.aborted) return
    if (removed) ctx.stderr.write(`task ${guid} was deleted\n`)
    else if (task?.failed) { ctx.stderr.write(`task ${guid} failed: ${task.failure_reason}\n`); exitCode = EXIT.FAILED }
    else if (task) ctx.stderr.write(`task ${guid} succeeded\n`)
    stop.abort()
  }

  const tasks = new Map<string, TaskView>()
  let status = 'connecting'
  let drawTimer: NodeJS.Timeout | undefined
  const draw = () => {
    drawTimer = undefined
    const rows = [...tasks.values()].sort((a, b) => a.created_at.localeCompare(b.created_at)).map(t => listRow(t))
    const head = `taskbbs watch  ${ctx.api.server}  ${opts.domain ? `domain ${opts.domain}` : 'all domains'}  ${tasks.size} tasks  [${status}]  (Ctrl-C to stop)`
    ctx.stdout.write(`\x1b[H\x1b[2J${head}\n\n${table(LIST_HEADER, rows)}`)
  }
  const redraw = () => { if (live && !drawTimer) drawTimer = setTimeout(draw, 50) }
  const load = async () => {
    tasks.clear()
    if (guid) tasks.set(guid, await getTask(ctx, guid))
    else for (const t of (await listTasks(ctx, { domain: opts.domain as string | undefined }, 1000)).tasks) tasks.set(t.guid, t)
    redraw()
  }

  // The stream follows changes from the moment the server subscribes it, a
  // little after the response starts; a slow look at the task covers that gap.
  const check = guid
    ? setInterval(() => {
      getTask(ctx, guid).then(t => { if (DONE.has(t.state)) finish(t) }, err => { if ((err as { status?: number }).status === 404) finish(undefined, true) })
    }, 3000)
    : undefined

  // Ages in the live table move on even when nothing happens.
  const tick = live ? setInterval(redraw, 1000) : undefined

  try {
    await followEvents(ctx.api, {
      domain: opts.domain as string | undefined,
      signal: stop.signal,
      onOpen: async (resumed) => {
        status = 'live'
        if (!resumed) {
          // Listed after the stream is open, so a change made meanwhile arrives as an event too.
          if (live || guid) await load()
          const t = guid ? tasks.get(guid) : undefined
          if (t && DONE.has(t.state)) finish(t)
        }
        redraw()
      },
      onMessage: (m) => {
        if (m.event === 'reset') {
          if (!live) ctx.stderr.write('events were missed (the server pruned them); listing again\n')
          return load()
        }
        if (!m.event.startsWith('task_')) return
        const e = JSON.parse(m.data) as TaskEvent
        if (guid && e.guid !== guid) return
        if (e.type === 'task_removed') tasks.delete(e.guid)
        else if (e.task) tasks.set(e.guid, e.task)
        if (live) redraw()
        else {
          const t = e.task
          const time = e.at.slice(11, 23)
          ctx.stdout.write(`${time}  ${e.type.padEnd(12)}  ${e.guid}  ${e.domain}  ${e.state.padEnd(9)}  ${t ? outcome(t) : ''}`.trimEnd() + '\n')
        }
        if (guid && e.type === 'task_removed') finish(undefined, true)
        else if (guid && e.task && DONE.has(e.state)) finish(e.task)
      },
      onDrop: (reason) => {
        status = `reconnecting: ${reason}`
        if (live) redraw()
        else ctx.stderr.write(`lost the event stream (${reason}); reconnecting\n`)
      }
    })
  } finally {
    clearInterval(check)
    clearInterval(tick)
    clearTimeout(drawTimer)
    if (live && tasks.size) draw()
  }
  return exitCode
}
