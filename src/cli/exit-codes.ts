/**
 * The CLI's exit codes, for scripts. Documented in README.md ("The taskbbs
 * CLI"); a code never changes meaning.
 */
export const EXIT = {
  /** Done as asked. */
  OK: 0,
  /** The task failed (submit --wait, watch GUID), or the server errored or could not be reached. */
  FAILED: 1,
  /** Bad usage, or a task file that cannot be read, parsed or interpolated, or that the server refused (400/422). */
  USAGE: 2,
  /** No such task (404). */
  NOT_FOUND: 3,
  /** The task is not in a state that allows this, or its guid is taken (409). */
  CONFLICT: 4,
  /** No token, a bad token, or one that may not do this (401/403). */
  AUTH: 5
} as const

export type ExitCode = typeof EXIT[keyof typeof EXIT]

/** An error the CLI reports as one message (lines after the first are details) and exits with its code. */
export class CliError extends Error {
  readonly exitCode: ExitCode
  constructor (exitCode: ExitCode, message: string) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}

export function usageError (message: string): CliError {
  return new CliError(EXIT.USAGE, `${message}\nRun "taskbbs help" for usage.`)
}
