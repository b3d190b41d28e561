import { readFileSync } from 'node:fs'

export interface UserIds { uid: number, gid: number }

/**
 * How a run action's `user` is honoured, the same way on every executor (the
 * runner decides alike, runner/internal/actions/user.go):
 * - `switch`: the executor is root and switches to these ids,
 * - `unknown`: the executor is root and no such user exists; the process
 *   cannot start, as a container runtime refuses it,
 * - `self`: the executor cannot switch but needs not (it is that user, or the
 *   user is "root", the usual Diego user, asked of an unprivileged executor),
 * - `self-warn`: the executor cannot switch; the process runs as the
 *   executor's own user and the task's log says so.
 */
export type UserResolution =
  | { kind: 'switch', ids: UserIds }
  | { kind: 'unknown' }
  | { kind: 'self' }
  | { kind: 'self-warn' }

/**
 * A name, or a number, looked up in /etc/passwd as container runtimes do: a
 * name must exist there; a number need not (its group is then 0).
 */
export function findUser (name: string, passwd: string): UserIds | undefined {
  const numeric = /^[0-9]{1,10}$/.test(name) && Number(name) <= 0xffffffff ? Number(name) : undefined
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':')
    if (uid === undefined || gid === undefined || !/^[0-9]+$/.test(uid) || !/^[0-9]+$/.test(gid)) continue
    if (numeric !== undefined ? Number(uid) === numeric : user === name) return { uid: Number(uid), gid: Number(gid) }
  }
  return numeric !== undefined ? { uid: numeric, gid: 0 } : undefined
}

export function resolveUser (name: string, ownUid: number = process.getuid?.() ?? -1, passwdFile = '/etc/passwd'): UserResolution {
  let passwd = ''
  try { passwd = readFileSync(passwdFile, 'utf8') } catch {}
  const ids = findUser(name, passwd)
  if (ownUid === 0) return ids ? { kind: 'switch', ids } : { kind: 'unknown' }
  if (name === 'root' || ids?.uid === ownUid) return { kind: 'self' }
  return { kind: 'self-warn' }
}
