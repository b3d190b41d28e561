import { type ChildProcess, spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Servers run as the image runs them (Dockerfile): Node's compile cache, so
 * that the TypeScript stripper is not loaded once the cache is warm, and 2 MB
 * young-generation semi-spaces. Every server of a run gets the same settings.
 */
export const SERVER_NODE_ENV = {
  NODE_COMPILE_CACHE: join(tmpdir(), 'taskbbs-bench-compile-cache'),
  NODE_OPTIONS: '--max-semi-space-size=2'
}

/** Fills the compile cache as the image build does, so that no measured start is the cold one. */
export async function warmCompileCache (): Promise<void> {
  const server = new URL('../../src/server.ts', import.meta.url).pathname
  const child = spawn(process.execPath, [server, '--help'], { env: { ...process.env, ...SERVER_NODE_ENV }, stdio: 'ignore' })
  await new Promise(resolve => child.on('exit', resolve))
}

export interface Child { child: ChildProcess, url: string, rssKb (): Promise<number>, stop (): Promise<void> }

/** Starts a node program (.ts) and waits until url + readyPath answers 200. */
export async function startNode (script: string, env: Record<string, string>, url: string, readyPath = '/readyz'): Promise<Child> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...SERVER_NODE_ENV, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  child.stderr!.on('data', d => { err = (err + d).slice(-4000) })
  const deadline = Date.now() + 60000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited: ${err}`)
    try { if ((await fetch(url + readyPath)).status === 200) break } catch {}
    if (Date.now() > deadline) throw new Error(`${script} not ready: ${err}`)
    await new Promise(r => setTimeout(r, 50))
  }
  return {
    child,
    url,
    async rssKb () {
      const { readFile } = await import('node:fs/promises')
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8')
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
    },
    stop: () => new Promise<void>(resolve => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 10000).unref()
    })
  }
}

/** Runs a node program to completion and parses its last stdout line as JSON. */
export async function runNode<T> (script: string, args: string[]): Promise<T> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout!.on('data', d => { out += d })
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
  if (code !== 0) throw new Error(`${script} exited ${code}`)
  return JSON.parse(out.trim().split('\n').at(-1)!) as T
}
