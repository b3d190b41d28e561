import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { buildApp, LOG_REDACT } from './app.ts'
import { LOG_SERIALIZERS } from './api/request-log.ts'
import { ConfigError, configHelp, loadConfig } from './config/load.ts'
import type { Config } from './config/schema.ts'
import type { TaskDefinition } from './domain/task-definition.ts'
import type { EmbeddedDatabase } from './store/embedded.ts'
import { migrate } from './store/migrate.ts'
import { createPool } from './store/pool.ts'
import { createExecutor } from './executors/create.ts'
import type { Executor } from './executors/executor.ts'
import { NO_ISOLATION_WARNING } from './executors/local/index.ts'
import { Converger } from './scheduler/converger.ts'
import { Scheduler } from './scheduler/scheduler.ts'
import { Sweeper } from './scheduler/sweeper.ts'
import { CallbackWorker } from './callbacks/worker.ts'
import { parseSigningSecret } from './callbacks/signing.ts'
import { type UrlPolicy, callbackUrlErrors } from './callbacks/url-policy.ts'
import { Authenticator } from './api/auth.ts'
import { readTokens } from './config/tokens.ts'
import { EventPruner } from './events/pruner.ts'
import { instrumentExecutor } from './metrics/executor.ts'
import { countCallbackAttempt, countConvergence } from './metrics/registry.ts'
import { DEVELOPMENT_IDENTITY } from './bbs/clients.ts'
import { readBbsClients } from './config/bbs-clients.ts'
import { buildBbsApp } from './bbs/listener.ts'
import { type Component, startComponents } from './lifecycle/components.ts'

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])

/**
 * The taskbbs process: API, scheduler and callback worker over one database.
 * Its parts start as a list (src/lifecycle/components.ts), in this order:
 * database, executor, API listener, BBS listener, callback worker,
 * scheduler, converger, sweeper, event pruner; they stop in the reverse
 * order, so the loops drain while the API still answers (readyz says 503),
 * and a part that fails to start leaves none of the others running.
 */
