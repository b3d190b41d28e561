import { resolve, sep } from 'node:path'

/**
 * The task directory stands in for the container's root: `/out/result.json`
 * means `<task dir>/out/result.json`. The result never leaves the task dir.
 */
export function inTaskDir (taskDir: string, containerPath: string): string {
  const full = resolve(taskDir, containerPath.replace(/^\/+/, ''))
  if (full !== taskDir && !full.startsWith(taskDir + sep)) {
    throw new Error(`${containerPath} resolves outside the task directory`)
  }
  return full
}
