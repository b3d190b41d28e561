/**
 * Diego's task state machine, as BBS's task DB enforces it (DESIGN.md, "Task
 * lifecycle"). The expected table is written out here rather than read from
 * TRANSITIONS, so that a change to the machine has to change this test too.
 */
import t from 'tap'
import { InvalidStateTransitionError } from '../../src/domain/errors.ts'
import {
  assertTransition, CANCELLED_REASON, canTransition, MAX_REASON_LENGTH, TRANSITIONS, truncateReason, type Transition
} from '../../src/domain/lifecycle.ts'
import { TASK_STATES, type TaskState } from '../../src/domain/task.ts'

const EXPECTED: Record<Transition, { from: TaskState[], to: TaskState | 'DELETED', why: string }> = {
  start: { from: ['PENDING'], to: 'RUNNING', why: 'only a PENDING task is started' },
  complete: { from: ['RUNNING'], to: 'COMPLETED', why: 'only a RUNNING task completes' },
  fail: { from: ['PENDING', 'RUNNING'], to: 'COMPLETED', why: 'a PENDING or RUNNING task can fail' },
  cancel: { from: ['PENDING', 'RUNNING'], to: 'COMPLETED', why: 'cancel moves PENDING/RUNNING to COMPLETED' },
  reject: { from: ['RUNNING'], to: 'PENDING', why: 'reject moves RUNNING back to PENDING' },
  resolving: { from: ['COMPLETED'], to: 'RESOLVING', why: 'resolving is allowed only from COMPLETED' },
  unresolve: { from: ['RESOLVING'], to: 'COMPLETED', why: 'convergence returns a stuck RESOLVING task to COMPLETED' },
  delete: { from: ['RESOLVING'], to: 'DELETED', why: 'DELETE only from RESOLVING' }
}

t.test('the machine has exactly the named transitions', async t => {
  t.same(Object.keys(TRANSITIONS).sort(), Object.keys(EXPECTED).sort())
  t.same([...TASK_STATES], ['PENDING', 'RUNNING', 'COMPLETED', 'RESOLVING'])
})

for (const [name, rule] of Object.entries(EXPECTED) as Array<[Transition, typeof EXPECTED[Transition]]>) {
  t.test(`${name}: ${rule.why}`, async t => {
    t.equal(TRANSITIONS[name].to, rule.to, `${name} leads to ${rule.to}`)
    for (const state of TASK_STATES) {
      const allowed = rule.from.includes(state)
      t.equal(canTransition(name, state), allowed, `${name} from ${state} is ${allowed ? 'allowed' : 'refused'}`)
      if (allowed) {
        t.doesNotThrow(() => assertTransition('g1', name, state), `${name} from ${state} passes`)
      } else {
        let caught: unknown
        try { assertTransition('g1', name, state) } catch (err) { caught = err }
        t.type(caught, InvalidStateTransitionError, `${name} from ${state} throws`)
        t.match(caught, { code: 'INVALID_STATE_TRANSITION', status: 409, from: state, to: rule.to, message: /\bg1\b/ },
          `${name} from ${state} is a 409 INVALID_STATE_TRANSITION naming the guid and both states`)
      }
    }
  })
}

t.test('a cancelled task fails with reason "task was cancelled"', async t => {
  t.equal(CANCELLED_REASON, 'task was cancelled')
})

t.test('truncateReason cuts failure and rejection reasons to 1024 characters', async t => {
  t.equal(MAX_REASON_LENGTH, 1024)
  t.equal(truncateReason(''), '')
  t.equal(truncateReason('boom'), 'boom')
  const exact = 'x'.repeat(1024)
  t.equal(truncateReason(exact), exact, '1024 characters are kept whole')
  t.equal(truncateReason('y'.repeat(1023) + 'zz'), 'y'.repeat(1023) + 'z', '1025 characters are cut to the first 1024')
  t.equal(truncateReason('a'.repeat(1_000_000)).length, 1024)
})

t.test('truncateReason never leaves half of a surrogate pair', async t => {
  const cut = truncateReason('a'.repeat(1023) + '\u{1F600}' + 'tail')
  t.equal(cut, 'a'.repeat(1023), 'the emoji straddling the limit is dropped whole')
  t.ok(cut.isWellFormed(), 'the result is well-formed UTF-16')
  const fits = 'a'.repeat(1022) + '\u{1F600}'
  t.equal(truncateReason(fits + 'more'), fits, 'an emoji ending exactly at 1024 code units is kept')
})
