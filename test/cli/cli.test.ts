/**
 * The taskbbs CLI as a user runs it: the real bin/taskbbs.ts, started through
 * its `#!/usr/bin/env node` line with the project's Node first on PATH (as
 * `npm exec taskbbs` does), against a real server over a real database.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import t from 'tap'
import { closedPort } from '../helpers/receiver.ts'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'

const BIN = new URL('../../bin/taskbbs.ts', import.meta.url).pathname
const db = await testDatabase(t)
const server = await startServerProcess(t, { DATABASE_URL: db.url, TASKBBS_MODE: 'development' })
const dir = await mkdtemp(join(tmpdir(), 'taskbbs-cli-'))

interface Run { code: number | null, stdout: string, stderr: string }

/** Starts the CLI; `done` resolves when it exits. */
function start (args: string[], env: Record<string, string> = {}) {
  const child = spawn(BIN, args, {
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, TASKBBS_URL: server.url, TASKBBS_TOKEN: '', TASKBBS_DOMAIN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const run: Run = { code: null, stdout: '', stderr: '' }
  child.stdout.on('data', d => { run.stdout += d })
  child.stderr.on('data', d => { run.stderr += d })
  const done = new Promise<Run>(resolve => child.on('close', code => { run.code = code; resolve(run) }))
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  return { child, run, done }
}

const cli = (args: string[], env: Record<string, string> = {}) => start(args, env).done

async function file (name: string, text: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

async function until (what: string, pred: () => boolean, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}

const answer42 = await file('answer.taskbbs.yml', `# The README's example, dstack style
type: task
domain: cli
image: busybox
commands:
  - echo hello from \${{ env.WHO }}
  - echo 42 > result.txt
result_file: result.txt
env:
  GREETING: hi
`)

t.test('submit --wait runs a YAML task file and prints its result', async t => {
  const r = await cli(['submit', answer42, '--wait'], { WHO: 'the test' })
  t.equal(r.code, 0, r.stderr)
  t.equal(r.stdout, '42\n', 'stdout is the result alone, for $(taskbbs submit --wait)')
  t.match(r.stderr, /submitted answer-[0-9a-f]{8} \(domain cli\)/, 'the guid is generated from the file name')
})

t.test('submit expands commands, image, env and ${{ env.X }}, with defaults for guid and domain', async t => {
  const f = await file('expand.yml', `image: ghcr.io/org/app:1.2
user: vcap
commands: ["cd /tmp && echo \${{ env.WHO }}"]
env: [PLAIN=1, FROM_HOME]
`)
  const r = await cli(['submit', f, '--dry-run'], { WHO: 'me', FROM_HOME: 'home value', TASKBBS_DOMAIN: 'from-env' })
  t.equal(r.code, 0, r.stderr)
  const def = JSON.parse(r.stdout)
  t.match(def.guid, /^expand-[0-9a-f]{8}$/)
  t.equal(def.domain, 'from-env', 'TASKBBS_DOMAIN when the file and flags name none')
  t.equal(def.root_fs, 'docker://ghcr.io/org/app#1.2')
  t.same(def.action, { run: { path: 'sh', args: ['-c', 'cd /tmp && echo me'], user: 'vcap' } }, 'one command is one run')
  t.same(def.env, [{ name: 'PLAIN', value: '1' }, { name: 'FROM_HOME', value: 'home value' }], 'a bare NAME comes from the environment')

  const flags = await cli(['submit', f, '--dry-run', '--domain', 'flagged', '--guid', 'chosen'], { WHO: 'me', FROM_HOME: 'x', TASKBBS_DOMAIN: 'from-env' })
  t.match(JSON.parse(flags.stdout), { guid: 'chosen', domain: 'flagged' }, 'flags win')

  const defaults = await cli(['submit', await file('plain.json', '{"root_fs": "docker:///busybox#latest", "action": {"run": {"path": "true", "user": "root"}}}'), '--dry-run'])
  t.match(JSON.parse(defaults.stdout), { domain: 'default', action: { run: { path: 'true' } } }, 'JSON files are task files too, domain "default"')
  const image = await cli(['submit', await file('image.yml', 'image: python:3.11\ncommands: [python -V]\n'), '--dry-run'])
  t.equal(JSON.parse(image.stdout).root_fs, 'docker:///library/python#3.11', 'a Docker Hub image without an org is library/')
})

t.test('submit prints the guid; get, list and logs show the task', async t => {
  const submitted = await cli(['submit', answer42, '--guid', 'cli-shown'], { WHO: 'list' })
  t.equal(submitted.code, 0, submitted.stderr)
  t.equal(submitted.stdout, 'cli-shown\n')
  const watched = await cli(['watch', 'cli-shown'])
  t.equal(watched.code, 0, 'watch GUID exits 0 when the task succeeds')

  const got = await cli(['get', 'cli-shown'])
  t.equal(got.code, 0)
  t.match(got.stdout, /^guid: +cli-shown$/m)
  t.match(got.stdout, /^state: +COMPLETED \(succeeded\)$/m)
  t.match(got.stdout, /^result: +42$/m)
  const json = JSON.parse((await cli(['get', 'cli-shown', '--json'])).stdout)
  t.match(json, { guid: 'cli-shown', state: 'COMPLETED', result: '42\n', failed: false })

  const table = await cli(['list', '--domain', 'cli', '--state', 'completed'])
  t.equal(table.code, 0)
  const [header, ...rows] = table.stdout.trimEnd().split('\n')
  t.match(header, /^GUID +DOMAIN +STATE +AGE +CELL +OUTCOME$/)
  t.ok(rows.some(r => /^cli-shown +cli +COMPLETED +\d+s +\S+ +42$/.test(r)), `a row for cli-shown in\n${table.stdout}`)
  const listed = JSON.parse((await cli(['list', '--domain', 'cli', '--json'])).stdout) as Array<{ guid: string, domain: string }>
  t.ok(listed.some(x => x.guid === 'cli-shown') && listed.every(x => x.domain === 'cli'), '--json lists the domain only')
  const none = await cli(['list', '--domain', 'no-such-domain'])
  t.equal(none.stdout, '')
  t.equal(none.stderr, 'no tasks\n')

  const logs = await cli(['logs', 'cli-shown'])
  t.equal(logs.code, 0)
  t.equal(logs.stdout, 'hello from list\n')
})

t.test('logs --follow reads on until the task completes; stderr lines go to stderr', async t => {
  const slow = await file('slow.yml', 'domain: cli\nroot_fs: preloaded:cflinuxfs4\ncommands: ["for i in 1 2 3; do echo tick $i; echo warn $i >&2; sleep 0.5; done"]\n')
  const guid = (await cli(['submit', slow])).stdout.trim()
  const r = await cli(['logs', guid, '--follow'])
  t.equal(r.code, 0)
  t.equal(r.stdout, 'tick 1\ntick 2\ntick 3\n')
  t.equal(r.stderr, 'warn 1\nwarn 2\nwarn 3\n')
  const json = (await cli(['logs', guid, '--json'])).stdout.trim().split('\n').map(l => JSON.parse(l))
  t.match(json[1], { seq: 2, stream: 'stderr', line: 'warn 1', source: 'TASK' })
})

t.test('delete resolves and deletes a completed task; it is then not found (exit 3)', async t => {
  t.equal((await cli(['submit', answer42, '--guid', 'cli-delete', '--wait'], { WHO: 'd' })).code, 0)
  const deleted = await cli(['delete', 'cli-delete'])
  t.equal(deleted.code, 0, deleted.stderr)
  t.equal(deleted.stdout, 'deleted cli-delete\n')
  const gone = await cli(['get', 'cli-delete'])
  t.equal(gone.code, 3)
  t.match(gone.stderr, /task cli-delete was not found \(404 TASK_NOT_FOUND\)/)
})

t.test('cancel stops a running task; what its state forbids exits 4', async t => {
  const sleepy = await file('sleepy.yml', 'domain: cli\nroot_fs: preloaded:cflinuxfs4\ncommands: ["sleep 600"]\n')
  t.equal((await cli(['submit', sleepy, '--guid', 'cli-sleepy'])).code, 0)
  const early = await cli(['delete', 'cli-sleepy'])
  t.equal(early.code, 4, 'a task that has not completed cannot be deleted')
  t.match(early.stderr, /cancel a PENDING or RUNNING one first \(taskbbs cancel cli-sleepy\)/)
  const cancelled = await cli(['cancel', 'cli-sleepy'])
  t.equal(cancelled.code, 0, cancelled.stderr)
  t.equal(cancelled.stdout, 'cli-sleepy: COMPLETED, task was cancelled\n')
  const again = await cli(['cancel', 'cli-sleepy'])
  t.equal(again.code, 4)
  t.match(again.stderr, /409 INVALID_STATE_TRANSITION/)
  const watched = await cli(['watch', 'cli-sleepy'])
  t.equal(watched.code, 1, 'watch GUID exits 1 for a failed (here: cancelled) task')
  t.match(watched.stderr, /task cli-sleepy failed: task was cancelled/)
})

t.test('a failing task: submit --wait exits 1 with the reason', async t => {
  const failing = await file('failing.yml', 'domain: cli\nroot_fs: preloaded:cflinuxfs4\ncommands: ["echo about to fail", "exit 3", "echo never"]\n')
  const r = await cli(['submit', failing, '--wait'])
  t.equal(r.code, 1)
  t.equal(r.stdout, '')
  t.match(r.stderr, /failed: run sh: exited with status 3/)
})

t.test('watch GUID of an unknown task says so and exits 3 instead of waiting', async t => {
  const w = start(['watch', 'cli-no-such-task'])
  const timer = setTimeout(() => w.child.kill('SIGKILL'), 15_000)
  const run = await w.done
  clearTimeout(timer)
  t.equal(run.code, 3, 'exit code 3: no such task')
  t.match(run.stderr, /cli-no-such-task/, 'the message names the guid')
})

t.test('watch prints one line per event when stdout is not a terminal, and stops on SIGINT with 0', async t => {
  const w = start(['watch', '--domain', 'cli-watch'])
  await new Promise(resolve => setTimeout(resolve, 700)) // the stream opens
  t.equal((await cli(['submit', answer42, '--guid', 'cli-watched', '--domain', 'cli-watch'], { WHO: 'w' })).code, 0)
  await until('the COMPLETED event', () => /COMPLETED/.test(w.run.stdout))
  w.child.kill('SIGINT')
  const r = await w.done
  t.equal(r.code, 0)
  const lines = r.stdout.trimEnd().split('\n')
  t.match(lines[0], /^\d\d:\d\d:\d\d\.\d{3} +task_created +cli-watched +cli-watch +PENDING$/)
  t.match(lines.at(-1), /^\d\d:\d\d:\d\d\.\d{3} +task_changed +cli-watched +cli-watch +COMPLETED +42$/)
  t.ok(lines.some(l => / RUNNING/.test(l)), 'the RUNNING change is seen')
})

t.test('a file that cannot be parsed names the file, line and column (exit 2)', async t => {
  const yaml = await file('broken.yml', 'domain: cli\ncommands:\n  - echo hi\n result_file: x\n')
  const r = await cli(['submit', yaml])
  t.equal(r.code, 2)
  t.match(r.stderr, `taskbbs: ${yaml} is not a valid task file:\n  ${yaml}:4:`)

  const json = await file('twice.json', '{\n  "domain": "a",\n  "domain": "b"\n}\n')
  const dup = await cli(['submit', json])
  t.equal(dup.code, 2)
  t.match(dup.stderr, `${json}:3:3: Map keys must be unique`)

  const list = await cli(['submit', await file('list.yml', '- a\n- b\n')])
  t.equal(list.code, 2)
  t.match(list.stderr, /the file must hold a mapping of task fields/)

  const missing = await cli(['submit', join(dir, 'absent.yml')])
  t.equal(missing.code, 2)
  t.match(missing.stderr, /cannot read the task file .*absent\.yml: no such file/)
})

t.test('bad fields in the file are reported with their path and line (exit 2)', async t => {
  const f = await file('fields.yml', `domain: cli
root_fs: preloaded:cflinuxfs4
commands:
  - echo \${{ env.UNSET_FOR_THE_TEST }}
  - ""
  - echo \${{ secrets.X }}
user: root
`)
  const r = await cli(['submit', f])
  t.equal(r.code, 2)
  t.equal(r.stderr, `taskbbs: ${f} is not a valid task file:
  ${f}:4:5: commands[0]: \${{ env.UNSET_FOR_THE_TEST }}: the environment variable UNSET_FOR_THE_TEST is not set
  ${f}:6:5: commands[2]: \${{ secrets.X }} is not supported: only \${{ env.NAME }} is
  ${f}:5:5: commands[1]: must be a shell command (a non-empty string)
`)
})

t.test("the server's 422 field errors point at the file's lines (exit 2)", async t => {
  const f = await file('refused.yml', `guid: bad guid
domain: cli
root_fs: ftp://nope
cpu_weight: 0
mystery: 1
action:
  run:
    path: sh
`)
  const r = await cli(['submit', f])
  t.equal(r.code, 2)
  t.match(r.stderr, `taskbbs: the server refused ${f} (422 VALIDATION_FAILED):`)
  t.match(r.stderr, `${f}:1:1: guid: `)
  t.match(r.stderr, `${f}:3:1: root_fs: is not valid`)
  t.match(r.stderr, `${f}:4:1: cpu_weight: must be >= 1`)
  t.match(r.stderr, `${f}:5:1: mystery: is not a known field`)
  t.match(r.stderr, `${f}:7:3: action.run.user: is required`, 'a missing field points at its parent')

  const expanded = await file('expanded.yml', 'domain: cli\nroot_fs: preloaded:cflinuxfs4\ncommands:\n  - echo ok\n  - echo also ok\nuser: "bad\\u0001user"\n')
  const e = await cli(['submit', expanded])
  t.equal(e.code, 2)
  t.match(e.stderr, `${expanded}:4:5: action.serial.actions[0].run.user: `, 'errors in expanded commands point at the command')
})

t.test('a taken guid exits 4', async t => {
  t.equal((await cli(['submit', answer42, '--guid', 'cli-twice'], { WHO: 'x' })).code, 0)
  const r = await cli(['submit', answer42, '--guid', 'cli-twice'], { WHO: 'x' })
  t.equal(r.code, 4)
  t.match(r.stderr, /cli-twice already exists.*409 TASK_EXISTS/)
})

t.test('usage errors exit 2; help exits 0', async t => {
  t.equal((await cli(['help'])).code, 0)
  t.match((await cli(['--help'])).stdout, /^Exit codes:$/m)
  const none = await cli([])
  t.equal(none.code, 2, 'no command is a usage error')
  for (const args of [['frob'], ['get'], ['list', '--state', 'DONE'], ['get', 'x', '--wait'], ['list', '--bogus'], ['list', '--server', 'ftp://x']]) {
    const r = await cli(args)
    t.equal(r.code, 2, args.join(' '))
    t.match(r.stderr, /Run "taskbbs help" for usage\./)
  }
  t.match((await cli(['--version'])).stdout, /^taskbbs \d+\.\d+\.\d+\n$/)
})

t.test('an unreachable server exits 1 and says where it looked', async t => {
  const url = `http://127.0.0.1:${await closedPort()}`
  const r = await cli(['list'], { TASKBBS_URL: url })
  t.equal(r.code, 1)
  t.match(r.stderr, `cannot reach the taskbbs server at ${url}: ECONNREFUSED`)
})

t.test('with authentication on: no token exits 5, --token or TASKBBS_TOKEN works', async t => {
  const token = 'cli-test-token-0123456789'
  const secured = await startServerProcess(t, {
    DATABASE_URL: db.url,
    TASKBBS_MODE: 'production',
    TASKBBS_SCHEDULER: 'false',
    TASKBBS_TOKENS: JSON.stringify([{ name: 'cli', token, domains: ['cli'], role: 'write' }])
  })
  const denied = await cli(['list'], { TASKBBS_URL: secured.url })
  t.equal(denied.code, 5)
  t.match(denied.stderr, /401 UNAUTHORIZED[\s\S]*Pass a token with --token or TASKBBS_TOKEN/)
  const bad = await cli(['list', '--token', 'not-the-token-at-all'], { TASKBBS_URL: secured.url })
  t.equal(bad.code, 5)
  const ok = await cli(['list', '--domain', 'cli', '--json', '--token', token], { TASKBBS_URL: secured.url })
  t.equal(ok.code, 0, ok.stderr)
  t.ok(JSON.parse(ok.stdout).length > 0)
  const forbidden = await cli(['submit', answer42, '--domain', 'other'], { TASKBBS_URL: secured.url, TASKBBS_TOKEN: token, WHO: 'x' })
  t.equal(forbidden.code, 5, 'a domain the token does not cover is forbidden')
  t.match(forbidden.stderr, /403 FORBIDDEN/)
})
