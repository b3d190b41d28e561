import { type Executor, ExecutorRejection } from '../executors/executor.ts'
import { executorErrors } from './registry.ts'

/**
 * The same executor, counting its failures in taskbbs_executor_errors_total.
 * A rejection is not an error (the scheduler counts it), nor is anything the
 * executor reports as a task outcome, except a task it lost.
 */
export function instrumentExecutor (executor: Executor): Executor {
  const failed = (operation: string) => (err: unknown) => {
    if (!(err instanceof ExecutorRejection)) executorErrors.inc({ executor: executor.name, operation })
    throw err
  }
  const wrapped: Executor = {
    name: executor.name,
    unsupported: definition => executor.unsupported(definition),
    start: task => executor.start(task).catch(failed('start')),
    cancel: guid => executor.cancel(guid).catch(failed('cancel')),
    cleanup: guid => executor.cleanup(guid).catch(failed('cleanup')),
    observe: listener => executor.observe(event => {
      if (event.type === 'lost') executorErrors.inc({ executor: executor.name, operation: 'lost' })
      listener(event)
    }),
    close: () => executor.close()
  }
  if (executor.adopt) {
    const adopt = executor.adopt.bind(executor)
    wrapped.adopt = task => adopt(task).catch(failed('adopt'))
  }
  if (executor.forget) {
    const forget = executor.forget.bind(executor)
    wrapped.forget = guid => forget(guid).catch(failed('forget'))
  }
  if (executor.listRuns) {
    const listRuns = executor.listRuns.bind(executor)
    wrapped.listRuns = () => listRuns().catch(failed('list'))
  }
  if (executor.removeRun) {
    const removeRun = executor.removeRun.bind(executor)
    wrapped.removeRun = run => removeRun(run).catch(failed('remove'))
  }
  return wrapped
}
