import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ApiClient } from './api-client.ts'
import { cancel } from './commands/cancel.ts'
import { del } from './commands/delete.ts'
import { get } from './commands/get.ts'
import { list } from './commands/list.ts'
import { logs } from './commands/logs.ts'
import { submit } from './commands/submit.ts'
import { watch } from './commands/watch.ts'
import type { Context, Options } from './context.ts'
import { CliError, EXIT, usageError } from './exit-codes.ts'

type Command = (ctx: Context, args: string[], opts: Options) => Promise<number>

/** Each command and the options it takes besides the global ones. */
const COMMANDS: Record<string, { run: Command, options: string[] }> = {
  submit: { run: submit, options: ['domain', 'guid', 'wait', 'json', 'dry-run'] },
  get: { run: get, options: ['json'] },
  list: { run: list, options: ['domain', 'state', 'cell', 'limit', 'all', 'json'] },
  watch: { run: watch, options: ['domain', 'plain'] },
  logs: { run: logs, options: ['follow', 'json'] },
  cancel: { run: cancel, options: ['json'] },
  delete: { run: del, options: [] }
}

const OPTIONS = {
  server: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  domain: { type: 'string' },
  guid: { type: 'string' },
  wait: { type: 'boolean', short: 'w' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  state: { type: 'string' },
  cell: { type: 'string' },
  limit: { type: 'string' },
  all: { type: 'boolean' },
  plain: { type: 'boolean' },
  follow: { type: 'boolean', short: 'f' }
} as const

export const USAGE = `taskbbs — the command line of a taskbbs server (Diego BBS task API)

Usage: taskbbs COMMAND [ARGS] [OPTIONS]

Commands:
  submit FILE     desire the task a YAML or JSON task file describes; prints its guid
                    --domain D   domain when the file has none (else TASKBBS_DOMAIN, else "default")
                    --guid G     guid (else the file's, else generated from the file name)
                    --wait, -w   wait for completion; print the result (exit 1 if the task failed)
                    --dry-run    print the definition that would be sent, send nothing
                    --json       print the task as JSON
  get GUID        show a task (--json: as the API returns it)
  list            list tasks as a table
                    --domain D  --state PENDING|RUNNING|COMPLETED|RESOLVING  --cell ID
                    --limit N (default 100)  --all  --json
  watch [GUID]    follow task changes live (GET /v1/events); with GUID, until that task
                  completes (exit 0 succeeded, 1 failed)
                    --domain D   only this domain
                    --plain      one line per event, even on a terminal
  logs GUID       print a task's output   (--follow, -f: until it completes; --json: one object per line)
  cancel GUID     cancel a PENDING or RUNNING task
  delete GUID     resolve and delete a COMPLETED task (Diego: resolving, then delete)
  help            this text

Global options:
  --server URL    taskbbs server (env TASKBBS_URL; default http://127.0.0.1:8080)
  --token TOKEN   bearer token (env TASKBBS_TOKEN)
  --version       print the version

Exit codes:
  0  done              1  task failed, server error or server unreachable
  2  usage, bad file   3  task not found
  4  conflict (wrong state for this, guid taken)   5  unauthorized or forbidden

Task file (YAML or JSON): the API's TaskDefinition, plus
  commands: [..]  → a run of sh -c per command, in a serial    user: NAME  (default root)
  image: org/app:tag → root_fs docker:///org/app#tag             env: {NAME: value}
  \${{ env.NAME }} in any string is replaced by NAME from your environment.
`

function version (): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. Never calls process.exit. */
export async function main (argv: string[], io: Pick<Context, 'stdout' | 'stderr' | 'env' | 'signal'>): Promise<number> {
  try {
    let parsed
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
    } catch (err) {
      throw usageError((err as Error).message)
    }
    const { values, positionals } = parsed
    const [name, ...args] = positionals
    if (values.version) { io.stdout.write(`taskbbs ${version()}\n`); return EXIT.OK }
    if (values.help || name === 'help' || name === undefined) {
      (name === undefined && !values.help ? io.stderr : io.stdout).write(USAGE)
      return name === undefined && !values.help ? EXIT.USAGE : EXIT.OK
    }
    const command = COMMANDS[name]
    if (!command) throw usageError(`unknown command "${name}"; one of ${Object.keys(COMMANDS).join(', ')}`)
    const globals = ['server', 'token', 'help', 'version']
    for (const key of Object.keys(values)) {
      if (!globals.includes(key) && !command.options.includes(key)) throw usageError(`${name} does not take --${key}`)
    }
    const server = values.server ?? (io.env.TASKBBS_URL || 'http://127.0.0.1:8080')
    if (!/^https?:\/\/[^/]/.test(server)) throw usageError(`--server must be an http(s) URL such as http://127.0.0.1:8080, not ${JSON.stringify(server)}`)
    const token = values.token ?? (io.env.TASKBBS_TOKEN || undefined)
    const ctx: Context = { ...io, api: new ApiClient({ server, token }) }
    return await command.run(ctx, args, values as Options)
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`taskbbs: ${err.message}\n`)
      if (err.exitCode === EXIT.AUTH) io.stderr.write('Pass a token with --token or TASKBBS_TOKEN.\n')
      return err.exitCode
    }
    if (io.signal.aborted) return EXIT.OK
    io.stderr.write(`taskbbs: unexpected error: ${(err as Error).stack ?? String(err)}\n`)
    return EXIT.FAILED
  }
}