export async function startServer (config: Config, parts: { executor?: Executor, extra?: Component[] } = {}) {
  const startedAt = performance.now()
  const app0log = (msg: string) => process.stdout.write(JSON.stringify({ level: 30, time: Date.now(), msg }) + '\n')
  const s = (seconds: number) => Math.round(seconds * 1000)
  const cellId = config.TASKBBS_CELL_ID || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
  // loadConfig has checked the tokens, and refused an empty list in production.
  const { grants } = readTokens(config.TASKBBS_TOKENS)
  const callbackPolicy: UrlPolicy = {
    enforce: config.TASKBBS_MODE === 'production',
    allow: config.TASKBBS_CALLBACK_ALLOW.split(',').map(a => a.trim()).filter(Boolean)
  }
  // BBS over plain HTTP has no way to identify its caller: development, loopback and no tokens only.
  const bbsPlain = config.TASKBBS_BBS_PLAIN && config.TASKBBS_MODE === 'development' && grants.length === 0 && LOOPBACK_HOSTS.has(config.TASKBBS_HOST)
  const logger = { level: config.TASKBBS_LOG_LEVEL, redact: LOG_REDACT, serializers: LOG_SERIALIZERS }
  const rateLimit = { max: config.TASKBBS_RATE_LIMIT_MAX, windowMs: s(config.TASKBBS_RATE_LIMIT_WINDOW) }

  let accepting = true
  let embedded: EmbeddedDatabase | undefined
  let databaseUrl = config.DATABASE_URL
  let pool!: pg.Pool
  let executor!: Executor
  let app!: FastifyInstance
  let bbsApp: FastifyInstance | undefined
  let address = ''
  let bbsAddress: string | undefined
  let scheduler: Scheduler | undefined
  let converger: Converger | undefined
  let sweeper: Sweeper | undefined
  let callbacks: CallbackWorker | undefined
  let pruner: EventPruner | undefined
  const log = () => app.log
  const unsupported = (def: TaskDefinition) => [...executor.unsupported(def), ...callbackUrlErrors(callbackPolicy, def)]
  /** server.close() waits for every connection, and a client's spare keep-alive socket only goes after the request timeout: requests in flight get a moment, then what is left is closed. */
  const closeListener = async (server: FastifyInstance) => {
    const force = setTimeout(() => server.server.closeAllConnections(), 2000)
    force.unref()
    try { await server.close() } finally { clearTimeout(force) }
  }

  const components: Component[] = [
    {
      name: 'database',
      async start () {
        if (databaseUrl === '') {
          app0log('DATABASE_URL is not set: starting an embedded PostgreSQL in a temporary directory (its data is deleted at exit)')
          // Loaded only here: the package installs process-wide signal hooks on import.
          const { startEmbeddedPostgres } = await import('./store/embedded.ts')
          embedded = await startEmbeddedPostgres(app0log, { ownSignals: true })
          databaseUrl = embedded.url
        }
        pool = createPool({ connectionString: databaseUrl, max: config.TASKBBS_PG_POOL_MAX })
        await migrate(pool, app0log)
      },
      async stop () {
        await pool?.end()
        await embedded?.stop()
      }
    },
    {
      name: 'executor',
      async start () { executor = instrumentExecutor(parts.executor ?? await createExecutor(config)) },
      async stop () { await executor.close() }
    },
    {
      name: 'API listener',
      async start () {
        app = await buildApp({
          pool,
          policy: { allowPrivileged: config.TASKBBS_ALLOW_PRIVILEGED },
          bodyLimit: config.TASKBBS_BODY_LIMIT_BYTES,
          logger,
          accepting: () => accepting,
          auth: grants.length ? new Authenticator(grants) : undefined,
          rateLimit,
          events: { heartbeatMs: s(config.TASKBBS_EVENTS_HEARTBEAT_INTERVAL), databaseUrl },
          scheduler: () => scheduler,
          callbacks: () => callbacks,
          unsupported,
          ...(bbsPlain ? { bbs: { identify: DEVELOPMENT_IDENTITY } } : {})
        })
        if (grants.length === 0) log().warn('authentication is OFF: TASKBBS_TOKENS is empty and TASKBBS_MODE=development, so anyone who can reach this port may read and change every task')
        address = await app.listen({ host: config.TASKBBS_HOST, port: config.TASKBBS_PORT })
      },
      async stop () { await closeListener(app) }
    },
    {
      name: 'BBS listener',
      async start () {
        if (config.TASKBBS_BBS_PORT === 0) return
        bbsApp = await buildBbsApp({
          pool,
          policy: { allowPrivileged: config.TASKBBS_ALLOW_PRIVILEGED },
          bodyLimit: config.TASKBBS_BODY_LIMIT_BYTES,
          unsupported,
          tls: { certFile: config.TASKBBS_BBS_CERT_FILE, keyFile: config.TASKBBS_BBS_KEY_FILE, caFile: config.TASKBBS_BBS_CA_FILE },
          clients: readBbsClients(config.TASKBBS_BBS_CLIENTS).clients,
          logger,
          rateLimit,
          events: { heartbeatMs: s(config.TASKBBS_EVENTS_HEARTBEAT_INTERVAL), databaseUrl }
        })
        bbsAddress = await bbsApp.listen({ host: config.TASKBBS_HOST, port: config.TASKBBS_BBS_PORT })
      },
      async stop () { if (bbsApp) await closeListener(bbsApp) }
    },
    {
      name: 'callback worker',
      async start () {
        if (!config.TASKBBS_CALLBACKS) return
        callbacks = new CallbackWorker({
          pool,
          databaseUrl,
          workerId: cellId,
          policy: callbackPolicy,
          requestTimeoutMs: s(config.TASKBBS_CALLBACK_TIMEOUT),
          retryIntervalMs: s(config.TASKBBS_CALLBACK_RETRY_INTERVAL),
          giveUpAfterMs: s(config.TASKBBS_CALLBACK_GIVE_UP_AFTER),
          concurrency: config.TASKBBS_CALLBACK_CONCURRENCY,
          fairness: {
            originSlots: config.TASKBBS_CALLBACK_ORIGIN_CONCURRENCY || undefined,
            healthySlots: config.TASKBBS_CALLBACK_HEALTHY_ORIGIN_CONCURRENCY || undefined,
            breakerThreshold: config.TASKBBS_CALLBACK_BREAKER_THRESHOLD
          },
          pollIntervalMs: s(config.TASKBBS_CALLBACK_POLL_INTERVAL),
          signingKey: config.TASKBBS_CALLBACK_SIGNING_SECRET ? parseSigningSecret(config.TASKBBS_CALLBACK_SIGNING_SECRET) : undefined,
          onAttempt: countCallbackAttempt,
          log: log()
        })
        await callbacks.start()
      },
      async stop () { await callbacks?.stop() }
    },
    {
      name: 'scheduler',
      async start () {
        if (!config.TASKBBS_SCHEDULER) return
        if (executor.name === 'local') log().warn(NO_ISOLATION_WARNING)
        scheduler = new Scheduler({
          pool,
          databaseUrl,
          executor,
          cellId,
          maxTasks: config.TASKBBS_MAX_TASKS,
          claimBatch: config.TASKBBS_CLAIM_BATCH,
          pollIntervalMs: s(config.TASKBBS_POLL_INTERVAL),
          leaseMs: s(config.TASKBBS_LEASE_DURATION),
          heartbeatMs: s(config.TASKBBS_HEARTBEAT_INTERVAL),
          maxRejections: config.TASKBBS_MAX_REJECTIONS,
          logMaxBytes: config.TASKBBS_LOG_MAX_BYTES,
          logFlushMs: 1000,
          onNotHeld: () => sweeper?.soon(),
          log: log()
        })
        await scheduler.start()
      },
      // The drain: running work gets TASKBBS_SHUTDOWN_TIMEOUT (see Scheduler.stop).
      async stop () { await scheduler?.stop(s(config.TASKBBS_SHUTDOWN_TIMEOUT)) }
    },
    {
      name: 'converger',
      start () {
        if (!config.TASKBBS_SCHEDULER) return
        converger = new Converger({
          pool,
          intervalMs: s(config.TASKBBS_CONVERGENCE_INTERVAL),
          pendingTimeoutMs: s(config.TASKBBS_PENDING_TIMEOUT),
          kickPendingMs: s(config.TASKBBS_KICK_PENDING_AFTER),
          resolvingTimeoutMs: s(config.TASKBBS_RESOLVING_TIMEOUT),
          completedTtlMs: s(config.TASKBBS_COMPLETED_TTL),
          adoption: Boolean(executor.adopt),
          onReport: countConvergence,
          log: log()
        })
        converger.start()
      },
      async stop () { await converger?.stop() }
    },
    {
      name: 'sweeper',
      start () {
        const { listRuns, removeRun } = executor
        if (!config.TASKBBS_SCHEDULER || !executor.adopt || !listRuns || !removeRun) return
        sweeper = new Sweeper({ pool, executor: { ...executor, listRuns, removeRun }, intervalMs: s(config.TASKBBS_CONVERGENCE_INTERVAL), log: log() })
        sweeper.start()
      },
      async stop () { await sweeper?.stop() }
    },
    {
      name: 'event pruner',
      start () {
        pruner = new EventPruner({ pool, retentionMs: s(config.TASKBBS_EVENTS_RETENTION), log: log() })
        pruner.start()
      },
      async stop () { await pruner?.stop() }
    },
    ...parts.extra ?? []
  ]

  const started = await startComponents(components, app0log)
  log().info({ address, bbs_address: bbsAddress, bbs_plain: bbsPlain, mode: config.TASKBBS_MODE, cell_id: cellId, executor: executor.name, scheduler: Boolean(scheduler), startup_ms: Math.round(performance.now() - startedAt) }, `taskbbs listening on ${address}`)
  if (bbsPlain) log().warn(`Diego BBS routes are served over plain HTTP on ${address} (development): any local process may use them`)
  else if (config.TASKBBS_BBS_PLAIN && config.TASKBBS_MODE === 'development') {
    log().info('Diego BBS routes are not on the plain listener: that needs a loopback TASKBBS_HOST and no TASKBBS_TOKENS; use TASKBBS_BBS_PORT (mutual TLS)')
  }

  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      accepting = false
      log().info('shutting down: no new work is taken')
      await started.stop()
    })()
    return stopping
  }
  return { app, bbsApp, pool, address, bbsAddress, cellId, scheduler, converger, sweeper, callbacks, stop }
}

async function main () {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`taskbbs — a task server modeled on the Diego BBS task API.\n\nUsage: npm start   (or: node src/server.ts)\n\n${configHelp()}\n`)
    return
  }
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`taskbbs: ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
  stopOnSignals(await startServer(config), config)
}

/** SIGTERM and SIGINT drain the server and exit 0 (1 if the drain fails or overruns its deadline). */
export function stopOnSignals (server: Awaited<ReturnType<typeof startServer>>, config: Config): void {
  const onSignal = (signal: string) => {
    server.app.log.info({ signal }, 'signal received')
    const deadline = setTimeout(() => {
      server.app.log.error('shutdown deadline passed; exiting')
      process.exit(1)
    }, (config.TASKBBS_SHUTDOWN_TIMEOUT + 10) * 1000)
    deadline.unref()
    server.stop().then(() => process.exit(0), (err) => {
      server.app.log.error({ err }, 'shutdown failed')
      process.exit(1)
    })
  }
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    process.stderr.write(`taskbbs failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  })
}
