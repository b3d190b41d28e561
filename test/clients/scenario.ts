import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { getTask } from '../../src/store/tasks.ts'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'

export const exec = promisify(execFile)
export const ROOT = new URL('../../', import.meta.url).pathname
export const CLIENTS = new URL('../../clients/', import.meta.url).pathname

export type Client = 'typescript' | 'python' | 'go'

/** A program to run: the client's example, installed as a user would install the client. */
export interface Program { file: string, args: string[], cwd: string, env?: Record<string, string> }

/**
 * The scenario every client runs as a separate program, installed by path into a
 * fresh project (a venv, an npm project, a Go module) in a temporary directory,
 * against a real server with a token that covers one domain only and a callback
 * signing secret. Read from the environment, as a user's program would:
 * a bad desire answers a typed 422 and one into another domain 403; desire
 * `echo 42 > result.txt`, wait for completion through the events stream, read "42",
 * find it listed, resolving, delete, then 404; replay the task's events, then resume
 * after the first: the rest, none twice; a second task's completion callback
 * verifies with the signing secret and an altered body does not.
 */
export function clientScenario (t: Test, client: Client, install: (dir: string) => Promise<Program>) {
  // Installing a toolchain or dependencies on a fresh machine takes a while; later runs reuse caches.
  t.setTimeout(360_000)
  return t.test(`the ${client} client, installed by path, desires a task, follows its events, reads "42", verifies a signed callback`, async t => {
    const started = Date.now()
    const dir = await mkdtemp(join(tmpdir(), `taskbbs-${client}-client-`))
    t.teardown(() => rm(dir, { recursive: true, force: true }))
    const token = randomBytes(24).toString('hex')
    const domain = `pkg-${client}`
    const secret = `whsec_${randomBytes(32).toString('base64')}`
    const db = await testDatabase(t)
    const [server, program] = await Promise.all([
      startServerProcess(t, {
        DATABASE_URL: db.url,
        TASKBBS_MODE: 'development',
        TASKBBS_TOKENS: JSON.stringify([{ name: 'clients', token, domains: [domain], role: 'write' }]),
        TASKBBS_CALLBACK_SIGNING_SECRET: secret
      }),
      install(dir)
    ])
    const installed = Date.now()
    const guid = `${client}-client-test`
    const { stdout } = await exec(program.file, program.args, {
      cwd: program.cwd,
      env: { ...process.env, ...program.env, TASKBBS_URL: server.url, TASKBBS_TOKEN: token, TASKBBS_DOMAIN: domain, TASKBBS_CALLBACK_SIGNING_SECRET: secret },
      timeout: 120_000
    })
    const seen = JSON.parse(stdout)
    const events: string[] = seen.events
    delete seen.events
    t.same(seen, {
      client,
      guid,
      bad_field: 'guid',
      other_domain: 'FORBIDDEN',
      result: '42',
      after_delete: 'TASK_NOT_FOUND',
      resumed_after_first: true,
      forged_refused: true,
      callback: { task_guid: `${guid}-cb`, result: '7' }
    })
    t.equal(events[0], 'task_created:PENDING', 'the history starts with the desire')
    t.ok(events.includes('task_changed:COMPLETED'), 'it holds the completion')
    t.match(events.at(-1), /^task_removed:/, 'it ends with the removal')
    t.equal(await getTask(db.pool, guid), undefined, 'the task is gone from the database')
    t.ok(true, `installed in ${((installed - started) / 1000).toFixed(1)} s, ran in ${((Date.now() - installed) / 1000).toFixed(1)} s; events ${events.join(' ')}`)
  })
}
