import { CliError, EXIT, type ExitCode } from './exit-codes.ts'

/** A problem+json body as the server sends it (RFC 9457 with taskbbs's code and field errors). */
export interface Problem {
  status: number
  code: string
  title: string
  detail: string
  errors?: Array<{ field: string, message: string }>
}

/** A non-2xx answer: the status, the problem the server explained it with, and the exit code it maps to. */
export class ApiError extends CliError {
  readonly status: number
  readonly problem?: Problem
  constructor (status: number, problem: Problem | undefined, message: string) {
    super(exitCodeFor(status), message)
    this.status = status
    this.problem = problem
  }
}

function exitCodeFor (status: number): ExitCode {
  if (status === 400 || status === 413 || status === 415 || status === 422) return EXIT.USAGE
  if (status === 401 || status === 403) return EXIT.AUTH
  if (status === 404) return EXIT.NOT_FOUND
  if (status === 409) return EXIT.CONFLICT
  return EXIT.FAILED
}

export interface ApiOptions {
  server: string
  token?: string
}

/** The few calls the CLI makes, over fetch, with the bearer token when one is given. */
export class ApiClient {
  readonly server: string
  private readonly token?: string

  constructor (opts: ApiOptions) {
    this.server = opts.server.replace(/\/+$/, '')
    this.token = opts.token
  }

  headers (extra: Record<string, string> = {}): Record<string, string> {
    return { accept: 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra }
  }

  /** fetch with the server's address and token; unreachable servers become one clear error. */
  async fetch (path: string, init: RequestInit = {}): Promise<Response> {
    const url = `${this.server}${path}`
    try {
      return await fetch(url, { ...init, headers: this.headers(init.headers as Record<string, string> | undefined) })
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err
      const cause = (err as { cause?: { code?: string, message?: string } }).cause
      throw new CliError(EXIT.FAILED, `cannot reach the taskbbs server at ${this.server}: ${cause?.code ?? cause?.message ?? (err as Error).message}\n` +
        'Set the address with --server or TASKBBS_URL.')
    }
  }

  /** A JSON call; a non-2xx answer throws an ApiError carrying the server's problem. */
  async call<T> (method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetch(path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
    })
    if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T
    throw await apiError(res, `${method} ${path}`)
  }
}

export async function apiError (res: Response, what: string): Promise<ApiError> {
  const text = await res.text()
  let problem: Problem | undefined
  try {
    const parsed = JSON.parse(text)
    if (parsed && typeof parsed.code === 'string') problem = parsed
  } catch {}
  const message = problem
    ? `${problem.detail || problem.title} (${res.status} ${problem.code})`
    : `${what} answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`
  return new ApiError(res.status, problem, message)
}
