/**
 * The shape of the conformance table (cases.ts) and the helpers that turn one
 * case into a task. Every executor target imports these: the local executor,
 * the runner as a process, and the pods of the Kubernetes executor.
 */
import type { Action } from '../../src/domain/action.ts'
import type { TaskDefinition } from '../../src/domain/task-definition.ts'

export type Fd = 'stdout' | 'stderr' | 'system'

/** A line of a task's log as an executor reports it. */
export interface LogLine { fd: Fd, source: string, line: string }

/** An expected line; a RegExp only where the text cannot be the same across implementations. */
export interface ExpectedLine { fd: Fd, source: string, line: string | RegExp }

/**
 * What is known of the order of a case's lines:
 * - `total`: the lines come in exactly this order (one process at a time, system lines between steps),
 * - `per-fd`: the order holds within stdout, within stderr and within system lines, not across them,
 * - `none`: the same lines in any order (parallel and codependent actions).
 * In every mode the lines are exactly these: none missing, none extra.
 */
export type LogOrder = 'total' | 'per-fd' | 'none'

/** The parts of a task definition a case sets; the rest (guid, domain, root_fs) comes from definitionOf(). */
export type CaseTask = { action: Action } & Partial<Pick<TaskDefinition,
  'result_file' | 'env' | 'log_source' | 'cached_dependencies' | 'image_layers' | 'max_pids'>>

export interface Expected {
  failed: boolean
  /** The exact reason; a RegExp only where the text comes from a transfer library (the case says so). */
  failure_reason: string | RegExp
  result: string
  logs: ExpectedLine[]
  order: LogOrder
  /** Bodies the fixture server must have received, by path (POST /upload/NAME). */
  uploads?: Record<string, string>
  /** The task must complete within this long (processes stopped by codependent or timeout were really stopped). */
  withinMs?: number
}

export interface ConformanceCase {
  /** States the rule the case holds every executor to. */
  name: string
  task: CaseTask
  expect: Expected
  /**
   * What differs when the executor does not run as root and so cannot switch
   * users (the runner in a pod with a non-root securityContext, a local
   * server started by a plain user). Only the user cases have it.
   */
  unprivileged?: Partial<Expected>
  /**
   * Targets (`local`, `runner`, `kubernetes`) known not to keep this case yet,
   * with the defect: their failures are reported as TODO, still shown, until
   * the target is fixed and the entry removed. Never a way to hide a rule.
   */
  knownGaps?: Partial<Record<'local' | 'runner' | 'kubernetes', string>>
}

/** The expectation for an executor that runs as root (`privileged`) or not. */
export function expectationFor (c: ConformanceCase, privileged: boolean): Expected {
  return privileged || !c.unprivileged ? c.expect : { ...c.expect, ...c.unprivileged }
}

/** The case with `{{base}}` (the fixture server's URL) replaced in every string of its task and expectation. */
export function materialize (c: ConformanceCase, base: string): ConformanceCase {
  const sub = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replaceAll('{{base}}', base)
    if (v instanceof RegExp) return v
    if (Array.isArray(v)) return v.map(sub)
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x)]))
    return v
  }
  return sub(c) as ConformanceCase
}

/** A whole, valid task definition for a case. */
export function definitionOf (c: ConformanceCase, guid: string): TaskDefinition {
  return { guid, domain: 'conformance', root_fs: 'docker:///library/busybox#latest', ...c.task }
}

/** A guid for the i-th case of a table, valid as a task guid and as a file name. */
export function caseGuid (i: number, prefix = 'conformance'): string {
  return `${prefix}-${String(i).padStart(3, '0')}`
}

// Builders that keep the table short.
export const sh = (script: string, extra: Partial<NonNullable<Action['run']>> = {}): Action =>
  ({ run: { path: 'sh', args: ['-c', script], user: 'root', ...extra } })
export const serial = (...actions: Action[]): Action => ({ serial: { actions } })
export const parallel = (...actions: Action[]): Action => ({ parallel: { actions } })
export const codependent = (...actions: Action[]): Action => ({ codependent: { actions } })
export const tryIt = (action: Action): Action => ({ try: { action } })
export const timeout = (timeoutMs: number, action: Action): Action => ({ timeout: { action, timeout_ms: timeoutMs } })
export const out = (line: string, source = 'TASK'): ExpectedLine => ({ fd: 'stdout', source, line })
export const err = (line: string, source = 'TASK'): ExpectedLine => ({ fd: 'stderr', source, line })
export const sys = (line: string, source = 'TASK'): ExpectedLine => ({ fd: 'system', source, line })
export const ok = (logs: ExpectedLine[], more: Partial<Expected> = {}): Expected =>
  ({ failed: false, failure_reason: '', result: '', logs, order: 'total', ...more })
export const failed = (reason: string | RegExp, logs: ExpectedLine[], more: Partial<Expected> = {}): Expected =>
  ({ failed: true, failure_reason: reason, result: '', logs, order: 'total', ...more })
