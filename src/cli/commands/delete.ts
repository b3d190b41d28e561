import { ApiError } from '../api-client.ts'
import type { Context, Options } from '../context.ts'
import { CliError, EXIT, usageError } from '../exit-codes.ts'

/**
 * taskbbs delete GUID: Diego's two steps, resolving (COMPLETED → RESOLVING,
 * which claims the task) then delete. A task that is not COMPLETED is refused
 * with exit code 4: cancel a PENDING or RUNNING one first.
 */
export async function del (ctx: Context, args: string[], _opts: Options): Promise<number> {
  if (args.length !== 1) throw usageError('delete takes one task guid: taskbbs delete GUID')
  const path = `/v1/tasks/${encodeURIComponent(args[0])}`
  try {
    await ctx.api.call('POST', `${path}/resolving`)
  } catch (err) {
    if (err instanceof ApiError && err.problem?.code === 'INVALID_STATE_TRANSITION') {
      throw new CliError(EXIT.CONFLICT, `${err.message}\nOnly a COMPLETED task can be deleted; cancel a PENDING or RUNNING one first (taskbbs cancel ${args[0]}).`)
    }
    throw err
  }
  await ctx.api.call('DELETE', path)
  ctx.stdout.write(`deleted ${args[0]}\n`)
  return EXIT.OK
}
