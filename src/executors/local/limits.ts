import { readFileSync } from 'node:fs'

/**
 * What the local executor can enforce with plain rlimits, applied through the
 * shell's `ulimit` before exec:
 * - memory_mb → RLIMIT_AS (address space, so it also counts reserved but
 *   untouched memory; runtimes that reserve large heaps may fail early),
 * - max_pids → RLIMIT_NPROC (counted per user, and not enforced for root),
 * - resource_limits.nofile → RLIMIT_NOFILE.
 * disk_mb and cpu_weight are not enforced locally.
 */
export interface ProcessLimits {
  memoryMb?: number
  maxPids?: number
  nofile?: number
}

export function limitCommand (path: string, args: string[], limits: ProcessLimits): { file: string, args: string[] } {
  const ulimits: string[] = []
  if (limits.memoryMb) ulimits.push(`ulimit -v ${limits.memoryMb * 1024}`)
  if (limits.maxPids) ulimits.push(`ulimit -u ${limits.maxPids}`)
  if (limits.nofile) ulimits.push(`ulimit -n ${limits.nofile}`)
  if (ulimits.length === 0) return { file: path, args }
  // "$0" "$@" re-quotes the original argv exactly; no user text is interpolated.
  // bash, not sh: dash (Debian's sh) has no `ulimit -u`, and would refuse to start the task.
  return { file: '/bin/bash', args: ['-c', `${ulimits.join(' && ')} && exec "$0" "$@"`, path, ...args] }
}

export interface UserIds { uid: number, gid: number }

/** How a Diego `user` is honoured: switch to these ids, run as we are (already that user), or cannot. */
export type UserResolution = { switchTo: UserIds } | { alreadyThatUser: true } | undefined

/**
 * Resolves a Diego `user`, a name or a number, to ids from /etc/passwd (a number
 * not listed there keeps its own value as group). Only a root server can
 * switch users; a server that already runs as that user needs no switch.
 * undefined: the user cannot be honoured (unknown name, or not root), so the
 * process runs as the executor's own user and the caller logs that.
 */
export function lookupUser (name: string): UserResolution {
  const numeric = /^[0-9]+$/.test(name) ? Number(name) : undefined
  let ids: UserIds | undefined
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':')
      if (uid === undefined || gid === undefined) continue
      if (user === name || (numeric !== undefined && Number(uid) === numeric)) {
        ids = { uid: Number(uid), gid: Number(gid) }
        break
      }
    }
  } catch {}
  if (!ids && numeric !== undefined && numeric <= 0xffffffff) ids = { uid: numeric, gid: numeric }
  if (!ids || typeof process.getuid !== 'function') return undefined
  if (process.getuid() === ids.uid) return { alreadyThatUser: true }
  return process.getuid() === 0 ? { switchTo: ids } : undefined
}
