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
  return { file: '/bin/sh', args: ['-c', `${ulimits.join(' && ')} && exec "$0" "$@"`, path, ...args] }
}

export interface UserIds { uid: number, gid: number }

/**
 * Resolves a Diego `user` to ids from /etc/passwd. Only a root server can
 * switch users; otherwise (or for an unknown user) processes run as the
 * server's own user and the caller logs that.
 */
export function lookupUser (name: string): UserIds | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':')
      if (user === name) return { uid: Number(uid), gid: Number(gid) }
    }
  } catch {}
  return undefined
}
