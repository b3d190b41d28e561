import type { ApiClient } from './api-client.ts'

/** What every command gets: the server, where to print, and the environment it runs in. */
export interface Context {
  api: ApiClient
  stdout: NodeJS.WritableStream & { isTTY?: boolean, columns?: number }
  stderr: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
  /** Aborted on SIGINT/SIGTERM: long-running commands (watch, logs --follow, submit --wait) stop cleanly. */
  signal: AbortSignal
}

export type Options = Record<string, string | boolean | undefined>
