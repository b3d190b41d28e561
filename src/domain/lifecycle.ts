import { InvalidStateTransitionError } from './errors.ts'
import type { TaskState } from './task.ts'

/**
 * Diego's task state machine, as BBS's task DB enforces it. Each named
 * transition lists the states it may start from; anything else is a 409
 * INVALID_STATE_TRANSITION.
 */
export const TRANSITIONS = {
  start: { from: ['PENDING'], to: 'RUNNING' },
  complete: { from: ['RUNNING'], to: 'COMPLETED' },
  fail: { from: ['PENDING', 'RUNNING'], to: 'COMPLETED' },
  cancel: { from: ['PENDING', 'RUNNING'], to: 'COMPLETED' },
  reject: { from: ['RUNNING'], to: 'PENDING' },
  resolving: { from: ['COMPLETED'], to: 'RESOLVING' },
  unresolve: { from: ['RESOLVING'], to: 'COMPLETED' },
  delete: { from: ['RESOLVING'], to: 'DELETED' }
} as const satisfies Record<string, { from: readonly TaskState[], to: TaskState | 'DELETED' }>

export type Transition = keyof typeof TRANSITIONS

export const CANCELLED_REASON = 'task was cancelled'
export const MAX_REASON_LENGTH = 1024

export function canTransition (transition: Transition, from: TaskState): boolean {
  return (TRANSITIONS[transition].from as readonly string[]).includes(from)
}

export function assertTransition (guid: string, transition: Transition, from: TaskState): void {
  if (!canTransition(transition, from)) {
    throw new InvalidStateTransitionError(guid, from, TRANSITIONS[transition].to, TRANSITIONS[transition].from)
  }
}

/** BBS cuts failure and rejection reasons to 1024 characters. */
export function truncateReason (reason: string): string {
  if (reason.length <= MAX_REASON_LENGTH) return reason
  const cut = reason.slice(0, MAX_REASON_LENGTH)
  // Never keep half a surrogate pair: it would be stored as U+FFFD.
  const last = cut.charCodeAt(cut.length - 1)
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut
}
