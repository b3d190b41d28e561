import type { Context, Options } from '../context.ts'
import { EXIT, usageError } from '../exit-codes.ts'
import type { TaskView } from '../format.ts'

/** taskbbs cancel GUID: PENDING or RUNNING → COMPLETED, failed "task was cancelled". */
export async function cancel (ctx: Context, args: string[], opts: Options): Promise<number> {
  if (args.length !== 1) throw usageError('cancel takes one task guid: taskbbs cancel GUID')
  const task = await ctx.api.call<TaskView>('POST', `/v1/tasks/${encodeURIComponent(args[0])}/cancel`)
  ctx.stdout.write(opts.json ? JSON.stringify(task, null, 2) + '\n' : `${task.guid}: ${task.state}, ${task.failure_reason}\n`)
  return EXIT.OK
}
