import type { Context, Options } from '../context.ts'
import { EXIT, usageError } from '../exit-codes.ts'
import { describe } from '../format.ts'
import { getTask } from '../tasks.ts'

/** taskbbs get GUID: one task, summarised, or as the API returns it with --json. */
export async function get (ctx: Context, args: string[], opts: Options): Promise<number> {
  if (args.length !== 1) throw usageError('get takes one task guid: taskbbs get GUID')
  const task = await getTask(ctx, args[0])
  ctx.stdout.write(opts.json ? JSON.stringify(task, null, 2) + '\n' : describe(task))
  return EXIT.OK
}
