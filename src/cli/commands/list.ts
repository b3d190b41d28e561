import type { Context, Options } from '../context.ts'
import { EXIT, usageError } from '../exit-codes.ts'
import { LIST_HEADER, listRow, table } from '../format.ts'
import { STATES, listTasks } from '../tasks.ts'

/** taskbbs list: tasks in desire order as a table (or JSON), filtered by domain, state and cell. */
export async function list (ctx: Context, args: string[], opts: Options): Promise<number> {
  if (args.length) throw usageError(`list takes no arguments (got ${args.join(' ')}); filter with --domain, --state, --cell`)
  const state = typeof opts.state === 'string' ? opts.state.toUpperCase() : undefined
  if (state !== undefined && !(STATES as readonly string[]).includes(state)) throw usageError(`--state must be one of ${STATES.join(', ')}`)
  const limit = opts.limit === undefined ? 100 : Number(opts.limit)
  if (!Number.isInteger(limit) || limit < 1) throw usageError('--limit must be a positive integer')
  const max = opts.all ? Number.MAX_SAFE_INTEGER : limit
  const { tasks, more } = await listTasks(ctx, { domain: opts.domain as string | undefined, state, cell_id: opts.cell as string | undefined }, max)
  if (opts.json) {
    ctx.stdout.write(JSON.stringify(tasks, null, 2) + '\n')
  } else if (tasks.length === 0) {
    ctx.stderr.write('no tasks\n')
  } else {
    const now = Date.now()
    ctx.stdout.write(table(LIST_HEADER, tasks.map(t => listRow(t, now))))
  }
  if (more) ctx.stderr.write(`(showing the first ${tasks.length}; --limit N or --all for more)\n`)
  return EXIT.OK
}
