import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { getTask } from '../../src/store/tasks.ts'
import { testDatabase } from '../helpers/database.ts'
import { startServerProcess } from '../helpers/server-process.ts'

const exec = promisify(execFile)
export const ROOT = new URL('../../', import.meta.url).pathname
export const CLIENTS = new URL('../../clients/', import.meta.url).pathname

/** clients/generate.sh for one client: installs its pinned toolchain if needed, regenerates the code. */
export async function generate (client: 'typescript' | 'python' | 'go'): Promise<void> {
  await exec('bash', [`${CLIENTS}generate.sh`, client], { cwd: ROOT, maxBuffer: 16 << 20 })
}

/**
 * The scenario every generated client runs as a separate program against a
 * real server: a bad desire answers a typed 422; desire `echo 42 > result.txt`,
 * wait for COMPLETED, read "42", find it listed, resolving, delete, then 404.
 * The program prints one JSON line; the server's database must no longer hold the task.
 */
export function clientScenario (t: Test, client: 'typescript' | 'python' | 'go', program: (guid: string) => { file: string, args: string[], cwd: string, env?: Record<string, string> }) {
  // Installing a toolchain on a fresh machine takes a while; later runs reuse it.
  t.setTimeout(360_000)
  return t.test(`the ${client} client desires a task, reads its result "42", resolves and deletes it`, async t => {
    const started = Date.now()
    const db = await testDatabase(t)
    const [server] = await Promise.all([
      startServerProcess(t, { DATABASE_URL: db.url, TASKBBS_MODE: 'development' }),
      generate(client)
    ])
    const guid = `${client}-client-test`
    const p = program(guid)
    const { stdout } = await exec(p.file, p.args, {
      cwd: p.cwd,
      env: { ...process.env, ...p.env, TASKBBS_URL: server.url },
      timeout: 90_000
    })
    t.same(JSON.parse(stdout), { client, guid, result: '42', bad_field: 'guid', after_delete: 'TASK_NOT_FOUND' })
    t.equal(await getTask(db.pool, guid), undefined, 'the task is gone from the database')
    t.ok(true, `generated, built and ran in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  })
}
