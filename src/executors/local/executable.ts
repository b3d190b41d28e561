import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { delimiter, resolve } from 'node:path'

/**
 * Finds the file `path` names the way execvp does (a path with a slash is
 * taken from `cwd`, a bare name is looked up in PATH; a candidate that exists
 * but cannot be executed gives EACCES unless a later one can). Needed where a
 * process starts through the limits wrapper (limits.ts): there a missing
 * program would be the wrapper's exit status 127, not the ENOENT that a direct
 * start, and the runner, report. Returns the errno name, or undefined when
 * the program can be started.
 */
export async function executableError (path: string, cwd: string, envPath: string): Promise<string | undefined> {
  if (path.includes('/')) return check(resolve(cwd, path))
  let found: string | undefined
  for (const file of envPath.split(delimiter).map(dir => resolve(cwd, dir || '.', path))) {
    const error = await check(file)
    if (!error) return undefined
    if (error !== 'ENOENT' && error !== 'ENOTDIR') found ??= error
  }
  return found ?? 'ENOENT'
}

async function check (file: string): Promise<string | undefined> {
  try {
    const s = await stat(file)
    if (!s.isFile()) return 'EACCES'
    await access(file, constants.X_OK)
    return undefined
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'ENOENT'
  }
}
