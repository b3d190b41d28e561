import type pg from 'pg'
import { Counter, Gauge, Registry } from 'prom-client'
import type { SchedulerStats } from '../scheduler/scheduler.ts'
import { countTasks } from '../store/stats.ts'
import { type CallbackSource, registerCallbackOriginMetrics } from './callback-origins.ts'

/** What /metrics reads from a scheduler; the Scheduler class has it. */
export interface SchedulerSource {
  readonly stats: SchedulerStats
  readonly runningCount: number
}

export interface CollectorSources {
  pool: pg.Pool
  /** Undefined on an API-only replica, or before the scheduler starts. */
  scheduler?: () => SchedulerSource | undefined
  /** Undefined where the callback worker is off. */
  callbacks?: () => CallbackSource | undefined
}

/**
 * Metrics read at scrape time from one app's pool and scheduler, in a registry
 * of their own: several apps in one process (tests) each report their own.
 */
export function appRegistry (src: CollectorSources): Registry {
  const registry = new Registry()
  const registers = [registry]
  const up = new Gauge({ name: 'taskbbs_database_up', help: '1 when the last scrape could count tasks in the database, else 0.', registers })

  new Gauge({
    name: 'taskbbs_tasks',
    help: 'Tasks by state and domain, counted at scrape time.',
    labelNames: ['state', 'domain'] as const,
    registers,
    async collect () {
      this.reset()
      try {
        for (const r of await countTasks(src.pool)) this.set({ state: r.state, domain: r.domain }, r.count)
        up.set(1)
      } catch {
        // A scrape must still answer while the database is down; taskbbs_database_up says so.
        up.set(0)
      }
    }
  })

  const pool = (name: string, help: string, read: (p: pg.Pool) => number) =>
    new Gauge({ name, help, registers, collect () { this.set(read(src.pool)) } })
  pool('taskbbs_db_pool_connections', 'Connections the database pool holds, busy or idle.', p => p.totalCount)
  pool('taskbbs_db_pool_idle_connections', 'Pool connections not in use.', p => p.idleCount)
  pool('taskbbs_db_pool_waiting_requests', 'Queries waiting for a pool connection; above zero for long means the pool is too small.', p => p.waitingCount)

  // The scheduler counts in plain numbers (it knows nothing of Prometheus);
  // these counters show them as they are at scrape time.
  const fromScheduler = (name: string, help: string, read: (s: SchedulerStats) => number) =>
    new Counter({
      name, help, registers,
      collect () {
        this.reset()
        const s = src.scheduler?.()
        if (s) this.inc(read(s.stats))
      }
    })
  fromScheduler('taskbbs_scheduler_claims_total', 'PENDING tasks this replica claimed.', s => s.claimed)
  fromScheduler('taskbbs_scheduler_completions_total', 'Task outcomes this replica recorded under its lease.', s => s.completed)
  fromScheduler('taskbbs_scheduler_adoptions_total', 'RUNNING tasks this replica took over from a replica that stopped or died (their work outlives it).', s => s.adopted)
  fromScheduler('taskbbs_scheduler_fenced_total', 'Task outcomes dropped because this replica had lost the lease.', s => s.fenced)
  fromScheduler('taskbbs_scheduler_rejections_total', 'Tasks the executor handed back (back to PENDING, or failed past the maximum).', s => s.rejected)
  new Counter({
    name: 'taskbbs_scheduler_wakeups_total',
    help: 'Times the scheduler looked for PENDING work, by what woke it: notify (a desire) or poll (the fallback timer).',
    labelNames: ['source'] as const,
    registers,
    collect () {
      this.reset()
      const s = src.scheduler?.()
      this.inc({ source: 'notify' }, s?.stats.wakeups.notify ?? 0)
      this.inc({ source: 'poll' }, s?.stats.wakeups.poll ?? 0)
    }
  })
  new Gauge({
    name: 'taskbbs_scheduler_running_tasks',
    help: 'Tasks this replica runs now.',
    registers,
    collect () { this.set(src.scheduler?.()?.runningCount ?? 0) }
  })
  registerCallbackOriginMetrics(registers, src)
  return registry
}
