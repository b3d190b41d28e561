import { ApiError } from '../api-client.ts'
import type { Context, Options } from '../context.ts'
import { CliError, EXIT, usageError } from '../exit-codes.ts'
import type { TaskView } from '../format.ts'
import { loadTaskFile } from '../task-file.ts'
import { waitForCompletion } from '../tasks.ts'

/**
 * taskbbs submit FILE: desire the task a file describes. Prints the guid, or
 * with --wait the result once the task completes (exit 1 if it failed).
 */
export async function submit (ctx: Context, args: string[], opts: Options): Promise<number> {
  if (args.length !== 1) throw usageError('submit takes one task file: taskbbs submit FILE')
  const file = args[0]
  const taskFile = await loadTaskFile(file, { env: ctx.env, guid: opts.guid as string | undefined, domain: opts.domain as string | undefined })
  if (opts['dry-run']) {
    ctx.stdout.write(JSON.stringify(taskFile.definition, null, 2) + '\n')
    return EXIT.OK
  }
  let task: TaskView
  try {
    task = await ctx.api.call<TaskView>('POST', '/v1/tasks', taskFile.definition)
  } catch (err) {
    if (err instanceof ApiError && err.problem?.errors?.length) {
      // The server names each bad field as the API sees it; point at the file's lines instead.
      const lines = err.problem.errors.map(e => `${taskFile.locate(e.field)}: ${e.field}: ${e.message}`)
      throw new CliError(err.exitCode, `the server refused ${file} (${err.status} ${err.problem.code}):\n  ${lines.join('\n  ')}`)
    }
    if (err instanceof ApiError && err.problem?.code === 'TASK_EXISTS') {
      throw new CliError(EXIT.CONFLICT, `${err.problem.detail} (409 TASK_EXISTS)\nLeave guid out of ${file} to get a fresh one, or pass --guid.`)
    }
    throw err
  }
  if (!opts.wait) {
    ctx.stdout.write(opts.json ? JSON.stringify(task, null, 2) + '\n' : `${task.guid}\n`)
    return EXIT.OK
  }
  ctx.stderr.write(`submitted ${task.guid} (domain ${task.domain}); waiting for it to complete…\n`)
  const done = await waitForCompletion(ctx, task.guid)
  if (opts.json) ctx.stdout.write(JSON.stringify(done, null, 2) + '\n')
  else if (!done.failed) ctx.stdout.write(done.result)
  if (done.failed) {
    ctx.stderr.write(`task ${done.guid} failed: ${done.failure_reason}\n`)
    return EXIT.FAILED
  }
  return EXIT.OK
}
