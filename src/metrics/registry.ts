import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { ConvergeReport } from '../store/converge.ts'

/**
 * Process-wide metrics: counters that code anywhere in taskbbs increments,
 * plus Node's own (memory, CPU, event loop lag). Served at /metrics together
 * with the per-app gauges of ./collectors.ts. Names follow Prometheus
 * conventions: `taskbbs_` prefix, base units, `_total` on counters.
 */
export const registry = new Registry()
collectDefaultMetrics({ register: registry })

export const httpRequestDuration = new Histogram({
  name: 'taskbbs_http_request_duration_seconds',
  help: 'HTTP request duration by route pattern, method and status. Event streams are left out: their duration is the client\'s.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry]
})

export const executorErrors = new Counter({
  name: 'taskbbs_executor_errors_total',
  help: 'Executor failures: start (other than a rejection), cancel, cleanup, and lost (a task the executor lost track of).',
  labelNames: ['executor', 'operation'] as const,
  registers: [registry]
})

export const convergencePasses = new Counter({
  name: 'taskbbs_convergence_passes_total',
  help: 'Convergence passes this replica ran (it skips a pass another replica is running).',
  registers: [registry]
})

export const convergenceTasks = new Counter({
  name: 'taskbbs_convergence_tasks_total',
  help: 'Tasks convergence acted on, by outcome: expired_pending, kicked_pending, lost_running, demoted_resolving, deleted_completed.',
  labelNames: ['outcome'] as const,
  registers: [registry]
})

/** Counts one convergence pass; pass it as the Converger's onReport. */
export function countConvergence (r: ConvergeReport): void {
  convergencePasses.inc()
  convergenceTasks.inc({ outcome: 'expired_pending' }, r.expiredPending.length)
  convergenceTasks.inc({ outcome: 'kicked_pending' }, r.kickedPending)
  convergenceTasks.inc({ outcome: 'lost_running' }, r.lostRunning.length)
  convergenceTasks.inc({ outcome: 'demoted_resolving' }, r.demotedResolving.length)
  convergenceTasks.inc({ outcome: 'deleted_completed' }, r.deletedCompleted.length)
}

/**
 * One per completion callback request, by the outcome the worker records:
 * resolved (any answer but 503/504), retry_now (503/504, retried at once),
 * retry_later (503/504 past the quick retries, a timeout, a connection
 * error), given_up (Diego's ~2 minutes passed).
 */
export const callbackAttempts = new Counter({
  name: 'taskbbs_callback_attempts_total',
  help: 'Completion callback attempts by outcome: resolved, retry_now, retry_later, given_up.',
  labelNames: ['outcome'] as const,
  registers: [registry]
})

export const callbackDuration = new Histogram({
  name: 'taskbbs_callback_duration_seconds',
  help: 'Duration of completion callback requests.',
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry]
})

/** Counts one callback attempt; pass it as the CallbackWorker's onAttempt. */
export function countCallbackAttempt (outcome: string, durationMs: number): void {
  callbackAttempts.inc({ outcome })
  callbackDuration.observe(durationMs / 1000)
}

export const eventClients = new Gauge({
  name: 'taskbbs_event_clients',
  help: 'Clients following GET /v1/events on this replica.',
  registers: [registry]
})

export const eventsSent = new Counter({
  name: 'taskbbs_events_sent_total',
  help: 'Task events written to event stream clients (one per client per event).',
  registers: [registry]
})

export const eventsPruned = new Counter({
  name: 'taskbbs_events_pruned_total',
  help: 'Task events deleted for being older than TASKBBS_EVENTS_RETENTION.',
  registers: [registry]
})
