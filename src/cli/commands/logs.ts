import type { Context, Options } from '../context.ts'
import { EXIT, usageError } from '../exit-codes.ts'
import { getTask } from '../tasks.ts'

interface LogLine { seq: number, at: string, source: string, stream: 'stdout' | 'stderr' | 'system', line: string }

/**
 * taskbbs logs GUID: the task's output. stdout lines go to stdout, stderr lines
 * to stderr, system messages to stderr marked [system]; --json prints every line
 * as one JSON object per line. --follow reads on until the task completes.
 */
export async function logs (ctx: Context, args: string[], opts: Options): Promise<number> {
  if (args.length !== 1) throw usageError('logs takes one task guid: taskbbs logs GUID')
  const guid = args[0]
  const path = `/v1/tasks/${encodeURIComponent(guid)}/logs`
  let after = 0
  const drain = async () => {
    for (;;) {
      const page = await ctx.api.call<{ lines: LogLine[] }>('GET', `${path}?after_seq=${after}&limit=1000`)
      for (const l of page.lines) {
        if (opts.json) ctx.stdout.write(JSON.stringify(l) + '\n')
        else if (l.stream === 'stdout') ctx.stdout.write(l.line + '\n')
        else ctx.stderr.write((l.stream === 'system' ? '[system] ' : '') + l.line + '\n')
        after = l.seq
      }
      if (page.lines.length < 1000) return
    }
  }
  await drain()
  if (!opts.follow) return EXIT.OK
  for (;;) {
    const task = await getTask(ctx, guid)
    // Output is flushed about every second while a task runs, and once more as it completes.
    if (task.state === 'COMPLETED' || task.state === 'RESOLVING') { await drain(); return EXIT.OK }
    await new Promise(resolve => setTimeout(resolve, 500))
    if (ctx.signal.aborted) return EXIT.OK
    await drain()
  }
}
