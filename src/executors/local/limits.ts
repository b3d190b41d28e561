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

export function limitCommand (path: string, args: string[], limits: ProcessLimits): { file: string, args: string[], wrapped: boolean } {
  const ulimits: string[] = []
  if (limits.memoryMb) ulimits.push(`ulimit -v ${limits.memoryMb * 1024}`)
  if (limits.maxPids) ulimits.push(`ulimit -u ${limits.maxPids}`)
  if (limits.nofile) ulimits.push(`ulimit -n ${limits.nofile}`)
  if (ulimits.length === 0) return { file: path, args, wrapped: false }
  // "$0" "$@" re-quotes the original argv exactly; no user text is interpolated.
  // bash, not sh: dash (Debian's sh) has no `ulimit -u`, and would refuse to start the task.
  return { file: '/bin/bash', args: ['-c', `${ulimits.join(' && ')} && exec "$0" "$@"`, path, ...args], wrapped: true }
}

