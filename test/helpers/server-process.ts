import { type ChildProcess, spawn } from 'node:child_process'
import { freePort } from '../../src/store/embedded.ts'

export interface ServerProcess {
  url: string
  child: ChildProcess
  output: () => string
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop (): Promise<number | null>
  /** SIGKILL, as a crash. */
  kill (): Promise<void>
}

const SERVER = new URL('../../src/server.ts', import.meta.url).pathname

/** Starts `node src/server.ts` (or another entry point) as a real process and waits for /readyz; killed at teardown. */
export async function startServerProcess (t: { teardown (fn: () => unknown): void }, env: Record<string, string>, script = SERVER): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, TASKBBS_PORT: String(port), TASKBBS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout!.on('data', d => { out += d })
  child.stderr!.on('data', d => { out += d })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`)
    try {
      const res = await fetch(`${url}/readyz`)
      if (res.status === 200) break
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not become ready:\n${out}`)
    await new Promise(r => setTimeout(r, 50))
  }
  return {
    url,
    child,
    output: () => out,
    stop: () => { child.kill('SIGTERM'); return exited },
    kill: async () => { child.kill('SIGKILL'); await exited }
  }
}
